"""Uploads bounded before they are read: a request whose declared body is larger than any
file vanban accepts is answered 413 at once, with a Vietnamese page (JSON with a code on the
APIs), and nothing of its body is read; file fields refuse a file over their limit from its
size (the upload itself is streamed to a temporary file by Django, never held in memory)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse

__all__ = ["RequestSizeLimit", "max_size", "request_limit"]

_API_PREFIXES = ("/api/", "/vdxp/", "/hub/")


def request_limit() -> int:
    """The largest request body accepted (``VANBAN_MAX_REQUEST_BYTES``)."""
    return int(getattr(settings, "VANBAN_MAX_REQUEST_BYTES", 0)) or 110 * 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class RequestSizeLimit:
    """Refuse a request declaring a body over :func:`request_limit` before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = request_limit()
        if declared > limit:
            message = f"Tệp gửi lên quá lớn ({_megabytes(declared)}); giới hạn là {_megabytes(limit)}."
            if request.path.startswith(_API_PREFIXES):
                return JsonResponse({"code": "too_large", "message": message}, status=413)
            response = HttpResponse(
                f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Tệp quá lớn</title>'
                f"<h1>Tệp quá lớn</h1><p>{message} Hãy quay lại và chọn tệp nhỏ hơn.</p></html>",
                status=413,
                content_type="text/html; charset=utf-8",
            )
            response["Connection"] = "close"  # the body is not read
            return response
        return self.get_response(request)


def max_size(limit: int) -> Callable[[UploadedFile], None]:
    """A file-field validator refusing a file over ``limit`` bytes from its size alone."""

    def validate(upload: UploadedFile) -> None:
        if upload is not None and (upload.size or 0) > limit:
            raise ValidationError(
                f"Tệp quá lớn ({_megabytes(upload.size or 0)}); tối đa {_megabytes(limit)}.", code="too_large"
            )

    return validate
