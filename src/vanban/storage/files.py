"""The registry's files (documents, attachments): the ``files`` namespace. Rows
(``StoredFile``) reference them by SHA-256."""

from __future__ import annotations

from vanban.storage.configured import store

__all__ = ["put_bytes", "get_bytes", "exists"]

NAMESPACE = "files"


def put_bytes(data: bytes) -> str:
    """Store ``data`` (idempotent, durable) and return its SHA-256 hex digest."""
    return store(NAMESPACE).put(data)


def get_bytes(sha256: str) -> bytes:
    """The bytes of ``sha256``, checked against it (``BlobMissing``, ``BlobCorrupt``)."""
    return store(NAMESPACE).get(sha256)


def exists(sha256: str) -> bool:
    return store(NAMESPACE).exists(sha256)
