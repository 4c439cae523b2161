"""Key files named on the command line: a file sealed by the server (``vanban keys``) is
opened with the settings' key-encryption key, in memory; any other file is read as is.
Django is started only for a sealed file (the pure commands stay fast otherwise)."""

from __future__ import annotations

from pathlib import Path

from vanban.secretbox import is_sealed

__all__ = ["sealed_key_bytes", "unseal"]


def unseal(data: bytes, name: str = "") -> bytes:
    """``data`` opened with the settings' KEK when sealed; as is otherwise."""
    if not is_sealed(data):
        return data
    from vanban.cli import django_setup

    django_setup.setup()
    from vanban.keystore import current_kek
    from vanban.secretbox import open_sealed

    return open_sealed(data, current_kek(), name=name)


def sealed_key_bytes(path: str | Path) -> bytes | None:
    """The plain bytes of ``path`` when it is a sealed key file; ``None`` for any other file
    (or none at all), which the caller then reads as before."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return unseal(data, str(path)) if is_sealed(data) else None
