"""Errors of the directory app: a stable machine code and messages in Vietnamese and English."""

from __future__ import annotations

from vanban.errors import DomainError


class DirectoryError(DomainError):
    code = "directory_error"


class PermissionDenied(DirectoryError):
    code = "permission_denied"


class InvalidData(DirectoryError):
    code = "invalid_data"
