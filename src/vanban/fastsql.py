"""A database cursor for the few plain-SQL statements that run on every package or event
(the hub's accept, inbox, fetch and ack; the audit append).

Django's PostgreSQL backend binds parameters on the client by default: psycopg quotes
every value into the SQL text in Python, and the server parses and plans each statement
anew. This cursor is psycopg's own, on Django's connection (same transaction, same
``on_commit`` hooks): values travel apart from the text, and a statement run a few times
(``prepare_threshold``, 5 by default) is prepared once per connection. Errors come out as
Django's (``IntegrityError`` and so on), as from ``connection.cursor()``. On any other
database it is Django's cursor: the statements are portable, with ``%s`` placeholders.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

__all__ = ["cursor", "is_postgres"]


@functools.cache
def is_postgres() -> bool:
    """Whether the default database is PostgreSQL (fixed for the life of a process; asked
    once, as each ``connection.x`` goes through Django's per-thread connection lookup)."""
    return connection.vendor == "postgresql"


@contextmanager
def cursor() -> Iterator[Any]:
    if not is_postgres():
        with connection.cursor() as cur:
            yield cur
        return
    import psycopg

    db = connections[DEFAULT_DB_ALIAS]
    # what connection.cursor() does first: the health check once per request, then connect
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as cur:
        yield cur
