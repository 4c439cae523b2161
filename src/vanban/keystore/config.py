"""Where the key-encryption key comes from (the settings), read once per process."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from django.conf import settings

from vanban.secretbox import KEK, SecretBoxError, kek_from_file, kek_from_text, load_or_create_kek

__all__ = ["current_kek", "kek_file_path", "new_kek"]

log = logging.getLogger("vanban.keystore")


def kek_file_path() -> Path | None:
    """The file holding the KEK (named, or the generated default); ``None`` when the KEK is
    given in the environment itself."""
    if getattr(settings, "VANBAN_KEY_ENCRYPTION_KEY", ""):
        return None
    named = getattr(settings, "VANBAN_KEY_ENCRYPTION_KEY_FILE", "")
    return Path(named) if named else Path(settings.VAR_DIR) / "key-encryption-key"


def current_kek() -> KEK:
    """The configured KEK; the generated default is created (and logged) on first use."""
    return _kek(
        getattr(settings, "VANBAN_KEY_ENCRYPTION_KEY", ""),
        getattr(settings, "VANBAN_KEY_ENCRYPTION_KEY_FILE", ""),
        str(Path(settings.VAR_DIR) / "key-encryption-key"),
    )


@functools.lru_cache(maxsize=4)
def _kek(value: str, named_file: str, default_file: str) -> KEK:
    if value:
        return kek_from_text(value, "VANBAN_KEY_ENCRYPTION_KEY")
    if named_file:
        return kek_from_file(named_file)
    kek, created = load_or_create_kek(default_file)
    if created:
        log.warning(
            "Đã tạo khóa mã hóa khóa (KEK) mới, mã %s, trong %s: hãy sao lưu tệp này riêng, "
            "ngoài bản sao lưu dữ liệu (docs/operator.md).",
            kek.id,
            default_file,
        )
    return kek


def new_kek() -> KEK:
    """The KEK to rotate to: ``VANBAN_NEW_KEY_ENCRYPTION_KEY`` or ``..._FILE``."""
    value = os.environ.get("VANBAN_NEW_KEY_ENCRYPTION_KEY", "")
    if value:
        return kek_from_text(value, "VANBAN_NEW_KEY_ENCRYPTION_KEY")
    path = os.environ.get("VANBAN_NEW_KEY_ENCRYPTION_KEY_FILE", "")
    if path:
        return kek_from_file(path)
    raise SecretBoxError(
        "Chưa có khóa KEK mới: đặt VANBAN_NEW_KEY_ENCRYPTION_KEY hoặc VANBAN_NEW_KEY_ENCRYPTION_KEY_FILE "
        "(tạo bằng “vanban keys generate-kek”).",
        "No new KEK: set VANBAN_NEW_KEY_ENCRYPTION_KEY or VANBAN_NEW_KEY_ENCRYPTION_KEY_FILE.",
        code="kek_missing",
    )
