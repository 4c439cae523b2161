"""Errors of the registry: stable machine code, Vietnamese and English messages."""

from __future__ import annotations


class RegistryError(Exception):
    code = "registry_error"

    def __init__(self, message_vi: str, message_en: str = "", code: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        if code:
            self.code = code


class TransitionRefused(RegistryError):
    code = "transition_refused"


class InvalidDocument(RegistryError):
    code = "invalid_document"


class NumberingError(RegistryError):
    code = "numbering_error"


class SigningFailed(RegistryError):
    code = "signing_failed"
