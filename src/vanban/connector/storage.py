"""Package files of the connector: the ``connector`` namespace of :mod:`vanban.storage`
(fsynced files under ``FILES_DIR/connector/ab/cd/<sha256>``, or the object-storage bucket,
as configured)."""

from __future__ import annotations

from vanban import storage as blobs

__all__ = ["store", "load", "exists", "remove"]

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
