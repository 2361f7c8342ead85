"""Query filters of the recruiting API: incremental sync (updated_after, created_after) and
the usual status, stage, job and department."""

from __future__ import annotations

import django_filters as filters

from ..models import Application, Candidate, Job
from ..pipeline import Stage

MAX_ID = 2**63 - 1


def id_filter(field_name: str, **kwargs: object) -> filters.NumberFilter:
    return filters.NumberFilter(
        field_name=field_name, min_value=1, max_value=MAX_ID, decimal_places=0, **kwargs
    )


class SyncFilterSet(filters.FilterSet):
    """`updated_after` / `created_after` are inclusive: a client passes the time its last
    sync started and may see a row twice, never miss one."""

    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    external_id = filters.CharFilter(field_name="external_id")


class JobFilter(SyncFilterSet):
    status = filters.ChoiceFilter(choices=Job.Status.choices)
    department = id_filter("department_id")

    class Meta:
        model = Job
        fields = ["status", "department", "external_id"]


class CandidateFilter(SyncFilterSet):
    job = id_filter("applications__job_id", distinct=True)

    class Meta:
        model = Candidate
        fields = ["external_id"]


class ApplicationFilter(SyncFilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices)
    job = id_filter("job_id")
    candidate = id_filter("candidate_id")
    department = id_filter("job__department_id")

    class Meta:
        model = Application
        fields = ["stage", "job", "candidate", "department", "external_id"]
