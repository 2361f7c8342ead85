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


# The open stages in order; `advance` takes one step.
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


def _moves(stage: str) -> frozenset[str]:
    """Forward past stages (a strong candidate goes straight to interview; the skipped stages
    are recorded), back to an earlier open stage (with a reason), or out. Hired only from an
    offer: nobody is hired without one. Closed applications stay closed."""
    if stage not in OPEN_STAGES:
        return frozenset()
    here = OPEN_STAGES.index(stage)
    forward = OPEN_STAGES[here + 1 :] + ((Stage.HIRED,) if stage == Stage.OFFER else ())
    return frozenset({*forward, *OPEN_STAGES[:here], *EXIT_STAGES})


ALLOWED_MOVES: dict[str, frozenset[str]] = {stage: _moves(stage) for stage in OPEN_STAGES}


def allowed_moves(stage: str) -> frozenset[str]:
    """Stages an application in `stage` may move to (none once it is closed)."""
    return ALLOWED_MOVES.get(stage, frozenset())


def moves_in_order(stage: str) -> list[str]:
    """The allowed moves as a person reads them: the next stage first, then further forward,
    then back (nearest first), then out of the pipeline."""
    order = [*OPEN_STAGES, Stage.HIRED]
    here = order.index(stage) if stage in order else 0

    def rank(to: str) -> tuple[int, int]:
        if to in EXIT_STAGES:
            return (2, EXIT_STAGES.index(to))
        there = order.index(to)
        return (0, there) if there > here else (1, here - there)

    return sorted(allowed_moves(stage), key=rank)


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in allowed_moves(from_stage)


def is_backward(from_stage: str, to_stage: str) -> bool:
    return (
        from_stage in OPEN_STAGES
        and to_stage in OPEN_STAGES
        and OPEN_STAGES.index(to_stage) < OPEN_STAGES.index(from_stage)
    )


def needs_reason(from_stage: str, to_stage: str) -> bool:
    """Leaving the pipeline and going back both need a reason on record."""
    return to_stage in EXIT_STAGES or is_backward(from_stage, to_stage)


def skipped_stages(from_stage: str, to_stage: str) -> list[str]:
    """The open stages a forward move passes over (recorded on its stage event)."""
    order = [*OPEN_STAGES, Stage.HIRED]
    if from_stage not in order or to_stage not in order:
        return []
    start, end = order.index(from_stage), order.index(to_stage)
    return list(order[start + 1 : end]) if end > start else []
