"""Content-addressed files under ``root/ab/cd/<sha256>``, written durably.

:func:`store` writes to a temporary file, fsyncs it, renames it into place and fsyncs the
folder, so that when the database row that names the digest commits, the bytes are on
disk. A file already there is not rewritten (same digest, same bytes). :func:`remove`
fsyncs the folder too, so that a withdrawn file stays gone after a crash."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

__all__ = ["path_for", "store", "load", "remove"]


def path_for(sha256: str, root: Path) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store(data: bytes, root: Path, sha256: str | None = None) -> str:
    """Write ``data`` under its digest (``sha256`` when the caller computed it already)."""
    sha = sha256 or hashlib.sha256(data).hexdigest()
    target = path_for(sha, root)
    try:
        if os.stat(target).st_size == len(data):
            return sha
    except FileNotFoundError:
        pass
    # one writer per thread at a time: a name of its own, no random names to try
    tmp = f"{target.parent}/.tmp-{os.getpid()}-{threading.get_ident()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
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


def remove(sha256: str, root: Path) -> None:
    """Delete the file of ``sha256``; a missing one is fine."""
    target = path_for(sha256, root)
    try:
        os.unlink(target)
    except FileNotFoundError:
        return
    _fsync_dir(target.parent)
