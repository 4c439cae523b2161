"""Reading and writing key files sealed under the KEK: plain bytes exist only in memory."""

from __future__ import annotations

from pathlib import Path

from vanban.keystore.config import current_kek
from vanban.secretbox import KEK, SecretBoxError, is_sealed, open_sealed, seal, sealed_kek_id, write_private

__all__ = ["read_key", "reseal_file", "write_key"]


def read_key(path: str | Path, kek: KEK | None = None) -> bytes:
    """The key file's plain bytes (a plain file of an older install is returned as is)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SecretBoxError(
            f"Không đọc được tệp khóa “{p}”: {exc.strerror or exc.__class__.__name__}.",
            f"Cannot read the key file '{p}': {exc}",
            code="key_file_unreadable",
        ) from exc
    if not is_sealed(data):
        return data
    return open_sealed(data, kek or current_kek(), name=str(p))


def write_key(path: str | Path, plain: bytes, kek: KEK | None = None) -> Path:
    """Write a key file sealed under the KEK (mode 0600, atomically)."""
    return write_private(path, seal(plain, kek or current_kek()))


def reseal_file(path: str | Path, old: KEK | None, new: KEK) -> bool:
    """Seal ``path`` under ``new`` (a plain file, or one sealed under ``old``), atomically.
    ``False`` when it already is under ``new`` (a rotation that was interrupted resumes)."""
    p = Path(path)
    data = p.read_bytes()
    if sealed_kek_id(data) == new.id:
        return False
    plain = open_sealed(data, [k for k in (old, new) if k is not None], name=str(p))
    write_private(p, seal(plain, new))
    return True
