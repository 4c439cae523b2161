"""Accent folding for Vietnamese: strip tone and vowel marks, map đ/Đ to d, lower-case.

Unicode decomposition (NFD) separates tone marks and the circumflex/breve/horn from
their base letters, but ``đ`` (U+0111) has no decomposition, so it is mapped explicitly.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_query_terms"]

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics and with single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def fold_query_terms(query: str) -> list[str]:
    """The folded words of a search query, in order, without duplicates."""
    seen: list[str] = []
    for word in fold(query).split(" "):
        if word and word not in seen:
            seen.append(word)
    return seen
