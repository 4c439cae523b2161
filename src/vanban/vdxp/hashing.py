"""The ``hash-file`` of a ``sendEdoc`` body: SHA-256 printed as the vendor client prints it.

The client writes each byte with ``Integer.toHexString`` (no zero-padding), so the hash is
often 61–63 characters long. It covers the file's bytes only, not the CRLF the client
appends to the body.
"""

from __future__ import annotations

import hashlib

__all__ = ["body_content", "body_content_digest", "hash_file", "hash_file_matches"]


def hash_file(data: bytes) -> str:
    """The unpadded hex SHA-256 of ``data``, as the client sends it."""
    return "".join(f"{b:x}" for b in hashlib.sha256(data).digest())


def _forms(digest: bytes) -> tuple[str, str]:
    """(unpadded, padded) hex of a SHA-256 digest."""
    return "".join(f"{b:x}" for b in digest), digest.hex()


def hash_file_matches(received: str, data: bytes) -> bool:
    """Whether ``received`` is the hash of ``data``, unpadded (the client) or padded (64 chars)."""
    return received.strip().lower() in _forms(hashlib.sha256(data).digest())


def body_content(body: bytes, received_hash: str) -> tuple[bytes, list[str]] | None:
    """The file's bytes inside a request body and the tolerated quirks, or ``None`` on mismatch.

    The hash may cover the body as received or the body without its trailing CRLF
    (``crlf_after_body``); an unpadded hash is noted as ``unpadded_hash``. Each candidate
    is hashed once (a body is a whole package: hundreds of KiB).
    """
    found = body_content_digest(body, received_hash)
    return None if found is None else (found[0], found[1])


def body_content_digest(body: bytes, received_hash: str) -> tuple[bytes, list[str], str] | None:
    """:func:`body_content` and the file's SHA-256 (lowercase hex, 64 characters), which the
    check computed anyway: the hub keeps the package under it without hashing it again."""
    value = received_hash.strip().lower()
    candidates: list[tuple[bytes, list[str]]] = [(body, [])]
    if body.endswith(b"\r\n"):
        candidates.insert(0, (body[:-2], ["crlf_after_body"]))
    for content, quirks in candidates:
        unpadded, padded = _forms(hashlib.sha256(content).digest())
        if value == padded:
            return content, quirks, padded
        if value == unpadded:
            return content, [*quirks, "unpadded_hash"], padded
    return None
