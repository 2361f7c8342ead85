"""Recruiting API views: translate HTTP to service calls and back; the rules live in services.

Every list pages with a cursor (integrations.pagination) and filters with django-filter;
POSTs honour an Idempotency-Key (integrations.drf). Writes act as the API key's user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Value
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hr.models import Department
from integrations.auth import external_system_of
from integrations.drf import ApiGenericView, ApiView, validated_input
from integrations.pagination import SyncCursorPagination
from integrations.rows import row_plan
from mlcore.parsing.filetypes import DOCX, IMAGES, PDF, TEXT

from .. import selectors, services
from ..blind import hidden_candidate_ids, identity_hidden, shown_to
from ..models import Application, Candidate, UploadBatch, UploadItem
from ..pipeline import Stage
from ..selectors.candidates import candidate_notes
from ..selectors.fit import ranked_applicants
from ..services.upserts import application_upsert, candidate_upsert, job_upsert
from .filters import ApplicationFilter, CandidateFilter, JobFilter
from .serializers import (
    ApplicationIn,
    ApplicationOut,
    CandidateIn,
    CandidateOut,
    FitScoreOut,
    JobIn,
    JobOut,
    JobPatchIn,
    MoveIn,
    NoteIn,
    NoteOnlyIn,
    NoteOut,
    RankedOut,
    RejectIn,
    ResumeOut,
    ResumeUploadIn,
    ScorecardIn,
    ScorecardOut,
    UploadItemOut,
)


class RecruitingView(ApiView):
    scope_read = "recruiting:read"
    scope_write = "recruiting:write"


class RecruitingListView(ApiGenericView):
    scope_read = "recruiting:read"
    scope_write = "recruiting:write"
    pagination_class = SyncCursorPagination

    def list_response(self, queryset: Any, context: dict[str, Any] | None = None) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset))
        page = shown_to(self.request.user, page or [])  # blind screening holds on every list
        data = self.get_serializer_class()(page, many=True, context=context or {}).data
        return self.get_paginated_response(data)

    def rows_page(self, queryset: Any) -> tuple[Any, list[dict[str, Any]]]:
        """(plan, one page of plain rows): the busy sync lists skip model instances."""
        # A serializer class is hashable (the stubs' metaclass hides it).
        plan = row_plan(self.get_serializer_class())  # type: ignore[arg-type]
        page = self.paginate_queryset(self.filter_queryset(queryset).values(*plan.columns))
        return plan, page or []

    def rows_response(self, queryset: Any) -> Response:
        plan, page = self.rows_page(queryset)
        return self.get_paginated_response(plan.render_all(page))


# --- resumes ----------------------------------------------------------------------------


def _upload(request: Request, candidate_id: int | None) -> Response:
    incoming = ResumeUploadIn(data=request.data)
    incoming.is_valid(raise_exception=True)
    candidate = None
    if candidate_id is not None:
        candidate = selectors.candidate_get(user=request.user, pk=candidate_id)
    job = None
    if "job" in incoming.validated_data:
        job = selectors.job_get(user=request.user, pk=incoming.validated_data["job"])
    upload = incoming.validated_data["file"]
    services.upload_check_size(size=upload.size, filename=upload.name)
    # An API client gets a refusal as an HTTP error, and nothing is created.
    item = services.resume_upload(
        by=request.user,
        data=upload.read(),
        filename=upload.name,
        source=UploadBatch.Source.API,
        candidate=candidate,
        job=job,
    )
    item.refresh_from_db()
    code = status.HTTP_200_OK if item.outcome == UploadItem.Outcome.DUPLICATE else 202
    (item,) = shown_to(request.user, [item])
    return Response(UploadItemOut(item).data, status=code)


_PARSE_EFFECTS = (
    " Parsing (after the answer; `resume.parsed` webhook) fills the candidate's name, phone, "
    "location, links, skills, experience, education and years of experience from the file, "
    "except the fields given when the candidate was added or edited since (by a person or "
    "an integration): those are kept. The candidate's applications are scored again."
)


def _upload_doc(description: str) -> Any:
    return extend_schema(
        request={"multipart/form-data": ResumeUploadIn},
        responses={
            202: OpenApiResponse(UploadItemOut, description="Taken: the file is parsed next."),
            200: OpenApiResponse(
                UploadItemOut, description="A duplicate of a stored file: nothing new is created."
            ),
        },
        description=description + _PARSE_EFFECTS,
    )


class ResumeUploadView(RecruitingView):
    """POST a resume file (multipart/form-data: PDF, DOCX, plain text, or a PNG, JPEG or TIFF
    scan read by OCR); the candidate is created (or found by e-mail) from it."""

    parser_classes = [MultiPartParser]  # a file: the one body that is not JSON
    extra_errors = {"post": (404,)}  # the `job` named is not one the user can see

    @_upload_doc(
        "A resume for no candidate in particular: the file says whose it is. A new file "
        "(202) gives a new candidate, or the one with its e-mail address, when parsed. A file "
        "already stored (200, `duplicate`) belongs to the candidate it was parsed into; with "
        "`job`, that candidate is applied to the job."
    )
    def post(self, request: Request) -> Response:
        return _upload(request, candidate_id=None)


class CandidateResumeUploadView(RecruitingListView):
    """A candidate's resumes: list them, or POST a new file."""

    serializer_class = ResumeOut
    filter_backends: list[Any] = []
    parser_classes = [MultiPartParser]

    @extend_schema(responses=ResumeOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        return self.list_response(selectors.candidate_resumes(candidate=candidate))

    @_upload_doc(
        "A resume of this candidate (with `job`, the candidate is applied to it). A file "
        "already stored is a duplicate (200) when it is this candidate's or no one's yet (then "
        "it becomes this candidate's); another candidate's file is 409 `duplicate_resume`, "
        "and that candidate is neither named, moved nor applied."
    )
    def post(self, request: Request, pk: int) -> Response:
        return _upload(request, candidate_id=pk)


class ResumeDetailView(RecruitingView):
    @extend_schema(responses=ResumeOut)
    def get(self, request: Request, pk: int) -> Response:
        (resume,) = shown_to(request.user, [selectors.resume_get(user=request.user, pk=pk)])
        return Response(ResumeOut(resume).data)


class _AnyAccept(DefaultContentNegotiation):
    """A file download answers whatever the client accepts; its errors still come as JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


# What a download can answer: the type read from the file's content at upload.
RESUME_MEDIA_TYPES = (PDF, DOCX, TEXT, *IMAGES, "application/octet-stream")


class ResumeDownloadView(RecruitingView):
    """The original file, as uploaded (withheld while the candidate is blind-screened)."""

    content_negotiation_class = _AnyAccept

    @extend_schema(
        responses={
            (200, media_type): OpenApiResponse(
                bytes,
                description="The file as uploaded, with the type read from its content "
                "(application/octet-stream only for files stored before types were recorded).",
            )
            for media_type in RESUME_MEDIA_TYPES
        }
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        resume = selectors.resume_get(user=request.user, pk=pk)
        try:
            handle = services.resume_file_open(resume=resume, by=request.user)
        except FileNotFoundError as exc:
            raise Http404("The file of this resume is no longer stored.") from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=resume.original_name,
            content_type=resume.content_type or "application/octet-stream",
        )


# --- jobs -------------------------------------------------------------------------------


def _department(pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(pk=pk).first()
    if department is None:  # an object named in the body: 404, as an application's job
        raise Http404(f"There is no department {pk}.")
    return department


def _job_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k != "publish"}
    if "department" in fields:
        fields["department"] = _department(fields["department"])
    return fields


_OWN_EXTERNAL_ID = (
    " `external_id` is the calling integration's own (all its keys share it): another "
    "integration's record with the same id is neither found nor changed."
)
_PUBLISH_NEEDS_DESCRIPTION = (
    " A job needs a description to be published (`publish: true`, or the publish action): "
    "without one the answer is 400 `invalid_job_status` on `description`."
)


class JobListView(RecruitingListView):
    """Jobs the key's user may see; POST creates one, or updates the one with its external_id."""

    serializer_class = JobOut
    filterset_class = JobFilter
    extra_errors = {"post": (404,)}  # the `department` named does not exist

    def get_queryset(self) -> Any:
        return selectors.job_list_api(user=self.request.user)

    @extend_schema(responses=JobOut(many=True))
    def get(self, request: Request) -> Response:
        return self.rows_response(self.get_queryset())

    @extend_schema(
        request=JobIn,
        responses={201: JobOut, 200: JobOut},
        description="Create a job (201), or update the one with this `external_id` (200)."
        + _OWN_EXTERNAL_ID
        + _PUBLISH_NEEDS_DESCRIPTION,
    )
    def post(self, request: Request) -> Response:
        data = validated_input(JobIn, request)
        job, created = job_upsert(
            by=request.user,
            external_system=external_system_of(request),
            publish=data.get("publish", False),
            **_job_fields(data),
        )
        job.refresh_from_db()
        return Response(JobOut(job).data, status=201 if created else 200)


class JobDetailView(RecruitingView):
    extra_errors = {"patch": (409,)}  # external_id is unique

    @extend_schema(responses=JobOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(JobOut(selectors.job_get(user=request.user, pk=pk)).data)

    @extend_schema(request=JobPatchIn, responses=JobOut)
    def patch(self, request: Request, pk: int) -> Response:
        incoming = JobPatchIn(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        job = selectors.job_get(user=request.user, pk=pk)
        changes = _job_fields(incoming.validated_data)
        if "external_id" in changes:  # the caller's own id, in its namespace
            changes["external_system"] = external_system_of(request)
        job = services.job_update(job=job, by=request.user, **changes)
        return Response(JobOut(job).data)


class _JobAction(RecruitingView):
    job_action = staticmethod(services.job_publish)

    @extend_schema(
        request=None,
        responses=JobOut,
        description="publish: open the job (draft → open)."
        + _PUBLISH_NEEDS_DESCRIPTION
        + " close: open → closed; reopen: closed → open. A move the job's status does not "
        "allow is 400 `invalid_job_status`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        job = selectors.job_get(user=request.user, pk=pk)
        return Response(JobOut(self.job_action(job=job, by=request.user)).data)


class JobPublishView(_JobAction):
    job_action = staticmethod(services.job_publish)


class JobCloseView(_JobAction):
    job_action = staticmethod(services.job_close)


class JobReopenView(_JobAction):
    job_action = staticmethod(services.job_reopen)


class _RankingParams(serializers.Serializer):
    stage = serializers.ChoiceField(Stage.choices, required=False)
    min_score = serializers.FloatField(
        required=False, min_value=0, max_value=100, help_text="Only scores at or above this."
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=500, default=100, help_text="How many, 1–500."
    )


class JobRankingView(RecruitingView):
    """The job's applications ranked by the active fit model (unscored ones last)."""

    @extend_schema(parameters=[_RankingParams], responses=RankedOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        params = _RankingParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        job = selectors.job_get(user=request.user, pk=pk)
        ranked = ranked_applicants(
            user=request.user,
            job=job,
            stage=params.validated_data.get("stage"),
            min_score=params.validated_data.get("min_score"),
        )[: params.validated_data["limit"]]
        rows = [
            {
                "rank": n,
                "application": r.obj.pk,
                "candidate": r.obj.candidate_id,
                "stage": r.obj.stage,
                "score": r.score,
                "model_version": r.fit.model_version if r.fit else None,
                "matched_skills": r.matched_skills,
                "missing_skills": r.missing_skills,
            }
            for n, r in enumerate(ranked, start=1)
        ]
        return Response(RankedOut(rows, many=True).data)


# --- candidates -------------------------------------------------------------------------


_NEEDS_NAME_OR_EMAIL = (
    "A candidate needs at least a name or an e-mail address: without both the answer is 400 "
    "`invalid_candidate`."
)


class CandidateListView(RecruitingListView):
    """Candidates the key's user may see; POST adds one (or upserts by external_id)."""

    serializer_class = CandidateOut
    filterset_class = CandidateFilter

    def get_queryset(self) -> Any:
        return selectors.candidate_list(user=self.request.user)

    @extend_schema(responses=CandidateOut(many=True))
    def get(self, request: Request) -> Response:
        plan, page = self.rows_page(self.get_queryset().annotate(identity_hidden=Value(False)))
        data = plan.render_all(page)
        hidden = hidden_candidate_ids(request.user, [row["id"] for row in page])
        if hidden:  # blind screening: these few go through the serializer, which masks
            context = {"hidden_ids": hidden}
            masked = {
                c.pk: CandidateOut(c, context=context).data
                for c in Candidate.objects.filter(pk__in=hidden)
            }
            data = [masked.get(row["id"], row) for row in data]
        return self.get_paginated_response(data)

    @extend_schema(
        request=CandidateIn,
        responses={201: CandidateOut, 200: CandidateOut},
        description="Add a candidate (201), or update the one with this `external_id` (200)."
        + _OWN_EXTERNAL_ID
        + " "
        + _NEEDS_NAME_OR_EMAIL,
    )
    def post(self, request: Request) -> Response:
        data = validated_input(CandidateIn, request)
        candidate, created = candidate_upsert(
            by=request.user, external_system=external_system_of(request), **data
        )
        return Response(CandidateOut(candidate).data, status=201 if created else 200)


class CandidateDetailView(RecruitingView):
    @extend_schema(responses=CandidateOut)
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        hidden = {pk} if identity_hidden(request.user, candidate) else set()
        return Response(CandidateOut(candidate, context={"hidden_ids": hidden}).data)

    @extend_schema(
        request=CandidateIn,
        responses=CandidateOut,
        description="Change the fields sent (`external_id` is ignored here). "
        + _NEEDS_NAME_OR_EMAIL,
    )
    def patch(self, request: Request, pk: int) -> Response:
        incoming = CandidateIn(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = {k: v for k, v in incoming.validated_data.items() if k != "external_id"}
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        candidate = services.candidate_update_profile(
            candidate=candidate, by=request.user, **changes
        )
        return Response(CandidateOut(candidate).data)


class CandidateNoteListView(RecruitingListView):
    serializer_class = NoteOut
    filter_backends: list[Any] = []

    @extend_schema(responses=NoteOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        return self.list_response(candidate_notes(user=request.user, candidate=candidate))

    @extend_schema(request=NoteIn, responses={201: NoteOut})
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(NoteIn, request)
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        application = None
        if data.get("application"):
            application = selectors.application_get(user=request.user, pk=data["application"])
        note = services.note_create(
            candidate=candidate, by=request.user, body=data["body"], application=application
        )
        return Response(NoteOut(note).data, status=status.HTTP_201_CREATED)


# --- applications -----------------------------------------------------------------------


class ApplicationListView(RecruitingListView):
    """Applications the key's user may see; POST applies a candidate to an open job."""

    serializer_class = ApplicationOut
    filterset_class = ApplicationFilter
    extra_errors = {"post": (404,)}  # the candidate or job named is not one the user can see

    def get_queryset(self) -> Any:
        return selectors.application_list(user=self.request.user)

    @extend_schema(responses=ApplicationOut(many=True))
    def get(self, request: Request) -> Response:
        return self.rows_response(selectors.application_list_rows(user=request.user))

    @extend_schema(
        request=ApplicationIn,
        responses={201: ApplicationOut, 200: ApplicationOut},
        description="Apply a candidate to an open job (201), or return the application with "
        "this `external_id` as it is (200): the stage moves only through the actions. The "
        "same `external_id` with another `candidate` or `job` is 409 `external_id_conflict` "
        "(an application never changes candidate or job). `external_id` is the calling "
        "integration's own: another integration's ids are neither found nor clashed with.",
    )
    def post(self, request: Request) -> Response:
        data = validated_input(ApplicationIn, request)
        # Upsert: an existing application comes back as it is (the stage moves by the actions).
        application, created = application_upsert(
            by=request.user,
            candidate_id=data["candidate"],
            job_id=data["job"],
            source=data.get("source", ""),
            external_id=data.get("external_id") or "",
            external_system=external_system_of(request),
        )
        return Response(ApplicationOut(application).data, status=201 if created else 200)


class ApplicationDetailView(RecruitingView):
    @extend_schema(responses=ApplicationOut)
    def get(self, request: Request, pk: int) -> Response:
        # With the active score, as the list shows it (was always null here).
        return Response(ApplicationOut(selectors.application_detail(user=request.user, pk=pk)).data)


def _moved(request: Request, application: Application) -> Response:
    fresh = selectors.application_detail(user=request.user, pk=application.pk)
    return Response(ApplicationOut(fresh).data)


class ApplicationAdvanceView(RecruitingView):
    """One step forward: applied → screening → interview → offer → hired."""

    @extend_schema(request=NoteOnlyIn, responses=ApplicationOut)
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(NoteOnlyIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        services.application_advance(
            application=application, by=request.user, note=data.get("note", "")
        )
        return _moved(request, application)


class ApplicationMoveView(RecruitingView):
    @extend_schema(request=MoveIn, responses=ApplicationOut)
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(MoveIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        services.application_move(
            application=application,
            to_stage=data["to_stage"],
            by=request.user,
            note=data.get("note", ""),
            reason=data.get("reason", ""),
        )
        return _moved(request, application)


class ApplicationRejectView(RecruitingView):
    @extend_schema(
        request=RejectIn,
        responses=ApplicationOut,
        description="Reject (from any open stage). Name a standard reason by "
        "`rejection_reason_id` (GET /rejection-reasons/): it is kept on the application for "
        "the analytics, and the application's `rejection_reason` reads its label, then "
        '`reason` if given ("Role filled: hired internally"). An unknown or archived id is '
        "400 `invalid_rejection` on `rejection_reason_id`. Without an id, `reason` is the "
        "free-text reason and is needed (400 `reason_required`). `note` goes to the stage "
        "history. The hiring team is told; `application.stage_changed` is sent.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(RejectIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        if data.get("rejection_reason_id") is not None:
            category = selectors.rejection_reason_offered(pk=data["rejection_reason_id"])
            services.application_reject_with_reason(
                application=application,
                by=request.user,
                category=category,
                details=data.get("reason", ""),
                note=data.get("note", ""),
            )
        else:
            services.application_reject(
                application=application,
                by=request.user,
                reason=data.get("reason", ""),
                note=data.get("note", ""),
            )
        return _moved(request, application)


class ApplicationHireView(RecruitingView):
    @extend_schema(
        request=NoteOnlyIn,
        responses=ApplicationOut,
        description="Offer → hired (from another stage: 400 `invalid_transition`). In the same "
        "transaction it creates the employee record (`/hr/employees/`) from the candidate: "
        "name, e-mail, the job's title and department, hired today; a candidate who is "
        "already a current employee (same candidate or e-mail) keeps one record, with the new "
        "title and department. The hiring team is told; `application.stage_changed` is sent.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(NoteOnlyIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        services.application_hire(
            application=application, by=request.user, note=data.get("note", "")
        )
        return _moved(request, application)


class ScorecardListView(RecruitingListView):
    serializer_class = ScorecardOut
    filter_backends: list[Any] = []

    @extend_schema(responses=ScorecardOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get(user=request.user, pk=pk)
        return self.list_response(selectors.application_scorecards(application=application))

    @extend_schema(request=ScorecardIn, responses={201: ScorecardOut})
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(ScorecardIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        scorecard = services.scorecard_submit(application=application, by=request.user, **data)
        return Response(ScorecardOut(scorecard).data, status=status.HTTP_201_CREATED)


class FitScoreListView(RecruitingListView):
    """The application's fit scores, one per model version, with their explanations."""

    serializer_class = FitScoreOut
    filter_backends: list[Any] = []

    @extend_schema(responses=FitScoreOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get(user=request.user, pk=pk)
        return self.list_response(selectors.application_fit_scores(application=application))
