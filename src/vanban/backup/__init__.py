"""Backups of an installation (``vanban backup`` / ``vanban restore``): the database, as
portable JSON lines per table read in one snapshot while the system runs, and every file
its rows name — stored files of each :mod:`vanban.storage` namespace (local or S3) and the
key files under the data folder — in one archive (tar or folder) with a manifest of SHA-256
digests, sizes, the migration state, the database vendor, the row counts and the time.

A restore checks every member against the manifest before writing anything, refuses a
target that holds data (unless ``force``), then puts the files in the store and loads the
rows in one transaction; an archive from SQLite loads into PostgreSQL and back.

Uses Django (an app-level package): the pure libraries never import it."""

from vanban.backup.create import BackupReport, create_backup, manifest_time_vi
from vanban.backup.errors import (
    ArchiveCorrupt,
    ArchiveUnsafe,
    BackupError,
    FileVanished,
    SchemaMismatch,
    TargetNotEmpty,
)
from vanban.backup.references import FILE_REFS, NOT_FILES, PATH_FIELDS, SEEDED_TABLES
from vanban.backup.restore import RestoreReport, restore_backup, verify_archive

__all__ = [
    "create_backup",
    "restore_backup",
    "verify_archive",
    "manifest_time_vi",
    "BackupReport",
    "RestoreReport",
    "BackupError",
    "ArchiveCorrupt",
    "ArchiveUnsafe",
    "TargetNotEmpty",
    "SchemaMismatch",
    "FileVanished",
    "FILE_REFS",
    "PATH_FIELDS",
    "NOT_FILES",
    "SEEDED_TABLES",
]
