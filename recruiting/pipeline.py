"""The hiring pipeline: its stages and which moves between them are allowed."""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# One step forward at a time: skipping a stage would skip its interviews and scorecards.
NEXT_STAGE: dict[str, str] = {
    Stage.APPLIED: Stage.SCREENING,
    Stage.SCREENING: Stage.INTERVIEW,
    Stage.INTERVIEW: Stage.OFFER,
    Stage.OFFER: Stage.HIRED,
}
OPEN_STAGES: tuple[str, ...] = tuple(NEXT_STAGE)
CLOSED_STAGES: tuple[str, ...] = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)
# Leaving the pipeline needs a reason on record.
EXIT_STAGES: tuple[str, ...] = (Stage.REJECTED, Stage.WITHDRAWN)

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    stage: frozenset({NEXT_STAGE[stage], *EXIT_STAGES}) for stage in OPEN_STAGES
}


def allowed_moves(stage: str) -> frozenset[str]:
    """Stages an application in `stage` may move to (none once it is closed)."""
    return ALLOWED_MOVES.get(stage, frozenset())


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in allowed_moves(from_stage)
