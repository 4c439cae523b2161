"""Find any document (Django app): accent-insensitive Vietnamese full-text search over the
agency's outgoing and incoming documents — subject, number and notation, sender and
recipients, type, the text of the main PDF and the attachments, and texts given from
elsewhere (OCR, :func:`index_text`) — on SQLite FTS5 or PostgreSQL full-text search,
chosen by the database in use, with the results limited to what the person may see.

The registry writes a row in the durable queue (:func:`enqueue`) in the transaction that
changes a document; the worker indexes it (:func:`process_queue`). Ranking is bounded: the
engine gives the newest matches (at most a few hundred), which are re-ranked here (what was
typed with its diacritics and an exact number and notation first).

The names below are the app's whole face; they import their modules on first use, so the
registry may call :func:`enqueue` without loading the search app's code at import time."""

from __future__ import annotations

from typing import Any

__all__ = [
    "Filters",
    "Hit",
    "Results",
    "enqueue",
    "index_text",
    "process_queue",
    "rebuild_engine",
    "reindex",
    "search",
    "search_as_operator",
    "similar",
    "suggest_lead_unit",
]

_WHERE = {
    "Filters": "vanban.search.engine",
    "Hit": "vanban.search.engine",
    "Results": "vanban.search.engine",
    "search": "vanban.search.engine",
    "search_as_operator": "vanban.search.engine",
    "similar": "vanban.search.related",
    "suggest_lead_unit": "vanban.search.related",
    "enqueue": "vanban.search.indexer",
    "index_text": "vanban.search.indexer",
    "process_queue": "vanban.search.indexer",
    "reindex": "vanban.search.indexer",
    "rebuild_engine": "vanban.search.indexer",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
