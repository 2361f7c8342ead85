"""Recruiting API views: translate HTTP to service calls and back."""

from __future__ import annotations

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import UploadBatch, UploadItem
from .serializers import ResumeOut, ResumeUploadIn, UploadItemOut


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
    data = upload.read()
    # An API client gets a refusal as an HTTP error, and nothing is created.
    services.upload_check(data=data, filename=upload.name)
    batch = services.upload_batch_create(by=request.user, source=UploadBatch.Source.API, job=job)
    item = services.resume_ingest(batch=batch, data=data, filename=upload.name, candidate=candidate)
    item.refresh_from_db()
    code = status.HTTP_200_OK if item.outcome == UploadItem.Outcome.DUPLICATE else 202
    return Response(UploadItemOut(item).data, status=code)


class ResumeUploadView(APIView):
    """POST a resume file; the candidate is created (or found by e-mail) from it."""

    def post(self, request: Request) -> Response:
        return _upload(request, candidate_id=None)


class CandidateResumeUploadView(APIView):
    """POST a resume file for a known candidate."""

    def post(self, request: Request, pk: int) -> Response:
        return _upload(request, candidate_id=pk)


class ResumeDetailView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(ResumeOut(selectors.resume_get(user=request.user, pk=pk)).data)
