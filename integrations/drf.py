"""Base API views: every app's API builds on `ApiView` / `ApiGenericView` and declares the
scopes it needs (`scope_read`, `scope_write`); POSTs honour an Idempotency-Key."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import idempotency
from .auth import api_key_of


class _Replay(exceptions.APIException):
    """Raised in `initial` to answer a retried POST with the stored first answer."""

    def __init__(self, record: Any) -> None:
        super().__init__()
        self.record = record


class IdempotencyMixin:
    """POST with an `Idempotency-Key` header: a retry with the same key (same caller) gets the
    first answer back, with `Idempotent-Replayed: true`, and nothing is done twice."""

    idempotent_methods = ("POST",)
    _idempotency_record: Any = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._idempotency_record = None
        raw = request.headers.get("Idempotency-Key")
        if request.method not in self.idempotent_methods or raw is None:
            return
        key = api_key_of(request)
        owner = f"key:{key.pk}" if key else f"user:{request.user.pk}"
        record, replay = idempotency.idempotency_begin(
            owner=owner,
            key=raw,
            method=request.method,
            path=request.get_full_path(),
            request_hash=idempotency.request_fingerprint(request),
        )
        if replay:
            raise _Replay(record)
        self._idempotency_record = record

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Replay):
            record = exc.record
            headers = {**record.response_headers, "Idempotent-Replayed": "true"}
            return Response(record.response_body, status=record.status_code, headers=headers)
        try:
            return super().handle_exception(exc)  # type: ignore[misc]
        except Exception:
            # A server error: release the key so that the client's retry runs again.
            if self._idempotency_record is not None:
                idempotency.idempotency_release(record=self._idempotency_record)
                self._idempotency_record = None
            raise

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self._idempotency_record is not None:
            idempotency.idempotency_finish(record=self._idempotency_record, response=response)
            self._idempotency_record = None
        return response


class ApiView(IdempotencyMixin, APIView):
    scope_read: str | None = None
    scope_write: str | None = None


class ApiGenericView(IdempotencyMixin, GenericAPIView):
    scope_read: str | None = None
    scope_write: str | None = None


def validated_input(
    serializer_class: type[serializers.Serializer], request: Request
) -> dict[str, Any]:
    """The request body, checked by `serializer_class` (a 400 in the one error body if not)."""
    incoming = serializer_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)
