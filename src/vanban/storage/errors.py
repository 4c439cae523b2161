"""Errors of stored files: a file that is not there, one whose bytes no longer match
their digest (damaged on disk or in the bucket), and one that could not be written (disk
full, read-only, no permission)."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["StorageError", "BlobMissing", "BlobCorrupt", "FileNotStored"]


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


class FileNotStored(StorageError):
    """Writing the file failed (``OSError``: disk full, read-only file system...): nothing
    was kept, and the caller must not record a row that names it."""

    code = "file_not_stored"

    def __init__(self, reason: str) -> None:
        super().__init__(
            "Không lưu được tệp: ổ đĩa của máy chủ đã đầy hoặc không ghi được. Chưa có gì được ghi nhận; "
            "hãy báo quản trị hệ thống rồi thử lại.",
            f"The file was not stored: {reason}",
        )
        self.reason = reason
