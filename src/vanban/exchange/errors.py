"""Errors of the hub: each has a stable machine code (English), an HTTP status and a
message in Vietnamese and English. :mod:`vanban.exchange.api` maps them to HTTP in one
place; a refusal stores nothing."""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    code = "hub_error"
    http_status = 400

    def __init__(
        self,
        message_vi: str,
        message_en: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message_vi": self.message_vi, "message_en": self.message_en}
        if self.details is not None:
            data["details"] = self.details
        return data


class Unauthenticated(HubError):
    code = "unauthenticated"
    http_status = 401


class Forbidden(HubError):
    code = "forbidden"
    http_status = 403


class NotFound(HubError):
    code = "not_found"
    http_status = 404

    def __init__(self) -> None:
        super().__init__("Không tìm thấy gói tin.", "No such package.")


class TooLarge(HubError):
    code = "too_large"
    http_status = 413


class Refused(HubError):
    """The package itself is refused (schema, signature, recipients...)."""

    http_status = 422


class Conflict(HubError):
    code = "conflict"
    http_status = 409


class Gone(HubError):
    code = "gone"
    http_status = 410


class NotConfigured(HubError):
    code = "not_configured"
    http_status = 503
