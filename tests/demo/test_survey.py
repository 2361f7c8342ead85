"""The demo survey: closed, about 40 responses, and both suppression rules on show."""

from __future__ import annotations

import pytest

from demo.survey import demo_survey_seed
from hr.analytics import Filters, survey_dashboard
from hr.models import Answer, Survey

from ..factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_demo_survey_seed_is_closed_idempotent_and_shows_suppression(hr_admin):
    eng = DepartmentFactory(name="Engineering")
    for name in ("Backend", "Frontend", "Data"):
        DepartmentFactory(name=name, parent=eng)
    for name in ("Product", "Operations", "People"):
        DepartmentFactory(name=name)
    survey = demo_survey_seed(by=hr_admin, analyze=False)
    assert demo_survey_seed(by=hr_admin, analyze=False) == survey
    assert Survey.objects.count() == 1
    assert survey.status == Survey.Status.CLOSED
    assert survey.responses.count() == 40
    assert Answer.objects.filter(response__survey=survey).exclude(text="").count() == 38
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    rows = {row["name"]: row for row in data["breakdown"]}
    assert rows["People"]["suppressed"] and rows["Operations"]["suppressed"]  # 3, then 6
    assert not rows["Product"]["suppressed"] and data["overview"]["responses"] == 40
    inside = survey_dashboard(user=hr_admin, survey=survey, filters=Filters(department=eng.pk))
    rows = {row["name"]: row for row in inside["breakdown"]}
    assert rows["Engineering (not in a sub-team)"]["suppressed"] and rows["Data"]["suppressed"]
    assert not rows["Backend"]["suppressed"]
