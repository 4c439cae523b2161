"""Similar documents and the suggested lead unit. Similar: the documents of the person's
agency that share the most two-word groups of the subject ("tuyển dụng", "công chức") —
among the newest that share any (bounded, like every search here), only what the person
may see. The lead unit suggested for an incoming document: the unit that led the most of
its similar incoming documents before, with the reason shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vanban.directory.models import Unit
from vanban.search.backends import Where, backend
from vanban.search.engine import _visible
from vanban.search.models import KIND_INCOMING, SearchEntry
from vanban.textsearch import fold

__all__ = ["Similar", "Suggestion", "similar", "suggest_lead_unit"]

POOL = 150  # newest documents sharing a group, scored here
# words of every subject: no use to compare on ("về việc", "năm 2026")
_COMMON = {"ve", "viec", "cua", "va", "cac", "nam", "v/v", "vv", "tai", "cho", "theo", "voi", "tren", "trong", "so"}
_WORD = re.compile(r"\w+")


@dataclass
class Similar:
    kind: str
    doc_id: int
    label: str
    title: str
    shared: int
    lead_unit_id: int | None


@dataclass
class Suggestion:
    unit: Unit
    count: int

    @property
    def reason(self) -> str:
        return f"{self.count} văn bản tương tự do {self.unit.name} chủ trì"


def _groups(title: str) -> set[tuple[str, ...]]:
    ws = [w for w in _WORD.findall(fold(title)) if not w.isdigit()]
    pairs: set[tuple[str, ...]] = {
        (a, b) for a, b in zip(ws, ws[1:], strict=False) if not (a in _COMMON and b in _COMMON)
    }
    return {p for p in pairs if not (p[0] in _COMMON or p[1] in _COMMON)} or pairs


def _similar_entries(person, kind: str, doc_id: int, only_kind: str = "") -> list[Similar]:
    if person is None or not getattr(person, "agency_id", None):
        return []
    entry = SearchEntry.objects.filter(kind=kind, doc_id=doc_id, agency_id=person.agency_id).first()
    if entry is None:
        return []
    mine = _groups(entry.title)
    if not mine:
        return []
    where = Where(["e.agency_id = %s", "e.id <> %s"], [person.agency_id, entry.pk])
    if only_kind:
        where.sql.append("e.kind = %s")
        where.params.append(only_kind)
    ids = backend().match_any_ids(sorted(mine)[:12], where, POOL, person.agency_id)
    rows: list[Any] = list(
        SearchEntry.objects.filter(id__in=ids).values("id", "kind", "doc_id", "label", "title", "lead_unit_id")
    )
    scored: list[tuple[int, dict]] = []
    for r in rows:
        shared = len(mine & _groups(r["title"]))
        if shared >= max(1, min(2, len(mine))):
            scored.append((shared, r))
    scored.sort(key=lambda s: (s[0], s[1]["id"]), reverse=True)
    visible = _visible(person, [r for _, r in scored])
    keep = {(r["kind"], r["doc_id"]) for r in visible}
    return [
        Similar(r["kind"], r["doc_id"], r["label"], r["title"], shared, r["lead_unit_id"])
        for shared, r in scored
        if (r["kind"], r["doc_id"]) in keep
    ]


def similar(person, kind: str, doc_id: int, limit: int = 5) -> list[Similar]:
    """The documents most like this one that ``person`` may see, most alike first."""
    return _similar_entries(person, kind, doc_id)[:limit]


def suggest_lead_unit(person, doc_id: int, among: int = 20) -> Suggestion | None:
    """The unit that led the most incoming documents like this one (at least two), or None."""
    counts: dict[int, int] = {}
    for s in _similar_entries(person, KIND_INCOMING, doc_id, only_kind=KIND_INCOMING)[:among]:
        if s.lead_unit_id:
            counts[s.lead_unit_id] = counts.get(s.lead_unit_id, 0) + 1
    if not counts:
        return None
    unit_id, count = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))
    if count < 2:
        return None
    unit = Unit.objects.filter(pk=unit_id, agency_id=person.agency_id).first()
    return Suggestion(unit, count) if unit is not None else None
