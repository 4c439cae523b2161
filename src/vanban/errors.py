"""The base of every domain error in the Django apps: a stable machine code (English,
never reused) and a message in Vietnamese for people and in English for API clients.
Each app derives its own base from it (``DirectoryError``, ``RegistryError``, ...)."""

from __future__ import annotations

__all__ = ["DomainError"]


class DomainError(Exception):
    code = "error"

    def __init__(self, message_vi: str, message_en: str = "", code: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        if code:
            self.code = code
