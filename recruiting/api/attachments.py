"""A candidate's attachments other than resumes over the API (issue 17): list, upload
(multipart), download and delete. Thin: `services.attachments` holds the rules."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mlcore.parsing.filetypes import SUPPORTED

from .. import selectors
from ..models import CandidateAttachment
from ..selectors.attachments import attachment_get, attachments_shown_to, candidate_attachments
from ..services.attachments import (
    ATTACHMENT_FORMATS,
    attachment_add,
    attachment_delete,
    attachment_file_open,
)
from .views import RecruitingListView, RecruitingView, _AnyAccept


class AttachmentOut(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id")
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", allow_null=True)
    original_name = serializers.CharField(
        help_text='The name it was sent with ("Attachment #id" under blind screening).'
    )
    content_type = serializers.CharField(help_text="Read from the file's content.")

    class Meta:
        model = CandidateAttachment
        fields = [
            "id",
            "candidate",
            "kind",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
        ]


class AttachmentUploadIn(serializers.Serializer):
    file = serializers.FileField(help_text=f"{ATTACHMENT_FORMATS}.")
    kind = serializers.ChoiceField(CandidateAttachment.Kind.choices)


def _page(view: RecruitingListView, request: Request, queryset: Any) -> Response:
    page = view.paginate_queryset(queryset) or []
    page = attachments_shown_to(request.user, list(page))
    return view.get_paginated_response(AttachmentOut(page, many=True).data)


class CandidateAttachmentListView(RecruitingListView):
    """A candidate's documents other than resumes, newest first; POST adds one."""

    serializer_class = AttachmentOut
    filter_backends: list[Any] = []
    parser_classes = [MultiPartParser]  # a file

    @extend_schema(responses=AttachmentOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        return _page(self, request, candidate_attachments(candidate=candidate))

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadIn},
        responses={201: AttachmentOut},
        description="Add a cover letter, portfolio or other document (recruiters): "
        f"{ATTACHMENT_FORMATS}, judged by its content (415 `upload_refused` otherwise; "
        "over the upload limit 413). It is stored, never parsed or scored: the profile and "
        "the fit scores do not change. `candidate.updated` is sent (`fields`: "
        '`["attachments"]`). Erasing the candidate deletes their attachments.',
    )
    def post(self, request: Request, pk: int) -> Response:
        incoming = AttachmentUploadIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        upload = incoming.validated_data["file"]
        attachment = attachment_add(
            candidate=candidate,
            by=request.user,
            kind=incoming.validated_data["kind"],
            data=upload.read(),
            filename=upload.name,
        )
        (shown,) = attachments_shown_to(request.user, [attachment])
        return Response(AttachmentOut(shown).data, status=status.HTTP_201_CREATED)


class AttachmentDetailView(RecruitingView):
    @extend_schema(responses=AttachmentOut)
    def get(self, request: Request, pk: int) -> Response:
        (shown,) = attachments_shown_to(request.user, [attachment_get(user=request.user, pk=pk)])
        return Response(AttachmentOut(shown).data)

    @extend_schema(
        responses={204: None}, description="Delete the document and its file (recruiters)."
    )
    def delete(self, request: Request, pk: int) -> Response:
        attachment = attachment_get(user=request.user, pk=pk)
        attachment_delete(attachment=attachment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


ATTACHMENT_MEDIA_TYPES = SUPPORTED


class AttachmentDownloadView(RecruitingView):
    """The file as uploaded (withheld while the candidate is blind-screened: 403)."""

    content_negotiation_class = _AnyAccept

    @extend_schema(
        responses={
            (200, media_type): OpenApiResponse(
                bytes, description="The file, with the type read from its content."
            )
            for media_type in ATTACHMENT_MEDIA_TYPES
        }
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        attachment = attachment_get(user=request.user, pk=pk)
        try:
            handle = attachment_file_open(attachment=attachment, by=request.user)
        except FileNotFoundError as exc:
            raise Http404("The file of this attachment is no longer stored.") from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
