"""Package files of the exchange under ``FILES_DIR/hub/ab/cd/<sha256>`` (durable writes:
see :mod:`vanban.transport.durable`)."""

from __future__ import annotations

from pathlib import Path

from vanban.exchange import conf
from vanban.transport import durable


def path_for(sha256: str, root: Path | None = None) -> Path:
    return durable.path_for(sha256, root or conf.storage_dir())


def store(data: bytes, root: Path | None = None, sha256: str | None = None) -> str:
    return durable.store(data, root or conf.storage_dir(), sha256)


def load(sha256: str) -> bytes:
    return durable.load(sha256, conf.storage_dir())


def remove(sha256: str) -> None:
    """Delete a package's file (a withdrawn secret document); missing is fine."""
    path_for(sha256).unlink(missing_ok=True)
