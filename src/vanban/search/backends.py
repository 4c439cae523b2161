"""The full-text part of the index, one interface over two engines chosen by the database
in use: SQLite FTS5 (a contentless ``search_fts`` table, ``unicode61 remove_diacritics 2``)
and PostgreSQL (a ``tsvector`` column of ``search_entry`` with a GIN index, ``simple``
configuration). Both are given the same folded words (:func:`index_words`), so both find
the same documents; ranking is done above them on a bounded set of candidates
(:mod:`.engine`), never by the engine over every match."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from vanban.textsearch import Query, Term, fold

_WORD = re.compile(r"\w+")

__all__ = ["Backend", "backend", "index_words", "SQLiteBackend", "PostgresBackend", "Where"]


def index_words(text: str) -> str:
    """The text as the engines see it: folded words separated by single spaces (no
    punctuation left for a parser to read as a path, a URL or a hyphenated word)."""
    return " ".join(_WORD.findall(fold(text)))


def agency_token(agency_id: int) -> str:
    """A word no text has, indexed with every entry of the agency: the engine then
    intersects the agency with the words itself instead of the database probing every match."""
    return f"zzagency{agency_id}"


def type_token(code: str) -> str:
    """The same for a type, by abbreviation ("QĐ", folded) or code ("quyet-dinh")."""
    return "zztype" + "".join(_WORD.findall(fold(code)))


def year_token(year: int) -> str:
    return f"zzyear{year}"


def scope_words(agency_id: int, type_abbr: str, type_slug: str, year: int | None) -> str:
    """The scope words of an entry: its agency, its type (both spellings), its year."""
    out = [agency_token(agency_id)]
    out += [type_token(t) for t in (type_abbr, type_slug) if t]
    if year:
        out.append(year_token(year))
    return " ".join(out)


@dataclass
class Where:
    """SQL conditions on ``search_entry`` (alias ``e``) with their parameters."""

    sql: list[str]
    params: list


class Backend:
    vendor = ""

    def words(self, text: str) -> str:
        """The text as this engine is given it (and given again to forget it)."""
        return index_words(text)

    def head_words(self, head: str, scope: str) -> str:
        return f"{self.words(head)} {scope}"

    def _scoped(self, expr: str, agency_id: int | None, query: Query | None = None) -> str:
        parts = [f"({expr})"]
        if agency_id is not None:
            parts.append(self.phrase((agency_token(agency_id),)))
        if query is not None and query.type:
            alike = {type_token(query.type), type_token(query.type.lower())}
            parts.append("(" + self.OR.join(self.phrase((t,)) for t in sorted(alike)) + ")")
        if query is not None and query.year:
            parts.append(self.phrase((year_token(query.year),)))
        return self.AND.join(parts)

    def write(self, cursor, entry_id: int, head: str, body: str, old: tuple[str, str] | None) -> None:
        raise NotImplementedError

    def delete(self, cursor, entry_id: int, old: tuple[str, str]) -> None:
        raise NotImplementedError

    INLINE: tuple[str, str] | None = None  # (column, value) written with the entry's INSERT
    MATCH = ""  # the statement's head: the entry ids matching one expression (a parameter)
    ID = ""  # the id column, in the engine's order
    OR = ""
    AND = ""

    def expression(self, query: Query) -> str:
        raise NotImplementedError

    def phrase(self, words: tuple[str, ...]) -> str:
        raise NotImplementedError

    def _newest(
        self,
        expr: str,
        where: Where,
        limit: int,
        before: int | None,
        agency_id: int | None = None,
        query: Query | None = None,
    ) -> list[int]:
        sql: list[str] = [self.MATCH]
        params: list = [expr]
        if before is not None:
            sql.append(f"{self.ID} < %s")
            params.append(before)
        return _run(
            " AND ".join(sql + where.sql) + f" ORDER BY {self.ID} DESC LIMIT %s", [*params, *where.params, limit]
        )

    def match_ids(
        self, query: Query, where: Where, limit: int, before: int | None = None, agency_id: int | None = None
    ) -> list[int]:
        """Entry ids matching ``query`` and ``where``, newest first (highest id), at most
        ``limit``, below ``before`` when given; ``agency_id`` narrows in the engine."""
        expr = self._scoped(self.expression(query), agency_id, query)
        return self._newest(expr, where, limit, before, agency_id, query)

    def clear(self, cursor) -> None:
        raise NotImplementedError

    def match_any_ids(
        self, phrases: list[tuple[str, ...]], where: Where, limit: int, agency_id: int | None = None
    ) -> list[int]:
        """Entry ids whose text has any of the phrases (folded words), newest first."""
        expr = self._scoped(self.OR.join(self.phrase(p) for p in phrases), agency_id)
        return self._newest(expr, where, limit, None, agency_id)


def _run(sql: str, params: Sequence) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


class SQLiteBackend(Backend):
    vendor = "sqlite"
    MATCH = "SELECT f.rowid FROM search_fts f JOIN search_entry e ON e.id = f.rowid WHERE search_fts MATCH %s"
    ID = "f.rowid"
    OR = " OR "
    AND = " AND "

    def words(self, text: str) -> str:
        return fold(text)  # FTS5's tokenizer splits on punctuation itself

    def write(self, cursor, entry_id, head, body, old):
        if old is not None:
            self.delete(cursor, entry_id, old)
        cursor.execute("INSERT INTO search_fts(rowid, head, body) VALUES (%s, %s, %s)", [entry_id, head, body])

    def delete(self, cursor, entry_id, old):
        # a contentless table forgets a row given exactly the words it was indexed with
        cursor.execute(
            "INSERT INTO search_fts(search_fts, rowid, head, body) VALUES ('delete', %s, %s, %s)",
            [entry_id, old[0], old[1]],
        )

    def clear(self, cursor):
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")

    @staticmethod
    def _term(t: Term) -> str:
        phrase = '"' + " ".join(t.folded) + '"'
        return phrase + ("*" if t.kind == "prefix" else "")

    def expression(self, query: Query) -> str:
        expr = " AND ".join(self._term(t) for t in query.terms)
        for t in query.excluded:
            expr += " NOT " + self._term(t)
        return expr

    def phrase(self, words):
        return '"' + " ".join(words) + '"'


class PostgresBackend(Backend):
    vendor = "postgresql"
    MATCH = "SELECT e.id FROM search_entry e WHERE e.tsv @@ to_tsquery('simple', %s)"
    INLINE = (", tsv", ", setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s)")
    ID = "e.id"
    OR = " | "
    AND = " & "

    WINDOW = 300  # the newest entries of the agency checked one by one first
    MARGIN = 2.0  # the slice checked next holds this many times what the window's rate says suffices
    SLICE = 3000  # at most this many entries in the slice
    # checking a row against the query costs about as much as the GIN index reading this many
    # entries of a posting list (measured: ~4 µs with the tsvector in TOAST, ~2 µs in the row,
    # migration 0003; ~20 ns an entry): the higher figure, rows rather over- than under-counted
    ROW_COST = 200
    STATS_SECONDS = 600.0  # how long the words' frequencies are kept (from pg_stats)

    def _newest(
        self,
        expr: str,
        where: Where,
        limit: int,
        before: int | None,
        agency_id: int | None = None,
        query: Query | None = None,
    ) -> list[int]:
        """Newest first, the work bounded by design, whatever the words' frequency.

        1. The newest :data:`WINDOW` entries of the agency (through its ``(agency_id, id)``
           index; every entry for the operator) are checked against the query and the
           filters one by one: a common word fills ``limit`` there, where the GIN index would
           read the posting list of every entry having it (a million at a million documents)
           and give every match of the agency. The filters are not part of the window's scan:
           a type or a year would make it read every newer entry of other types first.
        2. Otherwise the window's rate of matches (``k`` of ``W`` entries) sizes a slice of
           the next ``MARGIN × (limit − k) × W / k`` entries of the agency (at most
           :data:`SLICE`), checked the same way: a word in one document of ten.
        3. What is still missing comes from the GIN index, asked only for the words whose
           posting lists are worth reading (:meth:`_gin_expression`); the whole query is
           checked on the rows it gives. The agency, type and year are words of the entries
           (:func:`scope_words`): a rare word, or a type and a year the newest entries lack,
           is narrowed by the index.
        """
        found: list[int] = []
        size = self.WINDOW
        for _stage in range(2):
            hits, seen, floor = self._window(expr, where, size, before, agency_id)
            found += hits[: limit - len(found)]
            if len(found) >= limit or seen < size:  # enough, or no entry left in the agency
                return found
            before = floor
            if not hits:
                break
            size = min(self.SLICE, math.ceil(self.MARGIN * (limit - len(found)) * seen / len(hits)))
        gin = self._gin_expression(query, agency_id) if query is not None else None
        sql = ["SELECT e.id FROM search_entry e WHERE e.tsv @@ to_tsquery('simple', %s)"]
        params: list = [gin or expr]
        if gin:
            sql.append("ts_match_vq(e.tsv, to_tsquery('simple', %s))")  # a function: checked on the rows
            params.append(expr)
        if before is not None:
            sql.append("e.id < %s")
            params.append(before)
        # "e.id + 0": ordered by hand, not by walking the (agency_id, id) index backwards and
        # checking every row (what the planner would choose, unaware a row's check reads TOAST)
        return found + _run(
            " AND ".join(sql + where.sql) + " ORDER BY e.id + 0 DESC LIMIT %s",
            [*params, *where.params, limit - len(found)],
        )

    def _window(
        self, expr: str, where: Where, size: int, before: int | None, agency_id: int | None
    ) -> tuple[list[int], int, int | None]:
        """Of the ``size`` newest entries of the agency below ``before``: the ids of those
        matching, newest first; how many there were; the lowest id among them."""
        inner, params = [], []
        if agency_id is not None:
            inner.append("e.agency_id = %s")
            params.append(agency_id)
        if before is not None:
            inner.append("e.id < %s")
            params.append(before)
        # the filters before the words: a row of another type is not read from TOAST
        sql = (
            "SELECT array_agg(e.id ORDER BY e.id DESC) FILTER (WHERE "
            + "".join(f"{c} AND " for c in where.sql) + "e.tsv @@ to_tsquery('simple', %s)), COUNT(*), MIN(e.id)"
            " FROM (SELECT e.* FROM search_entry e" + (" WHERE " + " AND ".join(inner) if inner else "")
            + " ORDER BY e.id DESC LIMIT %s) e"
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, [*where.params, expr, *params, size])
            hits, seen, floor = cursor.fetchone()
        return list(hits or []), seen, floor

    def _gin_expression(self, query: Query, agency_id: int | None) -> str | None:
        """The words of ``query`` (and its agency, type and year) worth asking the GIN index
        for, ANDed: rarest first, each while reading its posting list (its frequency × the
        entries) costs less than checking the rows it would rule out (``ROW_COST`` each).
        ``None`` when that is every word (the whole query is asked) or none but the agency."""
        must: list[str] = [w for t in query.terms if t.kind != "prefix" for w in t.folded]
        if agency_id is not None:
            must.append(agency_token(agency_id))
        types = {type_token(query.type), type_token(query.type.lower())} if query.type else set()
        if len(types) == 1:
            must += types
        if query.year:
            must.append(year_token(query.year))
        freqs, rows = _frequencies(self.STATS_SECONDS)
        if not rows:
            return None
        candidates = float(rows)
        chosen: list[str] = []
        for word in sorted(set(must), key=lambda w: (freqs.get(w, 0.0), w)):  # ties: the same order every time
            f = freqs.get(word, 0.0)
            if not chosen or f * rows < candidates * (1.0 - f) * self.ROW_COST:
                chosen.append(word)
                candidates *= f if word in freqs else min(freqs.values(), default=0.01)
        everything = len(chosen) == len(set(must)) and not query.excluded and all(t.kind == "word" for t in query.terms)
        if everything or chosen == [agency_token(agency_id or 0)]:
            return None
        return " & ".join(f"'{w}'" for w in chosen)

    def write(self, cursor, entry_id, head, body, old):
        cursor.execute(
            "UPDATE search_entry SET tsv = setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s)"
            " WHERE id = %s",
            [head, body, entry_id],
        )

    def delete(self, cursor, entry_id, old):
        pass  # the column goes with its row

    def clear(self, cursor):
        pass

    @staticmethod
    def _term(t: Term) -> str:
        parts = [f"'{w}'" for w in t.folded]
        if t.kind == "prefix":
            parts[-1] += ":*"
        return "(" + " <-> ".join(parts) + ")"

    def expression(self, query: Query) -> str:
        expr = " & ".join(self._term(t) for t in query.terms)
        for t in query.excluded:
            expr += " & !" + self._term(t)
        return expr

    def phrase(self, words):
        return "(" + " <-> ".join(f"'{w}'" for w in words) + ")"


_STATS: list[tuple[float, dict[str, float], int]] = []  # (when, frequencies, entries): at most one


def _frequencies(ttl: float) -> tuple[dict[str, float], int]:
    """The indexed words' frequencies (the share of entries having each, from the
    statistics ``ANALYZE`` keeps on ``search_entry.tsv``: the most common ones; the others
    are rarer than the least of these) and the number of entries, kept ``ttl`` seconds."""
    now = time.monotonic()
    if _STATS and now - _STATS[0][0] < ttl:
        return _STATS[0][1], _STATS[0][2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = 'search_entry' AND attname = 'tsv' AND schemaname = current_schema()"
        )
        row = cursor.fetchone()
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_entry'::regclass")
        rows = max(0, int(cursor.fetchone()[0]))
    words, freqs = row or (None, None)
    table = dict(zip(words or [], freqs or [], strict=False))  # the last three numbers are not words'
    _STATS[:] = [(now, table, rows)]
    return table, rows


def backend() -> Backend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
