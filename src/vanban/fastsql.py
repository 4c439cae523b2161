"""A database cursor for the few plain-SQL statements that run on every package or event
(the hub's accept, inbox, fetch and ack; the audit append).

Django's PostgreSQL backend binds parameters on the client by default: psycopg quotes
every value into the SQL text in Python, and the server parses and plans each statement
anew. This cursor is psycopg's own, on Django's connection (same transaction, same
``on_commit`` hooks): values travel apart from the text, and a statement run a few times
(``prepare_threshold``, 5, set by :mod:`vanban.db.postgresql`: Django's own is none) is
prepared once per connection. Errors come out as
Django's (``IntegrityError`` and so on), as from ``connection.cursor()``. On any other
database it is Django's cursor: the statements are portable, with ``%s`` placeholders.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

__all__ = ["cursor", "is_postgres", "select_locked", "update_fields", "insert"]


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


# -- rows of a model, without the ORM's query compiler ----------------------------------
# The flow engine locks, updates and writes a history row for every step of every
# document. Django compiles each of those statements anew (for a locked read with its
# related rows, about as much Python as the whole rest of the step); the statements
# below are built once per model from its ``_meta``, run through :func:`cursor`, and give
# back ordinary model instances (values through the same converters the ORM applies).
# Only for models whose ``save`` is Django's own (no override to bypass); no signals are
# sent, as nothing in vanban listens to these models' saves.


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _converters(field, alias: str) -> list:
    col = field.get_col(alias)
    return [(conv, col) for conv in (*connection.ops.get_db_converters(col), *col.get_db_converters(connection))]


@functools.cache
def _locked_plan(model, related: tuple[str, ...], vendor: str) -> tuple[str, list]:
    meta = model._meta
    parts = [("t0", model, None)]
    joins = []
    for i, name in enumerate(related, start=1):
        fk = meta.get_field(name)
        target = fk.related_model
        alias = f"t{i}"
        joins.append(
            f"LEFT JOIN {_q(target._meta.db_table)} {alias} "
            f"ON {alias}.{_q(target._meta.pk.column)} = t0.{_q(fk.column)}"
        )
        parts.append((alias, target, fk))
    columns, plan = [], []
    for alias, m, fk in parts:
        fields = list(m._meta.concrete_fields)
        columns += [f"{alias}.{_q(f.column)}" for f in fields]
        plan.append((m, fk, [f.attname for f in fields], [_converters(f, alias) for f in fields]))
    sql = (
        f"SELECT {', '.join(columns)} FROM {_q(meta.db_table)} t0 {' '.join(joins)} "
        f"WHERE t0.{_q(meta.pk.column)} = %s" + (" FOR UPDATE OF t0" if vendor == "postgresql" else "")
    )
    return sql, plan


def _convert(values, converters) -> list:
    out = []
    for value, convs in zip(values, converters):
        for conv, col in convs:
            value = conv(value, col, connection)
        out.append(value)
    return out


def select_locked(model, pk, related: tuple[str, ...] = ()):
    """The row of ``model`` with this primary key, locked until the transaction ends (on
    PostgreSQL; SQLite serialises writers), with the forward foreign keys ``related`` loaded
    in the same statement; ``model.DoesNotExist`` when there is none."""
    sql, plan = _locked_plan(model, tuple(related), connection.vendor)
    with cursor() as cur:
        cur.execute(sql, [pk])
        row = cur.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    instance = None
    start = 0
    for m, fk, attnames, converters in plan:
        values = _convert(row[start : start + len(attnames)], converters)
        start += len(attnames)
        if fk is None:
            instance = m.from_db(DEFAULT_DB_ALIAS, attnames, values)
        else:
            obj = m.from_db(DEFAULT_DB_ALIAS, attnames, values) if getattr(instance, fk.attname) is not None else None
            fk.set_cached_value(instance, obj)
    return instance


def update_fields(instance, fields) -> None:
    """``instance.save(update_fields=fields)`` in one prepared statement (``auto_now``
    fields named here are set as Django would)."""
    meta = instance._meta
    chosen = [meta.get_field(name) for name in fields]
    values = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in chosen]
    sql = (
        f"UPDATE {_q(meta.db_table)} SET {', '.join(f'{_q(f.column)} = %s' for f in chosen)} "
        f"WHERE {_q(meta.pk.column)} = %s"
    )
    with cursor() as cur:
        cur.execute(sql, [*values, instance.pk])


def insert(instance) -> None:
    """``instance.save()`` of a new row in one prepared statement; sets its primary key."""
    meta = instance._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    sql = (
        f"INSERT INTO {_q(meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {_q(meta.pk.column)}"
    )
    with cursor() as cur:
        cur.execute(sql, values)
        instance.pk = cur.fetchone()[0]
    instance._state.adding, instance._state.db = False, DEFAULT_DB_ALIAS
