"""Logging filters: a refused request (403, 404) is a one-line warning, not a traceback."""

from __future__ import annotations

import logging


class NoTracebackFor4xx(logging.Filter):
    """django.request logs PermissionDenied and Http404 with the exception attached, so every
    refused URL printed a full traceback; for client errors the line says all there is."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
