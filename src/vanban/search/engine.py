"""Searching: a query (:func:`vanban.textsearch.parse_query`) and filters give a bounded
set of candidates from the engine — the newest matches of the person's agency, at most
:data:`CANDIDATES` of those they may see — re-ranked here: an exact number and notation
first, then what was typed with its diacritics, then matches in the subject and the parties
over matches in the files' text, then the newest. Who may see what is the registry's own
rule (:func:`vanban.registry.queries.visible_outgoing` / ``visible_incoming``), applied to
the candidates; nothing is shown from another agency."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import timezone

from vanban.registry.queries import visible_incoming, visible_outgoing
from vanban.search.backends import Where, backend
from vanban.search.models import KIND_INCOMING, KIND_OUTGOING, SearchEntry
from vanban.textsearch import Query, fold, parse_query, snippet
from vanban.textsearch.snippets import Matcher

__all__ = ["Filters", "Hit", "Results", "search", "search_as_operator", "CANDIDATES", "candidates"]

CANDIDATES = 120  # re-ranked per query: what makes the cost bounded whatever matches
MAX_SCAN = 2000  # entries looked at to find CANDIDATES the person may see
RANK_TEXT = 800  # characters of the files' text read to rank a candidate
SNIPPET_TEXT = 1500  # and to cut the snippet of a hit shown


@dataclass
class Filters:
    kind: str = ""  # "di" | "den"
    type_slug: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    party: str = ""  # sender or recipient, as typed
    register_id: int | None = None
    state: str = ""
    urgency: str = ""


@dataclass
class Hit:
    kind: str
    doc_id: int
    agency_id: int
    label: str
    title: str
    date: dt.date | None
    state: str
    score: float
    title_parts: list[tuple[str, bool]] = field(default_factory=list)
    snippet: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        return "Văn bản đi" if self.kind == KIND_OUTGOING else "Văn bản đến"


@dataclass
class Results:
    query: Query
    hits: list[Hit]
    total: int  # among the candidates
    capped: bool  # more documents matched than were ranked
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _where(query: Query, filters: Filters, agency_id: int | None) -> Where:
    w = Where([], [])

    def add(sql: str, *params) -> None:
        w.sql.append(sql)
        w.params.extend(params)

    if agency_id is not None:
        add("e.agency_id = %s", agency_id)
    if filters.kind:
        add("e.kind = %s", filters.kind)
    if filters.type_slug:
        add("e.type_slug = %s", filters.type_slug)
    if query.type:
        add("(e.type_abbr = %s OR e.type_slug = %s)", fold(query.type).upper(), query.type.lower())
    if filters.date_from:
        add("e.doc_date >= %s", filters.date_from)
    if filters.date_to:
        add("e.doc_date <= %s", filters.date_to)
    if query.year:
        add("e.doc_date >= %s AND e.doc_date <= %s", dt.date(query.year, 1, 1), dt.date(query.year, 12, 31))
    for party in (filters.party and fold(filters.party), query.sender):
        if party:
            add("e.parties_folded LIKE %s", f"%{party}%")
    if query.notation:
        add("e.notation_key = %s", query.notation)
    if filters.register_id:
        add("e.register_id = %s", filters.register_id)
    if filters.state:
        add("e.state = %s", filters.state)
    if filters.urgency:
        add("e.urgency = %s", filters.urgency)
    return w


def _plain_ids(where: Where, limit: int, before: int | None, notations: list[str]) -> list[int]:
    """Entries by filters alone (no words, or the exact notations typed), newest first."""
    from django.db import connection

    sql = ["SELECT e.id FROM search_entry e WHERE 1 = 1", *where.sql]
    params = list(where.params)
    if notations:
        sql.append("e.notation_key IN (" + ", ".join(["%s"] * len(notations)) + ")")
        params += notations
    if before is not None:
        sql.append("e.id < %s")
        params.append(before)
    with connection.cursor() as cursor:
        cursor.execute(" AND ".join(sql) + " ORDER BY e.id DESC LIMIT %s", [*params, limit])
        return [r[0] for r in cursor.fetchall()]


def candidates(
    query: Query, where: Where, limit: int, before: int | None = None, agency_id: int | None = None
) -> list[int]:
    if not query.terms:
        return _plain_ids(where, limit, before, [])
    ids = backend().match_ids(query, where, limit, before, agency_id)
    if query.notations and before is None:  # "13/UBND-VP1" typed: that document, whatever its age
        exact = _plain_ids(where, 20, None, query.notations)
        ids = exact + [i for i in ids if i not in set(exact)]
    return ids


def _visible(person, rows: list[dict]) -> list[dict]:
    out_ids = [r["doc_id"] for r in rows if r["kind"] == KIND_OUTGOING]
    in_ids = [r["doc_id"] for r in rows if r["kind"] == KIND_INCOMING]
    seen_out = set(visible_outgoing(person).filter(pk__in=out_ids).values_list("pk", flat=True)) if out_ids else set()
    seen_in = set(visible_incoming(person).filter(pk__in=in_ids).values_list("pk", flat=True)) if in_ids else set()
    return [r for r in rows if r["doc_id"] in (seen_out if r["kind"] == KIND_OUTGOING else seen_in)]


_FIELDS = ("id", "kind", "doc_id", "agency_id", "label", "notation_key", "title", "head", "doc_date", "state")


def _rows(ids: list[int]) -> list[dict]:
    """The candidates' entries (the first :data:`RANK_TEXT` characters of the text), in
    the order of ``ids``: one plain statement (the ORM's compiler costs more than it)."""
    from django.db import connection

    if not ids:
        return []
    sql = (
        f"SELECT {', '.join(_FIELDS)}, SUBSTR(body, 1, {RANK_TEXT}) FROM search_entry"
        f" WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        names = (*_FIELDS, "text")
        by_id = {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}
    for r in by_id.values():
        if isinstance(r["doc_date"], str):  # SQLite through a plain cursor
            r["doc_date"] = dt.date.fromisoformat(r["doc_date"])
    return [by_id[i] for i in ids if i in by_id]


def _score(query: Query, matcher: Matcher, row: dict, today: dt.date) -> float:
    score = 0.0
    if row["notation_key"] and (row["notation_key"] == query.notation or row["notation_key"] in query.notations):
        score += 100.0
    in_head, exact_head = matcher.score(row["head"])
    in_text, exact_text = matcher.score(row["text"]) if len(in_head) < len(matcher.terms) else (set(), 0)
    score += 3.0 * len(in_head) + 1.0 * len(in_text - in_head) + 2.0 * exact_head + 0.5 * exact_text
    if row["doc_date"]:
        score += 0.5 / (1.0 + max(0, (today - row["doc_date"]).days) / 365.0)
    return round(score, 3)


def _hit(query: Query, row: dict, score: float, text: str) -> Hit:
    return Hit(
        kind=row["kind"],
        doc_id=row["doc_id"],
        agency_id=row["agency_id"],
        label=row["label"],
        title=row["title"],
        date=row["doc_date"],
        state=row["state"],
        score=score,
        title_parts=snippet(row["title"], query.terms, width=len(row["title"]) + 1),
        snippet=snippet(text, query.terms) if text else [],
    )


def _paged(query: Query, rows: list[dict], sort: str, page: int, per_page: int, capped: bool) -> Results:
    from django.db.models.functions import Substr

    today = timezone.localdate()
    matcher = Matcher(query.terms)
    scored = [(_score(query, matcher, r, today), r) for r in rows]
    if sort == "date":
        scored.sort(key=lambda s: (s[1]["doc_date"] or dt.date.min, s[1]["id"]), reverse=True)
    else:
        scored.sort(key=lambda s: (s[0], s[1]["id"]), reverse=True)
    page = max(1, page)
    shown = scored[(page - 1) * per_page : page * per_page]
    texts = dict(
        SearchEntry.objects.filter(id__in=[r["id"] for _, r in shown]).values_list(
            "id", Substr("body", 1, SNIPPET_TEXT)
        )
    )
    hits = [_hit(query, r, score, texts.get(r["id"], "")) for score, r in shown]
    return Results(query, hits, len(scored), capped, page, per_page)


def search(
    person,
    text: str | Query,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> Results:
    """What ``person`` may see matching ``text`` (a :class:`QueryError` when it cannot be
    understood). A person of no agency (an outsider) finds nothing."""
    query = parse_query(text) if isinstance(text, str) else text
    filters = filters or Filters()
    if person is None or not getattr(person, "agency_id", None):
        return Results(query, [], 0, False, 1, per_page)
    where = _where(query, filters, person.agency_id)
    kept: list[dict] = []
    scanned = 0
    before = None
    capped = False
    while scanned < MAX_SCAN:
        ids = candidates(query, where, CANDIDATES, before, person.agency_id)
        if not ids:
            break
        scanned += len(ids)
        before = min(ids)
        kept += _visible(person, _rows(ids))
        if len(kept) >= CANDIDATES:
            capped = True
            break
        if len(ids) < CANDIDATES:
            break
    else:
        capped = True
    return _paged(query, kept[:CANDIDATES], sort, page, per_page, capped)


def search_as_operator(text: str | Query, *, agency_id: int | None = None, limit: int = 20) -> Results:
    """For the server's operator (``vanban search``): every agency's documents, or one's."""
    query = parse_query(text) if isinstance(text, str) else text
    where = _where(query, Filters(), agency_id)
    ids = candidates(query, where, CANDIDATES, agency_id=agency_id)
    return _paged(query, _rows(ids), "relevance", 1, limit, len(ids) >= CANDIDATES)
