"""factory_boy factories for surveys; departments and employees come from tests.factories."""

from __future__ import annotations

import factory
from django.utils import timezone

from hr.models import Answer, Question, Response, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Pulse {n}")
    status = Survey.Status.OPEN
    min_group_size = 5


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = Question.Kind.LIKERT
    text = factory.Sequence(lambda n: f"Question {n}")
    position = factory.Sequence(lambda n: n)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    submitted_on = factory.LazyFunction(timezone.localdate)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)


def respond(
    survey: Survey,
    department=None,
    *,
    day=None,
    enps: int | None = None,
    likert: int | None = None,
    choice: str = "",
    text: str = "",
    label: str = "",
    topics: list[str] | None = None,
) -> Response:
    """One response with answers to the survey's questions of each kind given (data, as a
    submission would leave it; sentiment fields as the analysis task would store them)."""
    response = ResponseFactory(
        survey=survey, department=department, submitted_on=day or timezone.localdate()
    )
    by_kind = {q.kind: q for q in survey.questions.all()}
    if enps is not None:
        AnswerFactory(response=response, question=by_kind["enps"], number=enps)
    if likert is not None:
        AnswerFactory(response=response, question=by_kind["likert"], number=likert)
    if choice:
        AnswerFactory(response=response, question=by_kind["single_choice"], choice=choice)
    if text:
        probs = {"negative": 0.1, "neutral": 0.1, "positive": 0.1}
        if label:
            probs[label] = 0.8
        AnswerFactory(
            response=response,
            question=by_kind["free_text"],
            text=text,
            sentiment_label=label,
            sentiment_probs=probs if label else None,
            topics=topics or [],
            attributions=[[w, 0.5] for w in text.split()] if label else None,
            model_version="test-data" if label else "",
        )
    return response


def close(survey: Survey) -> Survey:
    """Close the survey, as HR does before reading results (anonymity rule 4)."""
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    return survey
