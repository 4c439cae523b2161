"""Key-encryption keys (KEK): 32 random bytes written as base64 text.

A KEK's id is the first 16 hex digits of SHA-256 over a label and the key: it names the key
in every sealed file's header without revealing it, so ``vanban keys status`` and a rotation
can tell which KEK sealed which file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from vanban.secretbox.errors import SecretBoxError
from vanban.secretbox.files import ensure_private_dir

__all__ = ["KEK", "generate_kek_text", "kek_from_file", "kek_from_text", "load_or_create_kek"]

KEY_BYTES = 32


@dataclass(frozen=True)
class KEK:
    """A key-encryption key; ``source`` says where it came from (never the key itself)."""

    key: bytes = field(repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise SecretBoxError(
                f"Khóa mã hóa khóa (KEK) phải dài {KEY_BYTES} byte, không phải {len(self.key)}.",
                f"A key-encryption key must be {KEY_BYTES} bytes, not {len(self.key)}.",
                code="kek_invalid",
            )

    @property
    def id(self) -> str:
        return hashlib.sha256(b"vanban.secretbox.kek-id\0" + self.key).hexdigest()[:16]


def generate_kek_text() -> str:
    """A new KEK as base64 text (what ``vanban keys generate-kek`` prints)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def kek_from_text(text: str, source: str = "") -> KEK:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SecretBoxError(
            f"Khóa mã hóa khóa (KEK){' từ ' + source if source else ''} không phải base64 hợp lệ.",
            f"The key-encryption key {source} is not valid base64.",
            code="kek_invalid",
        ) from exc
    return KEK(raw, source)


def kek_from_file(path: str | Path) -> KEK:
    p = Path(path)
    try:
        text = p.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretBoxError(
            f"Không đọc được tệp khóa mã hóa khóa (KEK) “{p}”: {exc.__class__.__name__}.",
            f"Cannot read the key-encryption key file '{p}': {exc}",
            code="kek_missing",
        ) from exc
    return kek_from_text(text, f"tệp {p}")


def load_or_create_kek(path: str | Path) -> tuple[KEK, bool]:
    """The KEK kept in ``path``, generated there first (mode 0600, folder 0700) when the
    file does not exist; the flag says whether it was just created."""
    p = Path(path)
    if p.exists():
        return kek_from_file(p), False
    ensure_private_dir(p.parent)
    text = generate_kek_text()
    # written whole to a temporary file, then linked into place: another process starting
    # at the same moment sees either no file or the whole key, and one key wins
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, p)
        except FileExistsError:  # another process made it first
            return kek_from_file(p), False
    finally:
        Path(tmp).unlink(missing_ok=True)
    return kek_from_text(text, f"tệp {p}"), True
