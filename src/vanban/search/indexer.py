"""Keeping the index up to date: the durable queue (:func:`enqueue`, in the caller's
transaction; :func:`process_queue`, by the worker), writing entries (one or many),
:func:`index_text` for text from elsewhere (OCR), and :func:`reindex` (everything again)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from vanban import fastsql
from vanban.search.backends import backend, scope_words
from vanban.search.documents import IndexDoc, load
from vanban.search.models import KIND_CHOICES, KIND_INCOMING, KIND_OUTGOING, SearchQueue, SearchText

logger = logging.getLogger(__name__)

__all__ = ["enqueue", "process_queue", "write", "write_many", "index_text", "reindex", "remove", "rebuild_engine"]

_KINDS = {k for k, _ in KIND_CHOICES}
_FLOW_KIND = {"outgoing": KIND_OUTGOING, "incoming": KIND_INCOMING}
COLUMNS = (
    "kind",
    "doc_id",
    "agency_id",
    "doc_date",
    "type_abbr",
    "type_slug",
    "state",
    "urgency",
    "register_id",
    "lead_unit_id",
    "label",
    "notation_key",
    "title",
    "parties",
    "parties_folded",
    "head",
    "body",
)


_SCOPE = "agency_id, type_abbr, type_slug, doc_date"


def _scope_of(doc: IndexDoc) -> str:
    return scope_words(doc.agency_id, doc.type_abbr, doc.type_slug, doc.doc_date.year if doc.doc_date else None)


def _scope_of_row(row) -> str:
    agency_id, abbr, slug, day = row
    if isinstance(day, str):  # SQLite through a raw cursor
        day = dt.date.fromisoformat(day)
    return scope_words(agency_id, abbr, slug, day.year if day else None)


def _kind(kind: str) -> str:
    kind = _FLOW_KIND.get(kind, kind)
    if kind not in _KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    return kind


def enqueue(kind: str, doc_id: int) -> None:
    """Queue the document for (re)indexing, in the caller's transaction: when the change
    commits, so does the queue row. ``kind``: "di"/"den" or the flow's name."""
    with fastsql.cursor() as cursor:  # prepared once per connection: it runs on every step
        cursor.execute("INSERT INTO search_queue (kind, doc_id) VALUES (%s, %s)", [_kind(kind), doc_id])


def _values(doc: IndexDoc) -> list:
    from vanban.textsearch import fold

    return [
        doc.kind,
        doc.doc_id,
        doc.agency_id,
        doc.doc_date,
        doc.type_abbr[:20],
        doc.type_slug[:60],
        doc.state[:20],
        doc.urgency[:30],
        doc.register_id,
        doc.lead_unit_id,
        doc.label[:120],
        doc.notation_key[:120],
        doc.title,
        doc.parties,
        fold(doc.parties),
        doc.head,
        doc.body,
    ]


def write(doc: IndexDoc) -> int:
    """Insert or replace the document's entry and its full-text row; the entry's id."""
    be = backend()
    values = _values(doc)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, head, body, {_SCOPE} FROM search_entry WHERE kind = %s AND doc_id = %s",
            [doc.kind, doc.doc_id],
        )
        row = cursor.fetchone()
        if row is None:
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.execute(
                f"INSERT INTO search_entry ({', '.join(COLUMNS)}, indexed_at) VALUES ({marks}, CURRENT_TIMESTAMP)"
                " RETURNING id",
                values,
            )
            entry_id, old = cursor.fetchone()[0], None
        else:
            entry_id, old = row[0], (be.head_words(row[1], _scope_of_row(row[3:])), be.words(row[2]))
            sets = ", ".join(f"{c} = %s" for c in COLUMNS[2:])
            cursor.execute(
                f"UPDATE search_entry SET {sets}, indexed_at = CURRENT_TIMESTAMP WHERE id = %s",
                [*values[2:], entry_id],
            )
        be.write(cursor, entry_id, be.head_words(doc.head, _scope_of(doc)), be.words(doc.body), old)
    return entry_id


def write_many(docs: Iterable[IndexDoc]) -> int:
    """Add entries for documents not yet indexed (a rebuild, the benchmark), in batches of
    statements; the number written."""
    be = backend()
    marks = ", ".join(["%s"] * len(COLUMNS))
    column, value = be.INLINE or ("", "")  # PostgreSQL: the tsvector in the same statement
    sql = (
        f"INSERT INTO search_entry ({', '.join(COLUMNS)}, indexed_at{column})"
        f" VALUES ({marks}, CURRENT_TIMESTAMP{value}) RETURNING id"
    )
    n = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for doc in docs:
            head, body = be.head_words(doc.head, _scope_of(doc)), be.words(doc.body)
            cursor.execute(sql, [*_values(doc), head, body] if be.INLINE else _values(doc))
            entry_id = cursor.fetchone()[0]
            if not be.INLINE:
                be.write(cursor, entry_id, head, body, None)
            n += 1
    return n


def remove(kind: str, doc_id: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, head, body, {_SCOPE} FROM search_entry WHERE kind = %s AND doc_id = %s", [kind, doc_id]
        )
        row = cursor.fetchone()
        if row is None:
            return
        be = backend()
        be.delete(cursor, row[0], (be.head_words(row[1], _scope_of_row(row[3:])), be.words(row[2])))
        cursor.execute("DELETE FROM search_entry WHERE id = %s", [row[0]])


def _index_one(kind: str, doc_id: int) -> None:
    doc = load(kind, doc_id)
    if doc is None:
        remove(kind, doc_id)
    else:
        write(doc)


def process_queue(limit: int = 200) -> int:
    """Index what the queue holds (at most ``limit`` documents); the number indexed. Each
    document's queue rows go in the transaction that indexes it: a crash before the commit
    leaves them for the next run. Several workers may run it: a row another one holds is
    skipped (PostgreSQL), and indexing twice only writes the same entry again."""
    done = 0
    pending = list(SearchQueue.objects.order_by("id").values_list("kind", "doc_id").distinct()[: limit * 4])
    seen: set[tuple[str, int]] = set()
    for kind, doc_id in pending:
        if (kind, doc_id) in seen:
            continue
        seen.add((kind, doc_id))
        with transaction.atomic():
            rows = SearchQueue.objects.filter(kind=kind, doc_id=doc_id)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            ids = list(rows.values_list("id", flat=True))
            if not ids:
                continue
            try:
                _index_one(kind, doc_id)
            except Exception:  # one broken document must not stop the queue; it stays queued
                logger.exception("search: could not index %s %s", kind, doc_id)
                continue
            SearchQueue.objects.filter(id__in=ids).delete()
        done += 1
        if done >= limit:
            break
    return done


def index_text(kind: str, doc_id: int, text: str, *, source: str = "ocr") -> None:
    """Text of a document from elsewhere (digitization's OCR of a scan): kept under
    ``source`` (replacing what that source gave before) and the document queued, in the
    caller's transaction."""
    with transaction.atomic():
        SearchText.objects.update_or_create(
            kind=_kind(kind), doc_id=doc_id, source=source[:30], defaults={"text": text or ""}
        )
        enqueue(kind, doc_id)


def reindex(progress: Callable[[int, int], None] | None = None, batch: int = 100) -> int:
    """Rebuild the whole index from the registry's documents; ``progress(done, total)``
    after each batch. The queue is emptied of what was there when the rebuild began."""
    from vanban.registry.models import IncomingDocument, OutgoingDocument

    be = backend()
    last_queued = SearchQueue.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic(), connection.cursor() as cursor:
        be.clear(cursor)
        cursor.execute("DELETE FROM search_entry")
    # oldest first, both kinds together: an entry's id is its place in "newest first"
    dated = [(at, KIND_OUTGOING, pk) for pk, at in OutgoingDocument.objects.values_list("pk", "created_at")]
    dated += [(at, KIND_INCOMING, pk) for pk, at in IncomingDocument.objects.values_list("pk", "arrived_at")]
    work = [(kind, pk) for _, kind, pk in sorted(dated)]
    total = len(work)
    for start in range(0, total, batch):
        with transaction.atomic():
            docs = [d for d in (load(k, pk) for k, pk in work[start : start + batch]) if d is not None]
            write_many(docs)
        if progress is not None:
            progress(min(start + batch, total), total)
    SearchQueue.objects.filter(id__lte=last_queued).delete()
    return total


def rebuild_engine(batch: int = 500) -> int:
    """The engine's part of the index (SQLite's ``search_fts``, PostgreSQL's ``tsv``) made
    again from the entries as they are, reading no document: after a restore, which brings
    the entries back but not the engine's own table. The number of entries."""
    be = backend()
    n = 0
    with transaction.atomic(), connection.cursor() as cursor:
        be.clear(cursor)
        last = 0
        while True:
            cursor.execute(
                f"SELECT id, head, body, {_SCOPE} FROM search_entry WHERE id > %s ORDER BY id LIMIT %s", [last, batch]
            )
            rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                be.write(cursor, row[0], be.head_words(row[1], _scope_of_row(row[3:])), be.words(row[2]), None)
            last = rows[-1][0]
            n += len(rows)
    return n
