"""The site's 404 and 403 answers (``handler404``, ``handler403``, ``CSRF_FAILURE_VIEW``):
a Vietnamese page inside the base template (the menu shows for a signed-in person), with the
view's own reason when it raised one in Vietnamese; the API paths (the hub's ``/hub/v1/``,
VDXP, ``/api/``) answer JSON with a machine code, as the hub's own errors do
(``{"code", "message_vi", "message_en"}``)."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from vanban.web.authorize import is_api

__all__ = ["not_found", "forbidden", "csrf_failure"]

NOT_FOUND = "Không có trang hoặc văn bản này, hoặc bạn không có quyền xem."
FORBIDDEN = "Bạn không có quyền mở trang này."
CSRF = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang rồi làm lại."
_DJANGO_TEXT = re.compile(r"^No .* matches the given query\.$|^[\x00-\x7f]*$")
"""Django's own (English, ASCII) reasons: never shown; a view's Vietnamese reason is."""


def _reason(exception: Exception | None, default: str) -> str:
    args: tuple = tuple(getattr(exception, "args", ()))
    text = args[0] if len(args) == 1 and isinstance(args[0], str) else ""
    return default if not text or _DJANGO_TEXT.match(text) else text


def _answer(request: HttpRequest, status: int, code: str, message: str, message_en: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"code": code, "message_vi": message, "message_en": message_en}, status=status)
    return render(request, "web/refused.html", {"message": message, "status": status}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = _reason(exception, NOT_FOUND) if isinstance(exception, Http404) else NOT_FOUND
    return _answer(request, 404, "not_found", reason, "Not found.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, "forbidden", _reason(exception, FORBIDDEN), "Forbidden.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _answer(request, 403, "csrf_failed", CSRF, "CSRF verification failed.")
