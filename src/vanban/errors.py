"""The base of every domain error, in the Django apps and in the pure libraries alike.

A :class:`DomainError` carries a stable machine ``code`` (English, ``snake_case`` or
``kebab-case`` per package, never reused), a message in Vietnamese for people and one in
English for logs and API clients, and whether trying again later may help (``retryable``:
a service that is down, a token not plugged in). Each package derives its own base from it
(``EdxmlError``, ``SigningError``, ``HubError``, ``RegistryError``, ...), and the CLI and the
HTTP APIs map that one base to an exit code or an HTTP answer in one place each.

Pure module: no Django, so the pure libraries may import it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DomainError"]


class DomainError(Exception):
    """A failure a user can understand: stable ``code``, messages in vi and en.

    ``code`` and ``retryable`` default to the class attributes, so a subclass names its code
    once; ``details`` is optional JSON-able data (the rows refused, the problems found).
    ``str()`` is the Vietnamese message.
    """

    code: str = "error"
    retryable: bool = False

    def __init__(
        self,
        message_vi: str,
        message_en: str = "",
        *,
        code: str | None = None,
        retryable: bool = False,
        details: Any = None,
    ) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        if code:
            self.code = code
        self.retryable = retryable or type(self).retryable
        self.details = details

    def __str__(self) -> str:
        return self.message_vi

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message_en!r})"

    def summary_vi(self) -> str:
        """The Vietnamese message with whatever locates the fault (a line, a path)."""
        return self.message_vi

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON: code, both messages, ``retryable``, and ``details`` if any."""
        data: dict[str, Any] = {
            "code": self.code,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "retryable": self.retryable,
        }
        if self.details is not None:
            data["details"] = self.details
        return data
