"""The full-text part of the index, one interface over two engines chosen by the database
in use: SQLite FTS5 (a contentless ``search_fts`` table, ``unicode61 remove_diacritics 2``)
and PostgreSQL (a ``tsvector`` column of ``search_entry`` with a GIN index, ``simple``
configuration). Both are given the same folded words (:func:`index_words`), so both find
the same documents; ranking is done above them on a bounded set of candidates
(:mod:`.engine`), never by the engine over every match."""

from __future__ import annotations

import math
import re
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
        self, expr: str, where: Where, limit: int, before: int | None, agency_id: int | None = None
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
        return self._newest(self._scoped(self.expression(query), agency_id, query), where, limit, before, agency_id)

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

    WINDOW = 300  # the newest entries in scope checked one by one before the GIN index is asked
    MARGIN = 2.0  # the slice asked next is this many times what the window's rate says suffices

    def _newest(
        self, expr: str, where: Where, limit: int, before: int | None, agency_id: int | None = None
    ) -> list[int]:
        """Newest first, the work bounded by design, whatever the words' frequency.

        1. The newest :data:`WINDOW` entries of the agency (through its ``(agency_id, id)``
           index; every entry for the operator) are checked against the query and the
           filters one by one: a common word fills ``limit`` there, where the GIN index would
           give every match of the agency (tens of thousands of rows at a million documents,
           each fetched). The filters are not part of the window's scan: a type or a year
           would make it read every newer entry of other types or years first.
        2. Otherwise the window's rate of matches (``k`` in an id span ``S``) sizes the next
           slice of ids, below the window: ``MARGIN × (limit − k) / k × S``, asked to the GIN
           index and the ``(agency_id, id)`` index together, so the rows fetched are about the
           matches needed, not every match of the agency (a word in one document of ten).
        3. Only what is still missing is asked below the slice, unbounded: a rare word, or
           filters the newest entries lack, whose matches the GIN index alone narrows (the
           type and the year are words of the entries, see :func:`scope_words`).
        """
        inner, params = [], []
        if agency_id is not None:
            inner.append("e.agency_id = %s")
            params.append(agency_id)
        if before is not None:
            inner.append("e.id < %s")
            params.append(before)
        window_sql = (
            "SELECT e.id, e.tsv @@ to_tsquery('simple', %s)" + "".join(f" AND {c}" for c in where.sql) + " FROM ("
            "SELECT e.* FROM search_entry e" + (" WHERE " + " AND ".join(inner) if inner else "")
            + " ORDER BY e.id DESC LIMIT %s) e ORDER BY e.id DESC"
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(window_sql, [expr, *where.params, *params, self.WINDOW])
            window = cursor.fetchall()
        found = [i for i, hit in window if hit][:limit]
        if len(found) >= limit or len(window) < self.WINDOW:  # enough, or the window held every entry
            return found
        top, floor = window[0][0], window[-1][0]
        if found:
            span = math.ceil(self.MARGIN * (limit - len(found)) / len(found) * (top - floor + 1))
            low = floor - span
            sliced = Where([*where.sql, "e.id >= %s"], [*where.params, low])
            found += super()._newest(expr, sliced, limit - len(found), floor)
            if len(found) >= limit or low <= 1:
                return found
            floor = low
        return found + super()._newest(expr, where, limit - len(found), floor)

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


def backend() -> Backend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SQLiteBackend()
