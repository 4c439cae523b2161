"""Which stored files to check, in a stable order, a batch at a time; and whose they are.

The files are those the rows name, as :data:`vanban.backup.FILE_REFS` declares them (the
same list the backups use, so a new table that names a file is checked as soon as it is
backed up): table by table in that order, each by primary key. A position is the index of
the reference and the last primary key read in its table. A file the rows name but the
store has lost is found this way; a file nobody names is not (nothing refers to it).

The agencies of a file are found from its rows: the row's own agency (a foreign key to
``directory.Agency`` on the row or one step away, ``document.agency``), or, for a table that
other tables point at (``registry.StoredFile``), the agencies of the rows pointing at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

from vanban.backup import FILE_REFS

__all__ = ["Item", "Position", "next_batch", "agencies_of", "row_label"]

Position = tuple[int, int]  # (index in FILE_REFS, last primary key read)


@dataclass(frozen=True)
class Item:
    """One file to check, and the row that names it."""

    namespace: str
    sha256: str
    model: str
    row_id: int
    label: str


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:  # an app this process does not install
        return None


def row_label(row: dict[str, Any]) -> str:
    """What a person recognises a row by: its file name when it has one."""
    for name in ("name", "original_name", "file_name", "title"):
        value = row.get(name)
        if value:
            return str(value)[:200]
    return ""


def _digests(ref: Any, row: dict[str, Any]) -> Iterator[str]:
    value = row.get(ref.field)
    if ref.in_list:
        for entry in value or []:
            sha = entry.get("sha256") if isinstance(entry, dict) else None
            if sha:
                yield str(sha)
    elif value:
        yield str(value)


def next_batch(position: Position, limit: int) -> tuple[list[Item], Position, bool]:
    """Up to ``limit`` rows' files from ``position``: the items, the position after them,
    and whether the walk reached the end (the next position is then the start)."""
    index, last_pk = position
    items: list[Item] = []
    rows_read = 0
    while index < len(FILE_REFS) and rows_read < limit:
        ref = FILE_REFS[index]
        model = _model(ref.model)
        if model is None:
            index, last_pk = index + 1, 0
            continue
        pk = model._meta.pk.attname
        want = limit - rows_read
        columns = [f.attname for f in model._meta.concrete_fields if not isinstance(f, models.BinaryField)]
        query = model._default_manager.filter(**{f"{pk}__gt": last_pk}).order_by(pk)
        rows = list(query.values(*columns)[:want])  # never a row's binary payload
        rows_read += len(rows)
        for row in rows:
            if not ref.kept(row):
                continue
            for sha in _digests(ref, row):
                items.append(Item(ref.namespace, sha, ref.model, int(row[pk]), row_label(row)))
        if len(rows) < want:
            index, last_pk = index + 1, 0
        else:
            last_pk = int(rows[-1][pk])
    if index >= len(FILE_REFS):
        return items, (0, 0), True
    return items, (index, last_pk), False


@cache
def _agency_path(label: str, depth: int = 2) -> str | None:
    """The lookup from a row of ``label`` to its agency's primary key, if it has one."""
    model = apps.get_model(label)
    agency = apps.get_model("directory", "Agency")
    fks = sorted(
        (f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)),
        key=lambda f: (f.name != "agency", f.name != "document", f.name),
    )
    for f in fks:
        if f.related_model is agency:
            return f.name
    if depth > 1:
        for f in fks:
            related = f.related_model
            if related is None or related is model:
                continue
            sub = _agency_path(related._meta.label, depth - 1)  # type: ignore[union-attr]
            if sub:
                return f"{f.name}__{sub}"
    return None


@cache
def _pointing_at(label: str) -> tuple[tuple[str, str], ...]:
    """(table, foreign key) pairs of every model pointing at ``label`` (hidden ones too)."""
    target = apps.get_model(label)
    out = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model is target:
                out.append((model._meta.label, f.name))
    return tuple(out)


def _agency_ids(label: str, queryset: models.QuerySet[Any]) -> set[int]:
    path = _agency_path(label)
    if path is not None:
        return {pk for pk in queryset.values_list(path, flat=True) if pk is not None}
    ids: set[int] = set()
    pks = list(queryset.values_list("pk", flat=True)[:1000])
    if not pks:
        return ids
    for other, fk in _pointing_at(label):
        other_path = _agency_path(other)
        if other_path is None:
            continue
        rows = apps.get_model(other)._default_manager.filter(**{f"{fk}__in": pks})
        ids |= {pk for pk in rows.values_list(other_path, flat=True) if pk is not None}
    return ids


def agencies_of(namespace: str, sha256: str) -> set[int]:
    """Primary keys of the agencies whose rows name the file (any table of the namespace)."""
    ids: set[int] = set()
    for ref in FILE_REFS:
        if ref.namespace != namespace:
            continue
        model = _model(ref.model)
        if model is None:
            continue
        lookup = f"{ref.field}__icontains" if ref.in_list else ref.field
        ids |= _agency_ids(ref.model, model._default_manager.filter(**{lookup: sha256}))
    return ids
