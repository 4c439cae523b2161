"""Reading a database as a person checking a restore would: every row of every table, raw,
and the tables' next ids; a fresh database (a new SQLite file, or a new PostgreSQL database)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection
from django.db.utils import load_backend

SKIPPED = {"django_migrations"}  # written by each database's own migrate


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def every_row(conn=connection, replace: dict[str, tuple[str, str]] | None = None) -> dict[str, list[str]]:
    """Table -> its rows (sorted), as the database driver gives them (``replace``: table ->
    (old, new) text in its rows). SQLite's full-text tables are its engine's own pages:
    they are checked by searching instead."""
    out = {}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            if table in SKIPPED or table.startswith("search_fts"):
                continue
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")
            rows = [repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall()]
            if replace and table in replace:
                rows = [r.replace(*replace[table]) for r in rows]
            out[table] = sorted(rows)
    return out


def next_ids(conn=connection) -> dict[str, int]:
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
        else:
            cursor.execute("SELECT sequencename, COALESCE(last_value, 0) FROM pg_sequences")
        return dict(cursor.fetchall())


def fts_hits(conn, words: str) -> list[int]:
    """Entry ids the search engine finds for ``words`` (SQLite FTS5 or PostgreSQL tsvector)."""
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid", [words])
        else:
            cursor.execute(
                "SELECT id FROM search_entry WHERE tsv @@ plainto_tsquery('simple', %s) ORDER BY id", [words]
            )
        return [r[0] for r in cursor.fetchall()]


@dataclass
class Target:
    url: str
    wrapper: object


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[Target]:
    """A database nothing has touched: its URL (for a process) and a connection to read it."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        path = tmp_path / "khoi-phuc.sqlite3"
        url = f"sqlite:///{path}"
        settings_dict["NAME"] = str(path)
        drop = None
    else:
        import psycopg

        name = f"vanban_restore_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        base = os.environ["DATABASE_URL"]
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f"/{name}"))
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="restored")
    try:
        yield Target(url, wrapper)
    finally:
        wrapper.close()
        if drop is not None:
            drop()


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (relative name -> bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
