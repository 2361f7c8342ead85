"""HR's domain errors."""

from core.errors import DomainError


class InvalidDepartment(DomainError):
    code = "invalid_department"


class InvalidEmployee(DomainError):
    code = "invalid_employee"


class InvalidSurvey(DomainError):
    code = "invalid_survey"


class InvalidQuestion(DomainError):
    code = "invalid_question"


class InvalidSurveyStatus(DomainError):
    code = "invalid_survey_status"


class SurveyLinkError(DomainError):
    """A survey link that cannot be answered; `http_status` is what the answer page returns."""

    code = "survey_link"
    http_status = 404


class SurveyLinkUnknown(SurveyLinkError):
    code = "survey_link_unknown"
    http_status = 404


class SurveyLinkUsed(SurveyLinkError):
    code = "survey_link_used"
    http_status = 410


class SurveyClosed(SurveyLinkError):
    code = "survey_closed"
    http_status = 410


class ResponseInvalid(DomainError):
    """Some answers are missing or out of range; `errors` maps question id to a message."""

    code = "response_invalid"

    def __init__(self, errors: dict[int, str]) -> None:
        n = len(errors)
        super().__init__(
            f"{n} answer{'s' if n != 1 else ''} need{'s' if n == 1 else ''} attention."
        )
        self.errors = errors


class UnknownExplanation(DomainError):
    """An explanation method the survey dashboard does not offer."""

    code = "unknown_explanation"

    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(
            f"There is no explanation method called '{key}'; choose one of {', '.join(known)}."
        )
