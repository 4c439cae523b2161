"""File responses with the file's name as RFC 6266 says: Vietnamese names kept (``filename*``
in UTF-8), quotes and line breaks never breaking out of the header."""

from __future__ import annotations

from typing import BinaryIO, overload

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

__all__ = ["XLSX", "file_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@overload
def file_response(data: bytes, name: str, content_type: str, *, attachment: bool = False) -> HttpResponse: ...
@overload
def file_response(data: BinaryIO, name: str, content_type: str, *, attachment: bool = False) -> FileResponse: ...
def file_response(
    data: bytes | BinaryIO, name: str, content_type: str, *, attachment: bool = False
) -> HttpResponse | FileResponse:
    """``data`` served as ``name`` (shown in the browser, or saved when ``attachment``); an
    open binary file is streamed in blocks and closed at the end (a temporary file: gone)."""
    response: HttpResponse | FileResponse
    if isinstance(data, bytes):
        response = HttpResponse(data, content_type=content_type or "application/octet-stream")
    else:
        response = FileResponse(data, content_type=content_type or "application/octet-stream")
    clean = "".join(ch for ch in name if ch.isprintable()).strip() or "tep"
    response["Content-Disposition"] = content_disposition_header(attachment, clean) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response
