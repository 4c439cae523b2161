"""The key files the server keeps: those the signing keys and hub accounts name, and the
keys under ``<VANBAN_VAR_DIR>/pki`` (the demo CA and its issued files)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from vanban.secretbox import is_exposed, sealed_kek_id

__all__ = ["KeyFileState", "key_files", "state_of"]

_PKI_PATTERNS = ("*.p12", "*.pfx", "*key*.pem")


@dataclass(frozen=True)
class KeyFileState:
    path: Path
    exists: bool
    kek_id: str | None  # None: plain (not sealed)
    exposed: bool  # readable by group or others


def key_files() -> list[Path]:
    from vanban.connector.models import HubAccount
    from vanban.registry.models import SigningKey

    named = set(SigningKey.objects.filter(kind=SigningKey.KIND_FILE).exclude(path="").values_list("path", flat=True))
    named |= set(HubAccount.objects.exclude(signing_key_path="").values_list("signing_key_path", flat=True))
    found = {Path(p).resolve() for p in named}
    pki = Path(settings.VAR_DIR) / "pki"
    if pki.is_dir():
        for pattern in _PKI_PATTERNS:
            found |= {p.resolve() for p in pki.rglob(pattern) if p.is_file()}
    return sorted(found)


def state_of(path: Path) -> KeyFileState:
    if not path.is_file():
        return KeyFileState(path, False, None, False)
    with open(path, "rb") as fh:
        head = fh.read(64)
    return KeyFileState(path, True, sealed_kek_id(head), is_exposed(path))
