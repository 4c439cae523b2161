"""Content-addressed file storage: bytes are kept once under their SHA-256, through
Django's default storage (local files under ``VANBAN_FILES_DIR`` by default; object
storage through django-storages in production). Rows reference files by digest."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

__all__ = ["put_bytes", "get_bytes", "exists", "path_for"]


def path_for(sha256: str) -> str:
    return f"cas/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def put_bytes(data: bytes) -> str:
    """Store ``data`` (idempotent) and return its SHA-256 hex digest."""
    digest = hashlib.sha256(data).hexdigest()
    name = path_for(digest)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return digest


def get_bytes(sha256: str) -> bytes:
    with default_storage.open(path_for(sha256), "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OSError(f"stored file {sha256} is corrupt (digest mismatch)")
    return data


def exists(sha256: str) -> bool:
    return default_storage.exists(path_for(sha256))
