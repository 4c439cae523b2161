"""The search query language, parsed into a typed :class:`Query`.

* ``quyết định`` — every word must appear (folded: "quyet dinh" finds it too);
* ``"nghị quyết"`` — a phrase, the words in that order;
* ``tuyển*`` — a prefix;
* ``-dự thảo``, ``-"dự thảo"`` — exclude a word or a phrase;
* ``loai:CV`` (``type:``), ``gui:"Sở Tài chính"`` (``sender:``, ``noi-gui:``),
  ``so:13/UBND-VP1`` (``ky-hieu:``, ``notation:``), ``nam:2026`` (``year:``) — fields.

A word typed like a number and notation (``13/UBND-VP1``) is also looked up exactly.
An unbalanced quote runs to the end of the query. What cannot be used raises
:class:`~vanban.textsearch.errors.QueryError` with a Vietnamese message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanban.textsearch.errors import QueryError
from vanban.textsearch.folding import fold, mark_key, words

__all__ = ["Term", "Query", "parse_query", "notation_key", "FIELDS"]

FIELDS = {
    "loai": "type",
    "type": "type",
    "gui": "sender",
    "noi-gui": "sender",
    "sender": "sender",
    "tu": "sender",
    "so": "notation",
    "ky-hieu": "notation",
    "notation": "notation",
    "nam": "year",
    "year": "year",
}
MAX_TERMS = 12
_TOKEN = re.compile(r'\s*(-?)(?:([\w-]+):)?("([^"]*)"?|[^\s"]*)')
_NOTATION = re.compile(r"^\d+/\S+$")


def notation_key(text: str) -> str:
    """Number and notation compared as typed but folded, without spaces:
    ``notation_key("13/UBND-VP1") == notation_key("13 / ubnd-vp1") == "13/ubnd-vp1"``."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class Term:
    """A word, a phrase or a prefix: its folded words (what is matched) and the keys of the
    words as typed (:func:`mark_key`, what ranks matches typed with diacritics first)."""

    kind: str  # "word" | "phrase" | "prefix"
    folded: tuple[str, ...]
    keys: tuple[str, ...]
    marked: bool  # typed with diacritics

    @property
    def text(self) -> str:
        return " ".join(self.folded) + ("*" if self.kind == "prefix" else "")


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    type: str = ""
    sender: str = ""  # folded
    notation: str = ""  # notation_key
    year: int | None = None
    notations: list[str] = field(default_factory=list)  # notation_key of bare words like 13/UBND-VP1

    @property
    def has_filters(self) -> bool:
        return bool(self.type or self.sender or self.notation or self.year)


def _term(text: str, kind: str) -> Term | None:
    typed = words(text)
    if not typed:
        return None
    folded = tuple(fold(w) for w in typed)
    if len(folded) > 1 and kind == "word":
        kind = "phrase"  # "UBND-VP1": its words side by side
    marked = any(fold(w) != w for w in typed)
    return Term(kind, folded, tuple(mark_key(w) for w in typed), marked)


def _field(q: Query, name: str, value: str) -> None:
    value = value.strip()
    if not value:
        raise QueryError(f"Trường “{name}:” cần một giá trị.", f"Field {name}: needs a value.", code="empty_field")
    kind = FIELDS[name]
    if kind == "type":
        q.type = value.upper()
    elif kind == "sender":
        q.sender = fold(value)
    elif kind == "notation":
        q.notation = notation_key(value)
    elif kind == "year":
        if not (value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100):
            raise QueryError(
                f"Năm “{value}” không hợp lệ: hãy gõ bốn chữ số, ví dụ nam:2026.",
                f"Bad year {value!r}.",
                code="bad_year",
            )
        q.year = int(value)


def parse_query(text: str) -> Query:
    """The :class:`Query` for what the person typed."""
    q = Query()
    text = (text or "").replace("“", '"').replace("”", '"')
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:  # only spaces left, or a stray character
            pos += 1
            continue
        pos = m.end()
        minus, name, raw, quoted = m.group(1), m.group(2), m.group(3), m.group(4)
        if not raw and not name:
            continue
        if name and name.lower() in FIELDS and not minus:
            _field(q, name.lower(), quoted if quoted is not None else raw)
            continue
        if name:  # not a field we know: the words as typed
            raw = f"{name}:{raw}"
        if quoted is not None:
            term = _term(quoted, "phrase")
        elif raw.endswith("*") and len(raw.rstrip("*")) > 0:
            stem = raw.rstrip("*")
            term = _term(stem, "prefix")
            if term is not None and term.kind != "prefix":  # "ubnd-vp*": a phrase, the last word a prefix
                term = Term("prefix", term.folded, term.keys, term.marked)
            if term is not None and len(term.folded[-1]) < 2:
                raise QueryError(
                    f"Tiền tố “{raw}” quá ngắn: hãy gõ ít nhất hai chữ trước dấu *.",
                    "Prefix too short.",
                    code="short_prefix",
                )
        else:
            term = _term(raw, "word")
            if not minus and _NOTATION.match(raw):
                q.notations.append(notation_key(raw))
        if term is None:
            continue
        target = q.excluded if minus else q.terms
        if term not in target:
            target.append(term)
    if len(q.terms) + len(q.excluded) > MAX_TERMS:
        raise QueryError(
            f"Câu tìm kiếm quá dài: tối đa {MAX_TERMS} từ hoặc cụm từ.", "Too many terms.", code="too_many_terms"
        )
    if not q.terms and not q.has_filters:
        raise QueryError(
            "Hãy nhập ít nhất một từ cần tìm (không chỉ những từ cần loại trừ).",
            "The query has nothing to look for.",
            code="empty_query",
        )
    return q
