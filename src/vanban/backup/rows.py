"""Tables as portable JSON lines, one member per model: a header line (the model, its
table and columns), then one JSON array per row in primary-key order. Values are written
from each field's Python value and read back through the field (``to_python``, then
``get_db_prep_save`` for the database in use), so an archive taken on SQLite loads into
PostgreSQL and back; datetimes keep their microseconds (the audit chain hashes them)."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.apps import apps
from django.db import connection, models
from django.utils.duration import duration_string

__all__ = ["dumped_models", "member_name", "write_table", "read_table", "insert_rows", "Header"]

BATCH = 500

Header = dict[str, Any]


def dumped_models() -> list[type[models.Model]]:
    """Every table Django manages (auto-created many-to-many tables too), by label."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def member_name(model: type[models.Model]) -> str:
    return f"db/{model._meta.label_lower}.jsonl"


def _fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _encoder(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda v: v  # already JSON (a JSON string stays a string)
    return _encode


def _decoder(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda v: v
    return lambda v: None if v is None else field.to_python(v)


def write_table(
    model: type[models.Model], out: IO[bytes], on_row: Callable[[dict[str, Any]], None] | None = None
) -> int:
    """Write ``model``'s rows to ``out``; ``on_row`` sees each row (field name -> value). The count."""
    fields = _fields(model)
    names = [f.attname for f in fields]
    header = {"model": model._meta.label_lower, "table": model._meta.db_table, "fields": names}
    out.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
    encoders = [_encoder(f) for f in fields]
    n = 0
    rows = model._base_manager.order_by("pk").values_list(*names).iterator(chunk_size=2000)
    for values in rows:
        if on_row is not None:
            on_row({f.name: v for f, v in zip(fields, values, strict=True)})
        line = json.dumps([enc(v) for enc, v in zip(encoders, values, strict=True)], ensure_ascii=False)
        out.write(line.encode() + b"\n")
        n += 1
    return n


def read_table(model: type[models.Model], lines: Iterable[bytes]) -> tuple[Header, Iterator[list[Any]]]:
    """The header and the rows (decoded values, in the header's field order) of a member."""
    it = iter(lines)
    header = json.loads(next(it))
    by_attname = {f.attname: f for f in _fields(model)}
    if header.get("model") != model._meta.label_lower or set(header.get("fields", ())) != set(by_attname):
        raise ValueError(f"{model._meta.label_lower}: the columns differ from this version's")
    decoders = [_decoder(by_attname[name]) for name in header["fields"]]

    def rows() -> Iterator[list[Any]]:
        for line in it:
            values = json.loads(line)
            if len(values) != len(decoders):
                raise ValueError(f"{model._meta.label_lower}: a row has {len(values)} values")
            yield [dec(v) for dec, v in zip(decoders, values, strict=True)]

    return header, rows()


def insert_rows(model: type[models.Model], header: Header, rows: Iterable[list[Any]]) -> int:
    """INSERT the rows as they are (primary keys, timestamps: no ``auto_now``), in batches."""
    by_attname = {f.attname: f for f in _fields(model)}
    fields = [by_attname[name] for name in header["fields"]]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    n = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for values in rows:
            batch.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n
