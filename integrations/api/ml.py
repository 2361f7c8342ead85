"""/api/v1/ml/: parse, fit and sentiment as stateless endpoints (scope ml:invoke)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .. import ml
from ..drf import ApiView
from ..schema import PARSED_RESUME


class _MlView(ApiView):
    scope_read = "ml:invoke"
    scope_write = "ml:invoke"


class ParseIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class FitIn(serializers.Serializer):
    job_text = serializers.CharField(trim_whitespace=False)
    resume_texts = serializers.ListField(
        child=serializers.CharField(trim_whitespace=False), min_length=1
    )
    explain = serializers.BooleanField(default=False)


class SentimentIn(serializers.Serializer):
    texts = serializers.ListField(child=serializers.CharField(trim_whitespace=False), min_length=1)
    explain = serializers.BooleanField(default=False)


FitOut = inline_serializer(
    "FitOut",
    {
        "model_version": serializers.CharField(),
        "results": serializers.ListField(child=serializers.DictField()),
    },
)
SentimentOut = inline_serializer(
    "SentimentOut",
    {
        "model_version": serializers.CharField(),
        "results": serializers.ListField(child=serializers.DictField()),
    },
)


class ParseView(_MlView):
    """A resume file (PDF, DOCX, text, or a PNG/JPEG/TIFF scan read by OCR) in; the parsed
    profile out."""

    parser_classes = [MultiPartParser]  # a file: the one body that is not JSON
    extra_errors = {"post": (422,)}  # a file that cannot be read as a resume

    @extend_schema(
        request={"multipart/form-data": ParseIn},
        responses=OpenApiResponse(
            {
                **PARSED_RESUME,
                "properties": {**PARSED_RESUME["properties"], "model_version": {"type": "string"}},
            },
            description="The parsed profile (the `parsed` of a stored resume) and the parser "
            "version.",
        ),
    )
    def post(self, request: Request) -> Response:
        incoming = ParseIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        from recruiting.services import upload_check_size

        upload_check_size(size=upload.size, filename=upload.name)
        return Response(ml.ml_parse(data=upload.read(), filename=upload.name))


class FitView(_MlView):
    """A job text and 1–50 resume texts in; calibrated 0–100 scores with reasons out."""

    extra_errors = {"post": (413,)}  # over a batch or text limit

    @extend_schema(request=FitIn, responses=FitOut)
    def post(self, request: Request) -> Response:
        incoming = FitIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        return Response(ml.ml_fit(**incoming.validated_data))


class SentimentView(_MlView):
    """1–100 texts in; label, probabilities, topics (and attributions) out."""

    extra_errors = {"post": (413,)}  # over a batch or text limit

    @extend_schema(request=SentimentIn, responses=SentimentOut)
    def post(self, request: Request) -> Response:
        incoming = SentimentIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        return Response(ml.ml_sentiment(**incoming.validated_data))
