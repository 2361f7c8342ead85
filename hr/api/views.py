"""HR API views: departments, employees, surveys and questions, answers by token, and the
survey aggregates with the anonymity rule (hr.analytics). Rules live in hr.services."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.plumbing import resolve_type_hint
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.drf import ApiGenericView, ApiView, validated_input
from integrations.filters import SyncFilterSet, id_filter
from integrations.pagination import SyncCursorPagination

from .. import analytics, selectors, services
from ..errors import ResponseInvalid
from ..models import Department, Employee
from .serializers import (
    AnalyticsParams,
    DepartmentIn,
    DepartmentOut,
    EmployeeIn,
    EmployeeOut,
    QuestionIn,
    QuestionOut,
    ResponseIn,
    ResponseOut,
    SurveyIn,
    SurveyOut,
)


class HrView(ApiView):
    scope_read = "hr:read"
    scope_write = "hr:write"


class HrListView(ApiGenericView):
    scope_read = "hr:read"
    scope_write = "hr:write"
    pagination_class = SyncCursorPagination

    def list_response(self, queryset: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(self.get_serializer_class()(page, many=True).data)


def _get(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:  # an object named in the body, as an application's job: 404
        raise Http404(f"There is no {field} {pk}.")
    return found


class DepartmentFilter(SyncFilterSet):
    parent = id_filter("parent_id")

    class Meta:
        model = Department
        fields = ["parent", "external_id"]


class EmployeeFilter(SyncFilterSet):
    department = id_filter("department_id")
    status = filters.ChoiceFilter(choices=Employee.Status.choices)

    class Meta:
        model = Employee
        fields = ["department", "status", "external_id"]


class DepartmentListView(HrListView):
    serializer_class = DepartmentOut
    filterset_class = DepartmentFilter
    extra_errors = {"post": (404,)}  # the `parent` named does not exist

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Department.objects.none()
        return selectors.department_list(user=self.request.user)

    @extend_schema(responses=DepartmentOut(many=True))
    def get(self, request: Request) -> Response:
        return self.list_response(self.get_queryset())

    @extend_schema(request=DepartmentIn, responses={201: DepartmentOut})
    def post(self, request: Request) -> Response:
        data = validated_input(DepartmentIn, request)
        department = services.department_create(
            by=request.user,
            name=data["name"],
            code=data.get("code", ""),
            parent=_get(Department, data.get("parent"), "parent"),
        )
        return Response(DepartmentOut(department).data, status=status.HTTP_201_CREATED)


class EmployeeListView(HrListView):
    serializer_class = EmployeeOut
    filterset_class = EmployeeFilter
    extra_errors = {"post": (404,)}  # the `department` or `manager` named does not exist

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Employee.objects.none()
        return selectors.employee_list(user=self.request.user)

    @extend_schema(responses=EmployeeOut(many=True))
    def get(self, request: Request) -> Response:
        return self.list_response(self.get_queryset())

    @extend_schema(request=EmployeeIn, responses={201: EmployeeOut})
    def post(self, request: Request) -> Response:
        data = validated_input(EmployeeIn, request)
        employee = services.employee_create(
            by=request.user,
            full_name=data["full_name"],
            hire_date=data["hire_date"],
            department=_get(Department, data.get("department"), "department"),
            manager=_get(Employee, data.get("manager"), "manager"),
            title=data.get("title", ""),
            email=data.get("email", ""),
        )
        return Response(EmployeeOut(employee).data, status=status.HTTP_201_CREATED)


class SurveyListView(HrListView):
    serializer_class = SurveyOut
    filter_backends: list[Any] = []

    @extend_schema(responses=SurveyOut(many=True))
    def get(self, request: Request) -> Response:
        return self.list_response(selectors.survey_list(user=request.user))

    @extend_schema(request=SurveyIn, responses={201: SurveyOut})
    def post(self, request: Request) -> Response:
        survey = services.survey_create(by=request.user, **validated_input(SurveyIn, request))
        return Response(SurveyOut(survey).data, status=status.HTTP_201_CREATED)


class SurveyDetailView(HrView):
    @extend_schema(responses=SurveyOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(SurveyOut(selectors.survey_get(user=request.user, pk=pk)).data)


class DepartmentDetailView(HrView):
    @extend_schema(responses=DepartmentOut)
    def get(self, request: Request, pk: int) -> Response:
        department = get_object_or_404(selectors.department_list(user=request.user), pk=pk)
        return Response(DepartmentOut(department).data)


class EmployeeDetailView(HrView):
    @extend_schema(responses=EmployeeOut)
    def get(self, request: Request, pk: int) -> Response:
        employee = get_object_or_404(selectors.employee_list(user=request.user), pk=pk)
        return Response(EmployeeOut(employee).data)


class _SurveyAction(HrView):
    survey_action = staticmethod(services.survey_open)

    @extend_schema(request=None, responses=SurveyOut)
    def post(self, request: Request, pk: int) -> Response:
        survey = selectors.survey_get(user=request.user, pk=pk)
        return Response(SurveyOut(self.survey_action(by=request.user, survey=survey)).data)


class SurveyOpenView(_SurveyAction):
    survey_action = staticmethod(services.survey_open)


class SurveyCloseView(_SurveyAction):
    survey_action = staticmethod(services.survey_close)


class QuestionListView(HrView):
    @extend_schema(responses=QuestionOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        survey = selectors.survey_get(user=request.user, pk=pk)
        return Response(QuestionOut(selectors.survey_questions(survey=survey), many=True).data)

    @extend_schema(request=QuestionIn, responses={201: QuestionOut})
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(QuestionIn, request)
        survey = selectors.survey_get(user=request.user, pk=pk)
        question = services.question_add(by=request.user, survey=survey, **data)
        return Response(QuestionOut(question).data, status=status.HTTP_201_CREATED)


class ResponseSubmitView(HrView):
    """An employee's answers, sent with the one-time token of their invitation. The response
    is stored anonymously: nothing links it to the employee, the key or the caller."""

    scope_write = "hr:write"
    extra_errors = {"post": (404, 410)}  # an unknown token; a used link or a closed survey

    @extend_schema(request=ResponseIn, responses={201: ResponseOut})
    def post(self, request: Request) -> Response:
        data = validated_input(ResponseIn, request)
        try:
            response = services.response_submit(token=data["token"], answers=data["answers"])
        except ResponseInvalid as exc:
            raise serializers.ValidationError(
                {f"answers.{qid}": [message] for qid, message in exc.errors.items()}
            ) from exc
        return Response(ResponseOut(response).data, status=status.HTTP_201_CREATED)


class SurveyAnalyticsView(HrView):
    """Every aggregate of one survey, with groups under the survey's minimum size hidden."""

    @extend_schema(
        parameters=[AnalyticsParams],
        responses=OpenApiResponse(
            # The same types the dashboard is built from (hr.analytics.results).
            response=resolve_type_hint(analytics.SurveyDashboard),
            description="the HR dashboard's figures; a hidden group has no count",
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        params = AnalyticsParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        survey = selectors.survey_get(user=request.user, pk=pk)
        filters_ = analytics.Filters(
            department=params.validated_data.get("department"),
            period=params.validated_data.get("period"),
            grain=params.validated_data["grain"],
        )
        try:
            data = analytics.survey_dashboard(user=request.user, survey=survey, filters=filters_)
        except analytics.InvalidFilter as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response(analytics.as_json(data))
