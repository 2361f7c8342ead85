"""Query filters of the recruiting API: incremental sync (updated_after, created_after) and
the usual status, stage, job and department."""

from __future__ import annotations

import django_filters as filters

from integrations.filters import OwnExternalIdFilterSet, id_filter

from ..models import Application, Candidate, Job
from ..pipeline import Stage


class JobFilter(OwnExternalIdFilterSet):
    status = filters.ChoiceFilter(choices=Job.Status.choices)
    department = id_filter("department_id")

    class Meta:
        model = Job
        fields = ["status", "department", "external_id"]


class CandidateFilter(OwnExternalIdFilterSet):
    job = id_filter("applications__job_id", distinct=True)

    class Meta:
        model = Candidate
        fields = ["external_id"]


class ApplicationFilter(OwnExternalIdFilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices)
    job = id_filter("job_id")
    candidate = id_filter("candidate_id")
    department = id_filter("job__department_id")

    class Meta:
        model = Application
        fields = ["stage", "job", "candidate", "department", "external_id"]
