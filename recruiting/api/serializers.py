"""Input and output serializers of the recruiting API: shapes only, no rules."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Resume, UploadItem


class ResumeUploadIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    job = serializers.IntegerField(required=False, min_value=1)


class ResumeOut(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id", allow_null=True)

    class Meta:
        model = Resume
        fields = [
            "id",
            "candidate",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "parse_status",
            "parse_error",
            "parser_version",
            "parsed",
            "parsed_at",
            "created_at",
        ]


class UploadItemOut(serializers.ModelSerializer):
    status = serializers.CharField()
    reason = serializers.CharField()
    batch = serializers.UUIDField(source="batch_id")
    resume = ResumeOut(allow_null=True)

    class Meta:
        model = UploadItem
        fields = ["batch", "filename", "size", "status", "reason", "resume"]
