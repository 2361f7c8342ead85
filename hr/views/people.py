"""People pages (HR admins only): employees, the CSV import and the employee page. Thin:
forms check shapes, hr.services decide, hr.selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, show_form_error

from .. import selectors, services
from ..forms import DeactivateForm, EmployeeForm, ImportForm, PeopleFilterForm
from ..models import Employee
from ..services.imports import COLUMNS, EXAMPLE_CSV, REQUIRED_COLUMNS
from ._common import hr_admin_view, render_form

PEOPLE_PER_PAGE = 50


@hr_admin_view
def people_list(request: HttpRequest) -> HttpResponse:
    choices = selectors.department_choices(user=request.user)
    filters = PeopleFilterForm(request.GET or None, department_choices=choices)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    people = selectors.employee_search(
        user=request.user,
        department_id=wanted.get("department"),
        status=wanted.get("status") or "",
        text=wanted.get("q") or "",
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hr/people_list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


def _employee_form(request: HttpRequest, employee: Employee | None, **kwargs: Any) -> EmployeeForm:
    return EmployeeForm(
        request.POST if request.method == "POST" else None,
        department_choices=selectors.department_choices(user=request.user),
        manager_choices=selectors.manager_choices(
            user=request.user, exclude=employee.pk if employee else None
        ),
        with_status=employee is not None and employee.status != Employee.Status.TERMINATED,
        **kwargs,
    )


@hr_admin_view
def employee_new(request: HttpRequest) -> HttpResponse:
    form = _employee_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, f"{employee.full_name} added.")
            return redirect("hr:employee_detail", pk=employee.pk)
    return render_form(request, "hr/employee_form.html", form)


@hr_admin_view
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(user=request.user, pk=pk)
    initial = EmployeeForm.initial_for(employee)
    form = _employee_form(request, employee, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["status"] = data.get("status") or None
        try:
            services.employee_update(by=request.user, employee=employee, **data)
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, f"{employee.full_name}'s record saved.")
            return redirect("hr:employee_detail", pk=pk)
    return render_form(request, "hr/employee_form.html", form, employee=employee)


def _employee_page(
    request: HttpRequest, employee: Employee, deactivate: DeactivateForm | None = None
) -> HttpResponse:
    user = request.user
    context = {
        "employee": employee,
        "path": selectors.department_path(user=user, department=employee.department),
        "tenure": selectors.tenure(employee.hire_date, employee.terminated_on),
        "reports": selectors.employee_reports(user=user, employee=employee),
        "mobility": selectors.employee_mobility(user=user, employee=employee),
        "history": selectors.employee_history(user=user, employee=employee),
        "deactivate": deactivate or DeactivateForm(),
    }
    status = 400 if deactivate is not None and deactivate.errors else 200
    return render(request, "hr/employee_detail.html", context, status=status)


@hr_admin_view
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _employee_page(request, selectors.employee_get(user=request.user, pk=pk))


@hr_admin_view
@require_POST
def employee_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(user=request.user, pk=pk)
    form = DeactivateForm(request.POST)
    if form.is_valid():
        try:
            services.employee_deactivate(
                by=request.user, employee=employee, last_day=form.cleaned_data["last_day"]
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, f"{employee.full_name} is now inactive; the record stays.")
            return redirect("hr:employee_detail", pk=pk)
    return _employee_page(request, employee, deactivate=form)


@hr_admin_view
@require_POST
def employee_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get(user=request.user, pk=pk)
    try:
        services.employee_reactivate(by=request.user, employee=employee)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{employee.full_name} is active again.")
    return redirect("hr:employee_detail", pk=pk)


@hr_admin_view
def employee_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.employee_import(
                by=request.user, data=form.cleaned_data["file"].read()
            )
        except services.EmployeeImportInvalid as exc:
            form.add_error("file", exc.message)
            errors = exc.errors
        else:
            messages.success(request, f"{len(created)} employees imported.")
            return redirect("hr:people_list")
    context = {"columns": COLUMNS, "required": REQUIRED_COLUMNS, "row_errors": errors}
    return render_form(request, "hr/employee_import.html", form, **context)


@hr_admin_view
def employee_import_example(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(EXAMPLE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="employees-example.csv"'
    return response
