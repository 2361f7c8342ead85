"""Admin for recruiting: read-mostly views for support staff; pipeline moves go through services."""

from django.contrib import admin

from .models import Application, Candidate, FitScore, Job, Note, Resume, Scorecard, StageEvent


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "by", "note", "at", "notified_at")

    def has_add_permission(self, request, obj=None):  # the audit trail is written by services
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "department", "location", "owner", "created_at")
    list_filter = ("status", "remote_policy", "employment_type", "department")
    search_fields = ("title", "description", "external_id")
    filter_horizontal = ("hiring_team",)
    readonly_fields = ("published_at", "closed_at", "created_at", "updated_at")


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "phone", "location", "source", "created_at")
    search_fields = ("full_name", "email", "external_id")
    list_filter = ("source",)
    readonly_fields = ("edited_fields", "created_at", "updated_at")


@admin.register(Resume)
class ResumeAdmin(admin.ModelAdmin):
    list_display = ("original_name", "candidate", "content_type", "size", "parse_status")
    list_filter = ("parse_status", "content_type")
    search_fields = ("original_name", "sha256")
    readonly_fields = ("sha256", "size", "content_type", "parser_version", "parsed_at")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "job", "stage", "applied_at", "stage_changed_at")
    list_filter = ("stage", "job")
    search_fields = ("candidate__full_name", "candidate__email", "job__title")
    # The stage changes only through the pipeline rules (services), never by editing here.
    readonly_fields = (
        "stage",
        "stage_changed_at",
        "rejected_at",
        "rejection_reason",
        "withdrawn_at",
        "withdrawal_reason",
        "hired_at",
    )
    inlines = [StageEventInline]


@admin.register(FitScore)
class FitScoreAdmin(admin.ModelAdmin):
    list_display = ("application", "score", "model_version", "computed_at")
    list_filter = ("model_version",)


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("candidate", "author", "created_at")


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("application", "interviewer", "stage", "recommendation", "submitted_at")
    list_filter = ("recommendation",)
