"""Snippets: the part of a text around the first match, the matched words marked; and how
many of a query's terms appear in a text exactly as typed (with their diacritics).

Both search the NFC text itself with :func:`text_pattern`: each folded letter of a term
becomes the class of the letters that fold to it (``a`` → ``[aAàÀáÁ…]``), which finds the
spans :func:`term_pattern` finds in :func:`fold_aligned`'s folding, without folding every
candidate's text (what a search re-ranking a hundred candidates spent most of its time on)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from vanban.textsearch.folding import _ALIGNED, mark_key, words
from vanban.textsearch.query import Term

__all__ = ["snippet", "matched_keys", "term_pattern", "text_pattern", "Matcher"]


def term_pattern(terms: Iterable[Term]) -> re.Pattern[str] | None:
    """One pattern finding any of ``terms`` in folded text, on word boundaries."""
    parts = []
    for t in terms:
        body = r"\W+".join(re.escape(w) for w in t.folded)
        parts.append(rf"\b{body}" + ("" if t.kind == "prefix" else r"\b"))
    return re.compile("|".join(parts)) if parts else None


@functools.cache
def _letters() -> dict[str, str]:
    """For each folded character, the regex class of the characters folding to it."""
    into: dict[str, set[str]] = {}
    for code in [*range(0x80), *_ALIGNED]:
        out = _ALIGNED.get(code, chr(code)).lower()
        if len(out) == 1 and out.strip():
            into.setdefault(out, set()).add(chr(code))
    return {out: "[" + "".join(re.escape(c) for c in sorted(cs)) + "]" for out, cs in into.items()}


def _letter(ch: str) -> str:
    found = _letters().get(ch)
    if found is not None:
        return found
    alike = {ch, ch.upper()} if len(ch.upper()) == 1 else {ch}
    return "[" + "".join(re.escape(c) for c in sorted(alike)) + "]"


def text_pattern(terms: Iterable[Term]) -> re.Pattern[str] | None:
    """:func:`term_pattern` for the NFC text as written (marks and capitals as they are)."""
    parts = []
    for t in terms:
        letters = [[_letter(ch) for ch in w] for w in t.folded]
        # "\b" after the first letter, as a look behind: a pattern beginning with a class of
        # letters is searched for by that class (about four times faster than one beginning
        # with "\b", tried at every position); the letters are word characters, so the same
        if letters and letters[0]:
            letters[0].insert(1, r"(?<!\w.)")
        body = r"\W+".join("".join(w) for w in letters)
        parts.append(body + ("" if t.kind == "prefix" else r"\b"))
    return re.compile("|".join(parts)) if parts else None


def snippet(text: str, terms: Iterable[Term], width: int = 220) -> list[tuple[str, bool]]:
    """``[(piece, matched), ...]`` of about ``width`` characters of ``text`` around its first
    match (its start when nothing matches); the caller escapes the pieces."""
    nfc = unicodedata.normalize("NFC", text or "")
    pattern = text_pattern(list(terms))
    first = pattern.search(nfc) if pattern else None
    start = 0
    if first is not None:
        start = max(0, first.start() - width // 3)
        while start > 0 and not nfc[start - 1].isspace() and first.start() - start < width // 2:
            start -= 1
    end = min(len(nfc), start + width)
    while end < len(nfc) and not nfc[end].isspace() and end - start < width + 20:
        end += 1
    out: list[tuple[str, bool]] = []
    if start > 0:
        out.append(("… ", False))
    at = start
    if pattern is not None:
        for m in pattern.finditer(nfc, start, end):
            if m.start() > at:
                out.append((nfc[at : m.start()], False))
            out.append((nfc[m.start() : m.end()], True))
            at = m.end()
    if at < end:
        out.append((nfc[at:end], False))
    if end < len(nfc):
        out.append((" …", False))
    return out


def matched_keys(text: str, terms: Iterable[Term]) -> int:
    """How many of the terms typed with diacritics appear in ``text`` with the same marks
    (old or new tone placement alike): what ranks "Quyết định" above "quyết đình"."""
    keys = {mark_key(w) for w in words(text)}
    return sum(1 for t in terms if t.marked and all(k in keys for k in t.keys))


class Matcher:
    """A query's terms compiled once, to score many texts: for each text, which terms match
    (folded) and which match with the marks as typed."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = list(terms)
        self.patterns = [text_pattern([t]) for t in self.terms]

    def score(self, text: str) -> tuple[set[int], int]:
        """(the indexes of the terms found folded, how many terms typed with diacritics
        were found with the same marks)."""
        nfc = unicodedata.normalize("NFC", text or "")
        found: set[int] = set()
        exact = 0
        for i, (term, pattern) in enumerate(zip(self.terms, self.patterns, strict=True)):
            assert pattern is not None
            spans = list(pattern.finditer(nfc))
            if not spans:
                continue
            found.add(i)
            if term.marked and any(
                tuple(mark_key(w) for w in words(nfc[m.start() : m.end()]))[: len(term.keys)] == term.keys
                or (term.kind == "prefix" and _prefix_keys(nfc[m.start() : m.end()], term))
                for m in spans
            ):
                exact += 1
        return found, exact


def _prefix_keys(span: str, term: Term) -> bool:
    keys = [mark_key(w) for w in words(span)]
    return keys[:-1] == list(term.keys[:-1])
