"""What rows point to outside the database, declared once: the stored files each table
names by SHA-256 (and in which namespace of :mod:`vanban.storage`), the files on disk some
tables name by path (signing keys), and the fields that look like either but are not.

``tests/backup`` checks that every model field called ``*sha256*`` or ``*path`` is declared
here, so a new table that names a file cannot be left out of the backups unnoticed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["FileRef", "FILE_REFS", "PATH_FIELDS", "NOT_FILES", "SEEDED_TABLES", "COLUMN_SEQUENCES", "digests_in"]


def _always(row: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class FileRef:
    """``model``'s ``field`` names a stored file of ``namespace`` when ``kept(row)``;
    ``in_list``: the field is a JSON list of objects, each with a ``sha256``."""

    model: str
    field: str
    namespace: str
    kept: Callable[[dict[str, Any]], bool] = _always
    in_list: bool = False


FILE_REFS: tuple[FileRef, ...] = (
    FileRef("registry.StoredFile", "sha256", "files"),
    FileRef("scanning.ScanJob", "original_sha256", "files"),
    FileRef("scanning.ScanJob", "pdf_sha256", "files"),
    # a secret document's package is refused unread: its row keeps the digest, not the file
    FileRef("connector.ReceivedPackage", "sha256", "connector", kept=lambda row: row["state"] != "secret"),
    FileRef("connector.ReceivedPackage", "attachments", "files", in_list=True),
    # a withdrawn package's content is deleted from the hub (its row stays, as evidence)
    FileRef("exchange.Package", "sha256", "hub", kept=lambda row: row["withdrawn_at"] is None),
)

# Files on disk named by path (absolute): those under the data folder are copied into the
# archive and put back under the target's data folder, the rows then naming the new place.
PATH_FIELDS: tuple[tuple[str, str], ...] = (
    ("registry.SigningKey", "path"),
    ("connector.HubAccount", "signing_key_path"),
    ("connector.HubAccount", "signing_cert_path"),
)

# Fields named like a digest or a path that name no file of the system.
NOT_FILES: dict[tuple[str, str], str] = {
    ("exchange.HubCredential", "secret_sha256"): "the digest of a token's secret",
    (
        "records.TransferReceipt",
        "package_sha256",
    ): "the digest of a transfer package received (the package is not kept)",
    ("connector.OutboxItem", "sha256"): "the package itself is in the row (BinaryField)",
    ("scanning.ScanJob", "folder_path"): "where a scan was found in the scanner's folder (its bytes: original_sha256)",
    ("django_tasks_database.DBTaskResult", "task_path"): "a Python dotted name",
    ("django_tasks_database.DBTaskResult", "exception_class_path"): "a Python dotted name",
}

# Tables that ``migrate`` fills (reference data, content types, permissions): an empty target
# has rows there; a restore replaces them with the archive's.
SEEDED_TABLES = frozenset(
    {
        "auth_permission",
        "django_content_type",
        "audit_auditchainhead",
        "directory_documenttype",
        "directory_level",
        "directory_role",
        "directory_secrecylevel",
        "directory_urgencylevel",
        "records_retentionclass",
        "reports_target",
    }
)


# PostgreSQL sequences that number a column other than a primary key: after a restore each
# is moved past the column's highest value (whichever database the archive came from).
COLUMN_SEQUENCES: dict[str, tuple[str, str]] = {
    "audit_event_seq": ("audit_auditevent", "seq"),  # the order of the whole log (audit 0005)
}


def digests_in(ref: FileRef, row: dict[str, Any]) -> Iterator[str]:
    """The digests ``row`` (field name -> value) names through ``ref``."""
    if not ref.kept(row):
        return
    value = row[ref.field]
    if ref.in_list:
        for item in value or ():
            if isinstance(item, dict) and item.get("sha256"):
                yield str(item["sha256"])
    elif value:
        yield str(value)
