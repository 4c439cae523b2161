"""Stored files in object storage: keys ``<namespace>/ab/cd/<sha256>`` through a Django
storage backend — django-storages' S3 backend (boto3) in production, as configured in
``settings.STORAGES["vanban"]``; any Django storage works."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

from vanban.storage.base import check, key_for, verified_reader
from vanban.storage.errors import BlobMissing

__all__ = ["ObjectStore"]


class ObjectStore:
    """A :class:`~vanban.storage.BlobStore` over a Django storage (an S3 bucket).

    An S3 ``PUT`` has stored the object durably when it answers, so :meth:`put` returning
    means what it means for local files: the row naming the digest may commit."""

    __slots__ = ("storage", "namespace")

    def __init__(self, storage: Storage, namespace: str) -> None:
        self.storage = storage
        self.namespace = namespace

    def __repr__(self) -> str:
        return f"ObjectStore({type(self.storage).__name__}, {self.namespace!r})"

    def key(self, sha256: str) -> str:
        return f"{self.namespace}/{key_for(sha256)}"

    def put(self, data: bytes, sha256: str | None = None) -> str:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"stored files are bytes, not {type(data).__name__}")
        sha = hashlib.sha256(data).hexdigest() if sha256 is None else sha256
        key = self.key(sha)
        if self.storage.exists(key):
            return sha
        saved = self.storage.save(key, ContentFile(data))
        if saved != key:  # a backend that keeps both when two writers met: same bytes, drop one
            self.storage.delete(saved)
        return sha

    def get(self, sha256: str) -> bytes:
        key = self.key(sha256)
        try:
            with self.storage.open(key, "rb") as fh:
                data = fh.read()
        except Exception as exc:
            self._missing(key, exc)
            raise
        return check(data, sha256, key)

    def open(self, sha256: str) -> BinaryIO:
        key = self.key(sha256)
        try:
            raw = self.storage.open(key, "rb")
        except Exception as exc:
            self._missing(key, exc)
            raise
        return verified_reader(raw, sha256, key)

    def exists(self, sha256: str) -> bool:
        return self.storage.exists(self.key(sha256))

    def delete(self, sha256: str) -> None:
        self.storage.delete(self.key(sha256))

    def size(self, sha256: str) -> int:
        key = self.key(sha256)
        try:
            return self.storage.size(key)
        except Exception as exc:
            self._missing(key, exc)
            raise

    def _missing(self, key: str, exc: Exception) -> None:
        """Backends differ in what they raise for a missing object: ask."""
        if isinstance(exc, FileNotFoundError) or not self.storage.exists(key):
            raise BlobMissing(key) from exc
