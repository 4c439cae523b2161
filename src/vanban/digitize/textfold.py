"""Fold Vietnamese text for matching OCR output: tone marks and hooks off, đ→d, upper case,
one character for one character, so a match in the folded text is a match at the same place
in the original."""

from __future__ import annotations

import unicodedata
from functools import cache

__all__ = ["fold", "fold_char"]


@cache
def fold_char(ch: str) -> str:
    """``ậ`` → ``A``, ``đ`` → ``D``; always one character."""
    if ch in "đĐðÐ":  # Ð (eth) is what OCR often reads for Đ
        return "D"
    base = unicodedata.normalize("NFD", ch)[0]
    up = base.upper()
    return up if len(up) == 1 else base


def fold(text: str) -> str:
    """``Số: 13`` → ``SO: 13`` (same length as the NFC text)."""
    return "".join(fold_char(ch) for ch in unicodedata.normalize("NFC", text))
