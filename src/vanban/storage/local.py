"""Stored files on local disk: ``root/ab/cd/<sha256>``, written durably by
:mod:`vanban.transport.durable` (temporary file, fsync, rename, fsync of the folder). No Django."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from vanban.storage.base import check, key_for, verified_reader
from vanban.storage.errors import BlobMissing, FileNotStored
from vanban.transport import durable

__all__ = ["LocalStore"]


class LocalStore:
    """A :class:`~vanban.storage.BlobStore` on a folder of the local disk."""

    __slots__ = ("root", "namespace")

    def __init__(self, root: Path, namespace: str = "") -> None:
        self.root = Path(root)
        self.namespace = namespace

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r}, {self.namespace!r})"

    def path(self, sha256: str) -> Path:
        """Where the file of ``sha256`` is (for local tools; callers use the interface)."""
        return self.root / key_for(sha256)

    def put(self, data: bytes, sha256: str | None = None) -> str:
        if sha256 is not None:
            key_for(sha256)  # a digest, not a path
        try:
            return durable.store(data, self.root, sha256)
        except OSError as exc:  # disk full, read-only: the temporary file is already gone
            raise FileNotStored(f"{self.namespace or self.root}: {exc.strerror or exc}") from exc

    def get(self, sha256: str) -> bytes:
        key = key_for(sha256)
        try:
            with open(self.root / key, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise BlobMissing(self._name(key)) from None
        return check(data, sha256, self._name(key))

    def open(self, sha256: str) -> BinaryIO:
        key = key_for(sha256)
        try:
            raw = open(self.root / key, "rb", buffering=0)
        except FileNotFoundError:
            raise BlobMissing(self._name(key)) from None
        return verified_reader(raw, sha256, self._name(key))

    def exists(self, sha256: str) -> bool:
        return os.path.exists(self.root / key_for(sha256))

    def delete(self, sha256: str) -> None:
        key_for(sha256)
        durable.remove(sha256, self.root)

    def size(self, sha256: str) -> int:
        key = key_for(sha256)
        try:
            return os.stat(self.root / key).st_size
        except FileNotFoundError:
            raise BlobMissing(self._name(key)) from None

    def _name(self, key: str) -> str:
        return f"{self.namespace}/{key}" if self.namespace else key
