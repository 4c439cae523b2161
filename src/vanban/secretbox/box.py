"""Files sealed under a key-encryption key (AES-256-GCM).

Layout: ``VANBAN-SEALED/1 <kek id>\\n`` (ASCII), then a 12-byte nonce, then the ciphertext
with its 16-byte tag. The header line is authenticated data: changing the id or the version
makes opening fail. A file without the header is a plain (older) file and is returned as is
by :func:`open_sealed` with ``allow_plain=True``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vanban.secretbox.errors import SecretBoxError
from vanban.secretbox.kek import KEK

__all__ = ["HEADER_MAGIC", "is_sealed", "open_sealed", "seal", "sealed_kek_id"]

HEADER_MAGIC = b"VANBAN-SEALED/1 "
_NONCE = 12


def seal(data: bytes, kek: KEK) -> bytes:
    header = HEADER_MAGIC + kek.id.encode("ascii") + b"\n"
    nonce = os.urandom(_NONCE)
    return header + nonce + AESGCM(kek.key).encrypt(nonce, data, header)


def is_sealed(data: bytes) -> bool:
    return data.startswith(HEADER_MAGIC)


def sealed_kek_id(data: bytes) -> str | None:
    """The id of the KEK that sealed ``data``; ``None`` for a plain file."""
    if not is_sealed(data):
        return None
    end = data.find(b"\n", len(HEADER_MAGIC))
    return data[len(HEADER_MAGIC) : end].decode("ascii", "replace") if end > 0 else ""


def open_sealed(data: bytes, keks: KEK | Iterable[KEK], *, allow_plain: bool = True, name: str = "") -> bytes:
    """The plain bytes of ``data``, opened with whichever of ``keks`` sealed it."""
    where = f" “{name}”" if name else ""
    if not is_sealed(data):
        if allow_plain:
            return data
        raise SecretBoxError(
            f"Tệp{where} chưa được mã hóa.",
            f"The file{(' ' + name) if name else ''} is not sealed.",
            code="sealed_plain",
        )
    candidates = [keks] if isinstance(keks, KEK) else list(keks)
    wanted = sealed_kek_id(data)
    kek = next((k for k in candidates if k.id == wanted), None)
    if kek is None:
        have = ", ".join(k.id for k in candidates) or "không có"
        raise SecretBoxError(
            f"Tệp khóa{where} được mã hóa bằng khóa KEK {wanted}, không phải khóa KEK đang dùng ({have}): "
            "hãy đặt đúng VANBAN_KEY_ENCRYPTION_KEY hoặc VANBAN_KEY_ENCRYPTION_KEY_FILE.",
            f"The key file{where} was sealed with KEK {wanted}, not the configured one ({have}).",
            code="kek_wrong",
        )
    header_end = data.index(b"\n", len(HEADER_MAGIC)) + 1
    header, nonce, body = data[:header_end], data[header_end : header_end + _NONCE], data[header_end + _NONCE :]
    try:
        return AESGCM(kek.key).decrypt(nonce, body, header)
    except InvalidTag as exc:
        raise SecretBoxError(
            f"Tệp khóa{where} đã bị sửa hoặc hỏng: không giải mã được.",
            f"The sealed file{where} is damaged or was altered.",
            code="sealed_damaged",
        ) from exc
