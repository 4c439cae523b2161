"""Errors of the hub: each is a :class:`vanban.errors.DomainError` with a stable machine
code (English), an HTTP status and a message in Vietnamese and English.
:mod:`vanban.exchange.api` maps them to HTTP in one place; a refusal stores nothing."""

from __future__ import annotations

from typing import Any

from vanban.errors import DomainError


class HubError(DomainError):
    """Base of the hub's errors; ``http_status`` is the HTTP answer's status."""

    code = "hub_error"
    http_status = 400

    def __init__(
        self,
        message_vi: str,
        message_en: str = "",
        *,
        code: str | None = None,
        http_status: int | None = None,
        details: Any = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message_vi, message_en, code=code, retryable=retryable, details=details)
        if http_status:
            self.http_status = http_status

    def to_dict(self) -> dict[str, Any]:
        """The body of the HTTP answer (the API's wire format: no ``retryable``)."""
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
