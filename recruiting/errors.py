"""Recruiting's domain errors, each with a message a recruiter can read."""

from __future__ import annotations

from core.errors import DomainError


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, from_stage: str, to_stage: str, allowed: list[str]) -> None:
        options = ", ".join(allowed) if allowed else "none: the application is closed"
        super().__init__(
            f"An application in '{from_stage}' cannot move to '{to_stage}'. "
            f"Allowed next stages: {options}.",
            field="to_stage",
        )
        self.from_stage = from_stage
        self.to_stage = to_stage


class ReasonRequired(DomainError):
    code = "reason_required"

    def __init__(self, to_stage: str, *, back: bool = False) -> None:
        where = f"back to '{to_stage}'" if back else f"to '{to_stage}'"
        super().__init__(f"Moving an application {where} needs a reason.", field="reason")


class AlreadyApplied(DomainError):
    code = "already_applied"

    def __init__(self, candidate: object, job: object) -> None:
        super().__init__(f"{candidate} has already applied to '{job}'.")


class JobNotOpen(DomainError):
    code = "job_not_open"

    def __init__(self, job: object, status: str) -> None:
        super().__init__(f"'{job}' is {status}; only open jobs take applications.")


class InvalidJobStatus(DomainError):
    code = "invalid_job_status"


class InvalidCandidate(DomainError):
    code = "invalid_candidate"


class InvalidScorecard(DomainError):
    code = "invalid_scorecard"


class UploadRefused(DomainError):
    """A file that is not taken at all: too large, empty, or not a resume format we read."""

    code = "upload_refused"

    def __init__(self, message: str, *, http_status: int = 400) -> None:
        super().__init__(message, field="file")
        self.http_status = http_status


class ExternalIdConflict(DomainError):
    """An upsert names a record by its external_id but differs from it where it cannot change
    (an application's candidate or job)."""

    code = "external_id_conflict"
    http_status = 409


class DuplicateResume(DomainError):
    """A file sent for one candidate is already the resume of another: never moved, never
    shown (the caller may not see the other candidate, e.g. under blind screening)."""

    code = "duplicate_resume"
    http_status = 409

    def __init__(self, filename: str) -> None:
        super().__init__(
            f"{filename} is already stored as the resume of another candidate, so it was not "
            "added to this one. The same file on two candidates usually means one person was "
            "entered twice: merge them, or send this candidate's own file.",
            field="file",
        )


class InvalidInterview(DomainError):
    code = "invalid_interview"


class InvalidEmailTemplate(DomainError):
    code = "invalid_email_template"


class InvalidRejection(DomainError):
    code = "invalid_rejection"


class StageChangeRefused(DomainError):
    """A change to a job's own stages that is not allowed (name, place, or still in use)."""

    code = "stage_change_refused"


class UnknownStage(InvalidTransition):
    """A move to a stage the job does not have (another job's, a removed one, a typo)."""

    def __init__(self, from_stage: str, to_stage: str) -> None:
        DomainError.__init__(
            self,
            f"An application cannot move to '{to_stage}': this job has no such stage. "
            "Choose a stage from the list.",
            field="to_stage",
        )
        self.from_stage = from_stage
        self.to_stage = to_stage


class InvalidOffer(DomainError):
    """An offer's terms refused, or an application that cannot have an offer now."""

    code = "invalid_offer"


class OfferAlreadyOpen(DomainError):
    code = "offer_already_open"
    http_status = 409

    def __init__(self) -> None:
        super().__init__(
            "This application already has an open offer (draft or sent): send it, record "
            "the candidate's answer, or withdraw it before making another."
        )


class OfferAlreadyAccepted(DomainError):
    code = "offer_already_accepted"
    http_status = 409

    def __init__(self) -> None:
        super().__init__(
            "The candidate already accepted an offer for this application: hire them "
            "rather than making another."
        )


class OfferStatusRefused(DomainError):
    """A step the offer's status does not allow (accepting a draft, sending twice...)."""

    code = "offer_status"
    http_status = 409

    def __init__(self, status: str, action: str, needs: str) -> None:
        super().__init__(
            f"This offer is {status}; only {needs} offer can be {action}.", field="status"
        )
        self.status = status
