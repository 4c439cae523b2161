"""Errors of the registry: stable machine code, Vietnamese and English messages."""

from __future__ import annotations

from vanban.errors import DomainError


class RegistryError(DomainError):
    code = "registry_error"


class TransitionRefused(RegistryError):
    code = "transition_refused"


class InvalidDocument(RegistryError):
    code = "invalid_document"


class NumberingError(RegistryError):
    code = "numbering_error"


class SigningFailed(RegistryError):
    code = "signing_failed"


class FileNotKept(RegistryError):
    """An uploaded or arrived file could not be written to storage (disk full...): the
    step is refused and nothing names the file."""

    code = "file_not_stored"
