"""Private files and folders: what the system writes is readable by its own user only.

:func:`write_private` writes atomically (a temporary file in the same folder, fsync, rename,
fsync of the folder), so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["ensure_private_dir", "is_exposed", "make_private", "write_private"]

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: str | Path) -> Path:
    """``path`` and missing parents created 0700; an existing ``path`` itself is made 0700."""
    p = Path(path)
    p.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(p.stat().st_mode) & 0o077:
        p.chmod(DIR_MODE)
    return p


def make_private(path: str | Path) -> None:
    """Take group and others' rights away from an existing file or folder."""
    p = Path(path)
    mode = stat.S_IMODE(p.stat().st_mode)
    if mode & 0o077:
        p.chmod(mode & 0o700)


def is_exposed(path: str | Path) -> bool:
    """Whether users other than the owner may read (or write) ``path``."""
    return bool(stat.S_IMODE(Path(path).stat().st_mode) & 0o077)


def write_private(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (mode 0600) atomically."""
    out = Path(path)
    if not out.parent.exists():
        ensure_private_dir(out.parent)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return out
