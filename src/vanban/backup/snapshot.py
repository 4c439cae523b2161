"""One consistent view of the database for the whole backup, without stopping writers:
SQLite, a deferred read transaction (in WAL mode, writers go on while it reads the state of
its first statement; Django's own transactions would take the write lock); PostgreSQL, a
``REPEATABLE READ READ ONLY`` transaction (one snapshot for every statement). Called inside
a transaction already open, that transaction's view is used as it is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

__all__ = ["snapshot"]


@contextmanager
def snapshot() -> Iterator[None]:
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                cursor.execute("SELECT COUNT(*) FROM django_migrations")  # the snapshot starts here
                cursor.fetchone()
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
