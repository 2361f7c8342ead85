"""Admin for recruiting: read-mostly views for support staff; pipeline moves go through services."""

from django.contrib import admin

from .models import (
    Application,
    Candidate,
    FitScore,
    Interview,
    Job,
    Note,
    OutboundEmail,
    RejectionReason,
    Resume,
    Scorecard,
    StageEvent,
)


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


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    """Reasons in use are archived (`active` off), never deleted (PROTECT)."""

    list_display = ("label", "code", "active", "position")
    list_editable = ("active", "position")


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    # Scheduling sends invitations: that goes through the portal's services, not the admin.
    list_display = ("application", "starts_at", "time_zone", "status", "sequence")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Interview._meta.fields] + ["interviewers"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
