"""Accent folding for Vietnamese: strip tone and vowel marks, map đ/Đ to d, lower-case.

Unicode decomposition (NFD) separates tone marks and the circumflex/breve/horn from
their base letters, but ``đ`` (U+0111) has no decomposition, so it is mapped explicitly.

Three forms of the same text serve search:

* :func:`fold` — no marks at all ("Quyết định" → "quyet dinh"): what is indexed and matched;
* :func:`fold_aligned` — the same, one character out for each character in (of the NFC
  text), so a position found in the folded text is the position in the original (snippets);
* :func:`mark_key` — marks kept but the tone moved to the end of the syllable, so the old and
  the new tone placement ("hoà", "hòa") give the same key while "định" and "đình" differ:
  what tells a match typed with diacritics from a folded one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_aligned", "fold_query_terms", "mark_key", "words"]

_WORD = re.compile(r"\w+")
# the five tone marks (huyền, sắc, hỏi, ngã, nặng); circumflex, breve and horn are vowels
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


def _tables() -> tuple[dict[int, str | None], dict[int, str]]:
    """Translation tables for the Latin letters (every Vietnamese one among them) and the
    combining marks: ``str.translate`` then folds at C speed."""
    drop: dict[int, str | None] = {}
    aligned: dict[int, str] = {}
    for code in [*range(0x41, 0x5B), *range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if len(base) == 1:
            drop[code] = aligned[code] = base
    for code in range(0x0300, 0x0370):
        drop[code] = None
        aligned[code] = " "
    for ch in "đĐ":
        drop[ord(ch)] = aligned[ord(ch)] = "d"
    return drop, aligned


_DROP, _ALIGNED = _tables()


def _plain_pattern() -> re.Pattern[str]:
    """Any character but ASCII, the combining marks, đ/Đ and the Latin letters whose NFD
    is an ASCII letter and combining marks (every Vietnamese one): text without such a
    character folds the same by decomposing it and dropping what is not ASCII, which
    runs at C speed (``str.translate`` with a table looks every character up in Python's
    dict, about three times slower on a page of Vietnamese)."""
    plain = []
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        nfd = unicodedata.normalize("NFD", chr(code))
        if (
            unicodedata.normalize("NFC", chr(code)) == chr(code)
            and nfd[0].isascii()
            and nfd[0].isalpha()
            and all(0x0300 <= ord(c) < 0x0370 for c in nfd[1:])
        ):
            plain.append(re.escape(chr(code)))
    return re.compile("[^\x00-\x7f\u0300-\u036f\u0110\u0111" + "".join(plain) + "]")


_NOT_PLAIN = _plain_pattern()
_ALIGNED_WORDS: dict[str, str] = {}  # a word as typed -> its aligned folding (a bounded cache)


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics and with single spaces."""
    if not text:
        return ""
    nfc = unicodedata.normalize("NFC", text)
    if _NOT_PLAIN.search(nfc) is None:  # the same result as below, faster
        nfd = unicodedata.normalize("NFD", nfc.replace("đ", "d").replace("Đ", "D"))
        return " ".join(nfd.encode("ascii", "ignore").decode("ascii").lower().split())
    return " ".join(nfc.translate(_DROP).casefold().split())


def _aligned(nfc: str) -> str:
    """``nfc.translate(_ALIGNED)``, word by word through a cache: a page of text has a few
    hundred words of a small vocabulary, and a cached word costs one dict lookup instead of
    one per character."""
    cache = _ALIGNED_WORDS
    if len(cache) > 50_000:
        cache.clear()
    get = cache.get
    return " ".join([get(w) or cache.setdefault(w, w.translate(_ALIGNED)) for w in nfc.split(" ")])


def fold_aligned(text: str) -> tuple[str, str]:
    """``(nfc, folded)``: the NFC text and its folding character for character (same
    length; combining marks left alone in the NFC text become spaces)."""
    nfc = unicodedata.normalize("NFC", text or "")
    folded = _aligned(nfc)
    lowered = folded.lower()
    return nfc, lowered if len(lowered) == len(folded) else folded


def mark_key(word: str) -> str:
    """A syllable with its vowel marks and đ, lower case, the tone as a trailing digit:
    ``mark_key("hoà") == mark_key("hòa") == "hoa2"``; ``mark_key("định") == "dinh5"``-like
    keys differ from ``mark_key("đình")``."""
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def words(text: str) -> list[str]:
    """The words of ``text`` as typed (NFC, lower case), split on anything not a letter or
    digit: "13/UBND-VP1" gives ``["13", "ubnd", "vp1"]``."""
    return _WORD.findall(unicodedata.normalize("NFC", text or "").lower())


def fold_query_terms(query: str) -> list[str]:
    """The folded words of a search query, in order, without duplicates."""
    seen: list[str] = []
    for word in fold(query).split(" "):
        if word and word not in seen:
            seen.append(word)
    return seen
