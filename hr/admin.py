"""Admin for HR. Survey responses are not listed: aggregates are read on the dashboard only."""

from typing import Any

from django.contrib import admin

from .models import Department, Employee, Invitation, Question, Survey


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "code")
    search_fields = ("name", "code")


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("full_name", "title", "department", "manager", "hire_date", "status")
    list_filter = ("status", "department")
    search_fields = ("full_name", "email", "external_id")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "min_group_size", "created_at")
    list_filter = ("status",)
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # Who answered is not listed or filterable: watching that flag change next to the
    # dashboard would tie people to answers (see docs/surveys.md).
    list_display = ("survey", "employee", "sent_at", "reminded_at")
    list_filter = ("survey",)
    exclude = ("token_hash", "used")

    def has_add_permission(self, request: Any) -> bool:
        return False  # invitations come from survey_invite, which mails the link
