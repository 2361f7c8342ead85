"""Survey pages (HR admins only): the list, building a survey and its questions, and
opening, closing, inviting and reminding."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError

from .. import selectors, services
from ..models import Department, Question, Survey


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.survey_list(user=request.user)
    return render(request, "hr/survey_list.html", {"surveys": surveys})


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    selectors.survey_list(user=request.user)  # HR admins only, also for GET
    form = {"title": "", "description": "", "min_group_size": "5"}
    error: DomainError | None = None
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            survey = services.survey_create(
                by=request.user,
                title=form["title"],
                description=form["description"],
                min_group_size=form["min_group_size"],  # type: ignore[arg-type]
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"'{survey}' created: now add its questions.")
            return redirect("hr:survey_detail", pk=survey.pk)
    return render(
        request,
        "hr/survey_form.html",
        {"form": form, "error": error},
        status=400 if error else 200,
    )


def _survey_page(
    request: HttpRequest, survey: Survey, *, failed: dict[str, Any] | None = None
) -> HttpResponse:
    questions = selectors.survey_questions(survey=survey)
    for q in questions:
        q.choices_text = "\n".join(q.choices)  # type: ignore[attr-defined]
    failed = failed or {}
    new_question = (
        failed
        if failed.get("form") == "new_question"
        else {"kind": Question.Kind.LIKERT, "required": True}
    )
    context = {
        "survey": survey,
        "questions": questions,
        "new_question": new_question,
        "participation": selectors.survey_participation(user=request.user, survey=survey),
        "departments": selectors.department_list(user=request.user),
        "kinds": Question.Kind.choices,
        "failed": failed,
    }
    return render(request, "hr/survey_detail.html", context, status=400 if failed else 200)


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _survey_page(request, selectors.survey_get(user=request.user, pk=pk))


@login_required
@require_POST
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    form = {k: request.POST.get(k, "") for k in ("title", "description", "min_group_size")}
    try:
        services.survey_update(
            by=request.user,
            survey=survey,
            title=form["title"],
            description=form["description"],
            min_group_size=form["min_group_size"],  # type: ignore[arg-type]
        )
    except DomainError as exc:
        survey.refresh_from_db()
        return _survey_page(request, survey, failed={"form": "survey", "error": exc, **form})
    messages.success(request, "Survey saved.")
    return redirect("hr:survey_detail", pk=pk)


def _question_form(request: HttpRequest) -> dict[str, Any]:
    return {
        "kind": request.POST.get("kind", ""),
        "text": request.POST.get("text", ""),
        "choices": request.POST.get("choices", ""),
        "required": request.POST.get("required") == "on",
    }


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    form = _question_form(request)
    try:
        services.question_add(
            by=request.user,
            survey=survey,
            kind=form["kind"],
            text=form["text"],
            choices=form["choices"].splitlines(),
            required=form["required"],
        )
    except DomainError as exc:
        return _survey_page(request, survey, failed={"form": "new_question", "error": exc, **form})
    messages.success(request, "Question added.")
    return redirect("hr:survey_detail", pk=pk)


@login_required
@require_POST
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get(user=request.user, pk=pk)
    form = _question_form(request)
    try:
        if request.POST.get("delete"):
            services.question_delete(by=request.user, question=question)
            messages.success(request, "Question removed.")
        else:
            services.question_update(
                by=request.user,
                question=question,
                kind=form["kind"],
                text=form["text"],
                choices=form["choices"].splitlines(),
                required=form["required"],
            )
            messages.success(request, "Question saved.")
    except DomainError as exc:
        failed = {"form": "question", "question_id": question.pk, "error": exc, **form}
        return _survey_page(request, question.survey, failed=failed)
    return redirect("hr:survey_detail", pk=question.survey_id)


SURVEY_ACTIONS = ("open", "close", "invite", "remind")


@login_required
@require_POST
def survey_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    if action not in SURVEY_ACTIONS:
        raise Http404(f"No survey action '{action}'.")
    try:
        if action == "open":
            services.survey_open(by=request.user, survey=survey)
            messages.success(request, f"'{survey}' is open: invite people to answer.")
        elif action == "close":
            services.survey_close(by=request.user, survey=survey)
            messages.success(request, f"'{survey}' is closed; its links no longer work.")
        elif action == "remind":
            n = services.survey_remind(by=request.user, survey=survey)
            messages.success(request, f"Reminder sent to {n} people who have not answered.")
        else:  # invite
            ids = [int(v) for v in request.POST.getlist("departments") if v.isdigit()]
            chosen = list(Department.objects.filter(pk__in=ids)) if ids else None
            n = services.survey_invite(by=request.user, survey=survey, departments=chosen)
            messages.success(request, f"{n} invitation(s) sent.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("hr:survey_detail", pk=pk)
