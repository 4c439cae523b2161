"""Package files of the hub: the ``hub`` namespace of :mod:`vanban.storage` (fsynced files
under ``FILES_DIR/hub/ab/cd/<sha256>``, or the object-storage bucket, as configured)."""

from __future__ import annotations

from vanban import storage as blobs

__all__ = ["store", "load", "exists", "remove"]

NAMESPACE = "hub"


def store(data: bytes, sha256: str | None = None) -> str:
    """Keep a package's bytes (``sha256``: their digest, already computed) durably; its digest."""
    return blobs.store(NAMESPACE).put(data, sha256)


def load(sha256: str) -> bytes:
    """A package's bytes, checked against their digest."""
    return blobs.store(NAMESPACE).get(sha256)


def exists(sha256: str) -> bool:
    return blobs.store(NAMESPACE).exists(sha256)


def remove(sha256: str) -> None:
    """Delete a package's file (a withdrawn secret document); missing is fine."""
    blobs.store(NAMESPACE).delete(sha256)
