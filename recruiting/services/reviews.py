"""Notes and interview scorecards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from audit.services import audit_record
from core.roles import signed_in
from core.text import NOTE_MAX_CHARS, ensure_length

from ..errors import InvalidScorecard
from ..models import Application, Candidate, Interview, Note, Scorecard
from ..permissions import ensure_can_act_on_application, ensure_can_view_candidate
from ..pipeline import Stage

if TYPE_CHECKING:
    from core.roles import AnyUser

RATING_MIN, RATING_MAX = 1, 4


@transaction.atomic
def note_create(
    *, candidate: Candidate, by: AnyUser, body: str, application: Application | None = None
) -> Note:
    if application is not None:
        if application.candidate_id != candidate.pk:
            raise InvalidScorecard("That application belongs to another candidate.")
        ensure_can_act_on_application(by, application)
    else:
        ensure_can_view_candidate(by, candidate)
    body = ensure_length(
        body, limit=NOTE_MAX_CHARS, what="A note", field="body", error=InvalidScorecard
    )
    if not body:
        raise InvalidScorecard("A note cannot be empty.", field="body")
    note = Note.objects.create(
        candidate=candidate, application=application, author=signed_in(by), body=body
    )
    audit_record(
        action="note.added",
        actor=by,
        target=candidate,
        details={"note_id": note.pk, "application_id": application.pk if application else None},
    )
    return note


@transaction.atomic
def scorecard_submit(
    *,
    application: Application,
    by: AnyUser,
    recommendation: str,
    ratings: dict[str, int] | None = None,
    comment: str = "",
    stage: str | None = None,
    interview: Interview | None = None,
) -> Scorecard:
    """An interviewer's verdict; `stage` is the interview's stage (default: the current one);
    `interview`, when given, is the interview it is about (of this application)."""
    ensure_can_act_on_application(by, application)
    if interview is not None and interview.application_id != application.pk:
        raise InvalidScorecard("That interview belongs to another application.", field="interview")
    stage = stage or application.stage
    if stage not in Stage.values:
        options = ", ".join(Stage.values)
        raise InvalidScorecard(f"'{stage}' is not a stage; use one of: {options}.", field="stage")
    if recommendation not in Scorecard.Recommendation.values:
        options = ", ".join(Scorecard.Recommendation.values)
        raise InvalidScorecard(
            f"'{recommendation}' is not a recommendation; use one of: {options}.",
            field="recommendation",
        )
    comment = ensure_length(
        comment, limit=NOTE_MAX_CHARS, what="A comment", field="comment", error=InvalidScorecard
    )
    clean: dict[str, int] = {}
    for skill, value in (ratings or {}).items():
        name = " ".join(str(skill).split())
        if not name:
            raise InvalidScorecard("A rated skill needs a name.", field="ratings")
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidScorecard(
                f"The rating for '{name}' must be a whole number.", field="ratings"
            )
        if not RATING_MIN <= value <= RATING_MAX:
            raise InvalidScorecard(
                f"The rating for '{name}' must be {RATING_MIN}–{RATING_MAX}.", field="ratings"
            )
        clean[name] = value
    scorecard = Scorecard.objects.create(
        application=application,
        interviewer=signed_in(by),
        stage=stage,
        recommendation=recommendation,
        ratings=clean,
        comment=comment,
        interview=interview,
    )
    audit_record(
        action="scorecard.submitted",
        actor=by,
        target=application,
        details={
            "scorecard_id": scorecard.pk,
            "recommendation": recommendation,
            "interview_id": interview.pk if interview else None,
        },
    )
    return scorecard
