"""Package files of the connector: the ``connector`` namespace of :mod:`vanban.storage`
(fsynced files under ``FILES_DIR/connector/ab/cd/<sha256>``, or the object-storage bucket,
as configured)."""

from __future__ import annotations

from pathlib import Path

from vanban import storage as blobs
from vanban.transport import durable

__all__ = ["store", "load", "exists", "remove", "path_for"]

NAMESPACE = "connector"


def store(data: bytes, sha256: str | None = None) -> str:
    """Keep a package's bytes durably; their digest."""
    return blobs.store(NAMESPACE).put(data, sha256)


def load(sha256: str) -> bytes:
    """A package's bytes, checked against their digest."""
    return blobs.store(NAMESPACE).get(sha256)


def exists(sha256: str) -> bool:
    return blobs.store(NAMESPACE).exists(sha256)


def remove(sha256: str) -> None:
    """Delete a package's file; missing is fine."""
    blobs.store(NAMESPACE).delete(sha256)


def path_for(sha256: str, root: Path | None = None) -> Path:
    """Deprecated: the local path of a package's file, which exists only with
    ``VANBAN_STORAGE=local``. Still called by ``connector.services.received_file``; use
    :func:`load` / :func:`exists` instead. Raises :class:`~vanban.storage.StorageError` when
    the connector's files are in object storage."""
    if root is not None:
        return durable.path_for(sha256, root)
    configured = blobs.store(NAMESPACE)
    if not isinstance(configured, blobs.LocalStore):
        raise blobs.StorageError(
            "Tệp của bộ kết nối được lưu trong kho đối tượng, không có đường dẫn trên đĩa.",
            "The connector's files are in object storage: they have no local path.",
            code="no_local_path",
        )
    return configured.path(sha256)
