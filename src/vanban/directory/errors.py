"""Errors of the directory app: a stable machine code and messages in Vietnamese and English."""

from __future__ import annotations


class DirectoryError(Exception):
    code = "directory_error"

    def __init__(self, message_vi: str, message_en: str = "", code: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        if code:
            self.code = code


class PermissionDenied(DirectoryError):
    code = "permission_denied"


class InvalidData(DirectoryError):
    code = "invalid_data"
