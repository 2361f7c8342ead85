"""A hand-built pipeline history for the recruiting analytics tests: six applications to one
job whose stage events happen on known days, so every figure can be worked out by hand
(tests/recruiting/test_analytics.py lists them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from recruiting.models import Application, Job, RejectionReason, StageEvent
from recruiting.pipeline import Stage

from ..factories import CandidateFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
# A name no factory produces: it must never appear on an analytics page, CSV or answer.
LEAK_NAME = "Zqelina Vexkyle"


def reason(code: str) -> RejectionReason:
    # get_or_create: transactional (browser) tests flush what migration 0015 seeded.
    found, _ = RejectionReason.objects.get_or_create(code=code, defaults={"label": code.title()})
    return found


def journey(
    job: Job,
    *,
    source: str,
    applied: float,
    steps: list[tuple[str, float]],
    category: str = "",
    candidate_source: str = "",
) -> Application:
    """An application applied on day `applied` (after T0) that moved to each stage of `steps`
    on its day, with a StageEvent per move as the services write them."""
    applied_at = T0 + timedelta(days=applied)
    stage, changed = (steps[-1][0], T0 + timedelta(days=steps[-1][1])) if steps else ("", None)
    application = Application.objects.create(
        candidate=CandidateFactory(full_name=LEAK_NAME, source=candidate_source),
        job=job,
        stage=stage or Stage.APPLIED,
        source=source,
        applied_at=applied_at,
        stage_changed_at=changed or applied_at,
        hired_at=changed if stage == Stage.HIRED else None,
        rejection_category=reason(category) if category else None,
    )
    previous = ""
    for to_stage, at in [
        (Stage.APPLIED, applied_at),
        *((s, T0 + timedelta(days=d)) for s, d in steps),
    ]:
        event = StageEvent.objects.create(
            application=application, from_stage=previous, to_stage=to_stage
        )
        StageEvent.objects.filter(pk=event.pk).update(at=at)  # `at` is auto_now_add
        previous = to_stage
    return application


def six_applications(job: Job) -> list[Application]:
    """The fixture of test_analytics.py (days after T0):

    a1 LinkedIn  applied 0, screening 2, interview 5, offer 10, hired 14
    a2 LinkedIn  applied 0, screening 4, interview 8, offer 12, withdrawn 13 (declined)
    a3 Referral  applied 1, screening 2, rejected 3 (skills)
    a4 Referral  applied 1, interview 3 (screening skipped), offer 6, hired 9
    a5 (none; the candidate's source is "Job board") applied 2, screening 3, still there
    a6 LinkedIn  applied 3, rejected 4 (no standard reason)
    """
    S = Stage
    return [
        journey(
            job,
            source="LinkedIn",
            applied=0,
            steps=[(S.SCREENING, 2), (S.INTERVIEW, 5), (S.OFFER, 10), (S.HIRED, 14)],
        ),
        journey(
            job,
            source="LinkedIn",
            applied=0,
            steps=[(S.SCREENING, 4), (S.INTERVIEW, 8), (S.OFFER, 12), (S.WITHDRAWN, 13)],
        ),
        journey(
            job,
            source="Referral",
            applied=1,
            steps=[(S.SCREENING, 2), (S.REJECTED, 3)],
            category="skills",
        ),
        journey(
            job, source="Referral", applied=1, steps=[(S.INTERVIEW, 3), (S.OFFER, 6), (S.HIRED, 9)]
        ),
        journey(job, source="", candidate_source="Job board", applied=2, steps=[(S.SCREENING, 3)]),
        journey(job, source="LinkedIn", applied=3, steps=[(S.REJECTED, 4)]),
    ]
