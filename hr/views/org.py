"""The department tree pages (HR admins only): list, create, edit (rename, move), delete.
Thin: forms check shapes, hr.services decide, hr.selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, show_form_error

from .. import selectors, services
from ..forms import DepartmentForm
from ._common import hr_admin_view, render_form


@hr_admin_view
def department_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.department_tree(user=request.user)
    return render(request, "hr/department_list.html", {"rows": rows})


@hr_admin_view
def department_new(request: HttpRequest) -> HttpResponse:
    choices = selectors.department_choices(user=request.user)
    if request.method == "POST":
        form = DepartmentForm(request.POST, parent_choices=choices)
        if form.is_valid():
            try:
                department = services.department_create(by=request.user, **form.cleaned_data)
            except DomainError as exc:
                show_form_error(form, exc)
            else:
                messages.success(request, f"Department '{department}' created.")
                return redirect("hr:department_list")
    else:
        form = DepartmentForm(initial={"parent": request.GET.get("parent")}, parent_choices=choices)
    return render_form(request, "hr/department_form.html", form)


@hr_admin_view
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get(user=request.user, pk=pk)
    choices = selectors.department_choices(user=request.user, exclude_subtree_of=department.pk)
    if request.method == "POST":
        form = DepartmentForm(request.POST, parent_choices=choices)
        if form.is_valid():
            try:
                services.department_update(
                    by=request.user, department=department, **form.cleaned_data
                )
            except DomainError as exc:
                show_form_error(form, exc)
                department.refresh_from_db()
            else:
                messages.success(request, f"Department '{department}' saved.")
                return redirect("hr:department_list")
    else:
        form = DepartmentForm(
            initial=DepartmentForm.initial_for(department), parent_choices=choices
        )
    contents = services.department_contents(department)
    return render_form(
        request,
        "hr/department_form.html",
        form,
        department=department,
        contents={what: n for what, n in contents.items() if n},
    )


@hr_admin_view
@require_POST
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get(user=request.user, pk=pk)
    try:
        services.department_delete(by=request.user, department=department)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("hr:department_edit", pk=pk)
    messages.success(request, f"Department '{department.name}' deleted.")
    return redirect("hr:department_list")
