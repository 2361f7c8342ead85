"""The hiring pipeline: its stages and which moves between them are allowed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The open stages in order; `advance` takes one step. The default template: a job may add
# its own stages between Applied and Offer (`JobStage`), read as a `Pipeline`.
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
# A job's own stage is stored on applications and stage events as "custom_<JobStage id>":
# the id never changes, so renaming or reordering the stage rewrites no history.
CUSTOM_PREFIX = "custom_"


def custom_key(stage_id: int) -> str:
    return f"{CUSTOM_PREFIX}{stage_id}"


@dataclass(frozen=True)
class Pipeline:
    """One job's open stages in order (Applied first, Offer last) with their names, and the
    moves between them: forward past stages (a strong candidate goes straight to interview;
    the skipped stages are recorded), back to an earlier open stage (with a reason), or out.
    Hired only from an offer: nobody is hired without one. Closed applications stay closed.
    `removed` names stages a job no longer has, for the history that mentions them."""

    open: tuple[str, ...] = OPEN_STAGES
    names: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def label(self, stage: str) -> str:
        for key, name in (*self.names, *self.removed):
            if key == stage:
                return name
        return Stage(stage).label if stage in Stage.values else stage

    @property
    def columns(self) -> tuple[str, ...]:
        """The board's columns: the open stages, then the closed ones."""
        return (*self.open, *CLOSED_STAGES)

    def allowed_moves(self, stage: str) -> frozenset[str]:
        """Stages an application in `stage` may move to (none once it is closed)."""
        if stage not in self.open:
            return frozenset()
        here = self.open.index(stage)
        forward = self.open[here + 1 :] + ((Stage.HIRED,) if stage == Stage.OFFER else ())
        return frozenset({*forward, *self.open[:here], *EXIT_STAGES})

    def moves_in_order(self, stage: str) -> list[str]:
        """The allowed moves as a person reads them: the next stage first, then further
        forward, then back (nearest first), then out of the pipeline."""
        order = [*self.open, Stage.HIRED]
        here = order.index(stage) if stage in order else 0

        def rank(to: str) -> tuple[int, int]:
            if to in EXIT_STAGES:
                return (2, EXIT_STAGES.index(to))
            there = order.index(to)
            return (0, there) if there > here else (1, here - there)

        return sorted(self.allowed_moves(stage), key=rank)

    def is_backward(self, from_stage: str, to_stage: str) -> bool:
        return (
            from_stage in self.open
            and to_stage in self.open
            and self.open.index(to_stage) < self.open.index(from_stage)
        )

    def needs_reason(self, from_stage: str, to_stage: str) -> bool:
        """Leaving the pipeline and going back both need a reason on record."""
        return to_stage in EXIT_STAGES or self.is_backward(from_stage, to_stage)

    def skipped_stages(self, from_stage: str, to_stage: str) -> list[str]:
        """The open stages a forward move passes over (recorded on its stage event)."""
        order = [*self.open, Stage.HIRED]
        if from_stage not in order or to_stage not in order:
            return []
        start, end = order.index(from_stage), order.index(to_stage)
        return list(order[start + 1 : end]) if end > start else []

    def next_stage(self, stage: str) -> str | None:
        order = [*self.open, Stage.HIRED]
        if stage not in self.open:
            return None
        return order[order.index(stage) + 1]


DEFAULT_PIPELINE = Pipeline()


def allowed_moves(stage: str) -> frozenset[str]:
    """Stages an application in `stage` may move to in the default pipeline."""
    return DEFAULT_PIPELINE.allowed_moves(stage)


def moves_in_order(stage: str) -> list[str]:
    return DEFAULT_PIPELINE.moves_in_order(stage)


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in allowed_moves(from_stage)


def is_backward(from_stage: str, to_stage: str) -> bool:
    return DEFAULT_PIPELINE.is_backward(from_stage, to_stage)


def needs_reason(from_stage: str, to_stage: str) -> bool:
    return DEFAULT_PIPELINE.needs_reason(from_stage, to_stage)


def skipped_stages(from_stage: str, to_stage: str) -> list[str]:
    return DEFAULT_PIPELINE.skipped_stages(from_stage, to_stage)
