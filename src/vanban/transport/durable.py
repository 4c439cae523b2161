"""Content-addressed files under ``root/ab/cd/<sha256>``, written durably.

:func:`store` writes to a temporary file, fsyncs it, renames it into place and fsyncs the
folder, so that when the database row that names the digest commits, the bytes are on
disk. A file already there is not rewritten (same digest, same bytes)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["path_for", "store", "load"]


def path_for(sha256: str, root: Path) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store(data: bytes, root: Path) -> str:
    sha = hashlib.sha256(data).hexdigest()
    target = path_for(sha, root)
    if target.exists() and target.stat().st_size == len(data):
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)
    return sha


def load(sha256: str, root: Path) -> bytes:
    return path_for(sha256, root).read_bytes()
