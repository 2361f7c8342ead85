"""The models as a service: stateless calls over the same mlcore functions the app uses.

Each model is loaded once per process (mlcore's own caches: `get_fit_model`, sentiment
`get_model`), on the first request that needs it, never per request. Limits keep one call
bounded; going over one is a 413 with the limit in the message.
"""

from __future__ import annotations

from typing import Any

from core.errors import DomainError

from .errors import InputTooLarge

MAX_FIT_RESUMES = 50
MAX_FIT_EXPLAIN = 5  # word attributions cost a forward pass per resume
MAX_JOB_CHARS = 20_000
MAX_RESUME_CHARS = 50_000
MAX_SENTIMENT_TEXTS = 100
MAX_SENTIMENT_EXPLAIN = 10
MAX_SENTIMENT_CHARS = 5_000


class ParseFailed(DomainError):
    code = "parse_failed"
    http_status = 422


def _check_batch(items: list[Any], limit: int, field: str, what: str) -> None:
    if len(items) > limit:
        raise InputTooLarge(
            f"{len(items)} {what} in one call; the limit is {limit}. Split the batch.",
            field=field,
        )


def _check_lengths(texts: list[str], limit: int, field: str) -> None:
    for n, text in enumerate(texts):
        if len(text) > limit:
            raise InputTooLarge(
                f"Item {n} is {len(text)} characters; the limit is {limit}.", field=field
            )


def _check_not_blank(texts: list[str], field: str) -> None:
    for n, text in enumerate(texts):
        if not text.strip():
            raise DomainError(f"Item {n} is empty.", field=field)


def ml_parse(*, data: bytes, filename: str) -> dict[str, Any]:
    """A resume file in, the parsed profile out (`python -m mlcore parse`'s shape)."""
    from mlcore.parsing import parse_resume
    from recruiting.services import upload_check

    upload_check(data=data, filename=filename)  # size, empty, format: 413/400/415
    result = parse_resume(data, filename)
    if not result.ok:
        raise ParseFailed(f"{filename} could not be parsed: {result.error}", field="file")
    body = result.to_json_dict(filename)
    body["model_version"] = result.parser_version
    return body


def ml_fit(*, job_text: str, resume_texts: list[str], explain: bool = False) -> dict[str, Any]:
    """Scores 0–100 of each resume text against the job text, with matched/missing skills
    (and word attributions when `explain`)."""
    _check_batch(resume_texts, MAX_FIT_RESUMES, "resume_texts", "resumes")
    if explain:
        _check_batch(resume_texts, MAX_FIT_EXPLAIN, "resume_texts", "resumes to explain")
    _check_lengths([job_text], MAX_JOB_CHARS, "job_text")
    _check_lengths(resume_texts, MAX_RESUME_CHARS, "resume_texts")
    _check_not_blank([job_text], "job_text")
    _check_not_blank(resume_texts, "resume_texts")
    from mlcore.matching import get_fit_model

    model = get_fit_model()
    results = [r.to_json_dict() for r in model.score(job_text, resume_texts)]
    if explain:
        from mlcore.matching.explain import contributions_many

        many = contributions_many(model, job_text, resume_texts)
        for item, sides in zip(results, many, strict=True):
            item["attributions"] = {side: a.pairs() for side, a in sides.items()}
    return {"model_version": model.version, "results": results}


def ml_sentiment(*, texts: list[str], explain: bool = False) -> dict[str, Any]:
    """Label, calibrated probabilities and topics per text (attributions when `explain`)."""
    _check_batch(texts, MAX_SENTIMENT_TEXTS, "texts", "texts")
    if explain:
        _check_batch(texts, MAX_SENTIMENT_EXPLAIN, "texts", "texts to explain")
    _check_lengths(texts, MAX_SENTIMENT_CHARS, "texts")
    _check_not_blank(texts, "texts")
    from mlcore.sentiment.model import get_model

    model = get_model()
    results = [r.to_json_dict() for r in model.predict(texts, explain=explain)]
    return {"model_version": model.version, "results": results}
