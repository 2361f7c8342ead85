"""The HR dashboard (HR admins only): departments, employees and surveys at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "departments": selectors.department_list(user=request.user),
        "employees": selectors.employee_list(user=request.user)[:50],
        "surveys": selectors.survey_list(user=request.user),
    }
    return render(request, "hr/dashboard.html", context)
