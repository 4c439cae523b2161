"""Errors of stored files: a file that is not there, and one whose bytes no longer match
their digest (damaged on disk or in the bucket)."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["StorageError", "BlobMissing", "BlobCorrupt"]


class StorageError(DomainError):
    code = "storage_error"


class BlobMissing(StorageError):
    code = "file_missing"

    def __init__(self, key: str) -> None:
        super().__init__(f"Không tìm thấy tệp đã lưu {key}.", f"Stored file {key} is missing.")
        self.key = key


class BlobCorrupt(StorageError):
    code = "file_corrupt"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Tệp đã lưu {key} bị hỏng (mã băm không khớp nội dung).",
            f"Stored file {key} is corrupt (its SHA-256 does not match its content).",
        )
        self.key = key
