"""Errors of backing up and restoring: an archive that cannot be trusted (damaged, altered,
or built to escape its folder), a target that already holds data, a schema that differs,
a file that vanished while the backup was being taken."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["BackupError", "ArchiveCorrupt", "ArchiveUnsafe", "TargetNotEmpty", "SchemaMismatch", "FileVanished"]


class BackupError(DomainError):
    code = "backup_failed"


class ArchiveCorrupt(BackupError):
    """The archive does not match its manifest; nothing was loaded."""

    code = "backup_archive_corrupt"

    def __init__(self, reason_vi: str, reason_en: str) -> None:
        super().__init__(
            f"Bản sao lưu bị hỏng hoặc đã bị sửa, không khôi phục gì: {reason_vi}",
            f"The backup archive is damaged or altered, nothing was restored: {reason_en}",
        )


class ArchiveUnsafe(ArchiveCorrupt):
    """A member that could write outside the target (a path, a link, a device)."""

    code = "backup_archive_unsafe"


class TargetNotEmpty(BackupError):
    code = "restore_target_not_empty"

    def __init__(self, what: list[str]) -> None:
        shown = ", ".join(what[:5]) + (f" và {len(what) - 5} nơi khác" if len(what) > 5 else "")
        super().__init__(
            f"Nơi khôi phục đã có dữ liệu ({shown}): chỉ khôi phục vào cơ sở dữ liệu mới (đã migrate, chưa có dữ liệu)"
            " và kho tệp trống, hoặc dùng --force để xóa dữ liệu hiện có và thay bằng bản sao lưu.",
            f"The restore target already holds data ({', '.join(what[:5])}): restore into an empty, migrated "
            "database and an empty file store, or use --force to replace what is there.",
            details={"found": what},
        )


class SchemaMismatch(BackupError):
    code = "restore_schema_mismatch"

    def __init__(self, missing: list[str], extra: list[str]) -> None:
        parts_vi, parts_en = [], []
        if missing:
            parts_vi.append(f"máy này chưa có {len(missing)} bước migrate của bản sao lưu (ví dụ {missing[0]})")
            parts_en.append(f"{len(missing)} migrations of the backup are not applied here (e.g. {missing[0]})")
        if extra:
            parts_vi.append(f"máy này có {len(extra)} bước migrate mà bản sao lưu không có (ví dụ {extra[0]})")
            parts_en.append(f"{len(extra)} migrations here are not in the backup (e.g. {extra[0]})")
        super().__init__(
            "Cấu trúc cơ sở dữ liệu khác với bản sao lưu: "
            + "; ".join(parts_vi)
            + ". Hãy khôi phục bằng đúng phiên bản vanban đã tạo bản sao lưu, rồi mới nâng cấp.",
            "The database schema differs from the backup's: " + "; ".join(parts_en) + ".",
            details={"missing": missing, "extra": extra},
        )


class FileVanished(BackupError):
    """A file named by a row of the snapshot was deleted before it could be copied."""

    code = "backup_file_vanished"
    retryable = True

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Tệp {key} được dữ liệu nhắc đến đã bị xóa trong lúc sao lưu: hãy chạy lại lệnh sao lưu.",
            f"Stored file {key}, named by the snapshot, was deleted during the backup: run it again.",
        )
