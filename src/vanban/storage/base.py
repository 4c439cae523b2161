"""The one interface of stored files (:class:`BlobStore`), their content-addressed keys
and a reader that checks the digest as it goes. No Django here."""

from __future__ import annotations

import hashlib
import io
import re
from typing import BinaryIO, Protocol, runtime_checkable

from vanban.storage.errors import BlobCorrupt

__all__ = ["BlobStore", "NAMESPACES", "key_for", "verified_reader", "check"]

# files: the registry's documents and attachments; connector: packages an office sent or
# received; hub: packages the interconnection hub keeps until they are delivered.
NAMESPACES = ("files", "connector", "hub")

_SHA256 = re.compile(r"[0-9a-f]{64}")
READ_CHUNK = 64 * 1024


def key_for(sha256: str) -> str:
    """``ab/cd/<sha256>``: the key of a file inside its namespace."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def check(data: bytes, sha256: str, key: str) -> bytes:
    """``data`` if its digest is ``sha256``; :class:`BlobCorrupt` otherwise."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BlobCorrupt(key)
    return data


@runtime_checkable
class BlobStore(Protocol):
    """Files kept once under their SHA-256 in one namespace.

    ``put`` is idempotent and durable when it returns (the database row naming the digest
    may commit then); ``get`` and reading ``open`` to the end check the digest."""

    namespace: str

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Keep ``data`` (``sha256``: its digest, when the caller computed it) and return its digest."""
        ...

    def get(self, sha256: str) -> bytes:
        """The bytes, checked against the digest (:class:`BlobMissing`, :class:`BlobCorrupt`)."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A binary file to read in chunks (bounded memory); reading past the end checks the digest."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove the file; a missing one is fine."""
        ...

    def size(self, sha256: str) -> int: ...


class _Verifying(io.RawIOBase):
    """Reads ``raw`` through, hashing; at the end raises :class:`BlobCorrupt` on a mismatch."""

    def __init__(self, raw, sha256: str, key: str) -> None:
        self._raw = raw
        self._sha256 = sha256
        self._key = key
        self._hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._raw.read(len(buffer))
        if not chunk:
            if self._hash.hexdigest() != self._sha256:
                raise BlobCorrupt(self._key)
            return 0
        n = len(chunk)
        buffer[:n] = chunk
        self._hash.update(chunk)
        return n

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def verified_reader(raw, sha256: str, key: str) -> BinaryIO:
    """``raw`` (anything with ``read(n)`` and ``close()``) as a buffered binary file whose end
    is reached only if the bytes match ``sha256``."""
    return io.BufferedReader(_Verifying(raw, sha256, key), READ_CHUNK)
