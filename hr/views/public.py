"""The survey answer form: no login, one link per employee, mobile-friendly."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .. import services
from ..errors import ResponseInvalid, SurveyLinkError


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: a referrer carries the origin only, never the path. Not
    # "no-referrer": with it browsers post `Origin: null` and the CSRF check refuses the answers.
    response["Referrer-Policy"] = "strict-origin"
    return response


def _link_problem(request: HttpRequest, exc: SurveyLinkError) -> HttpResponse:
    return _private(
        render(
            request,
            "survey/unavailable.html",
            {"message": exc.message, "code": exc.code},
            status=exc.http_status,
        )
    )


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    survey = invitation.survey
    values: dict[str, str] = {}
    errors: dict[int, str] = {}
    if request.method == "POST":
        values = {
            key[1:]: request.POST.get(key, "")
            for key in request.POST
            if key.startswith("q") and key[1:].isdigit()
        }
        try:
            services.response_submit(token=token, answers=values)
        except ResponseInvalid as exc:
            errors = exc.errors
        except SurveyLinkError as exc:
            return _link_problem(request, exc)
        else:
            return redirect("survey:thanks")
    questions = [
        {
            "q": q,
            "name": f"q{q.pk}",
            "value": values.get(str(q.pk), ""),
            "error": errors.get(q.pk, ""),
            "scale": list(range(1, 6))
            if q.kind == "likert"
            else list(range(11))
            if q.kind == "enps"
            else [],
        }
        for q in survey.questions.all()
    ]
    context = {"survey": survey, "questions": questions, "n_errors": len(errors)}
    return _private(render(request, "survey/answer.html", context, status=400 if errors else 200))


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "survey/thanks.html"))
