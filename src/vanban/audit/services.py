"""Writing audit events. Call inside the transaction of the change being recorded."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.forms.models import model_to_dict
from django.utils import timezone

from vanban import fastsql
from vanban.audit.actions import AuditAction
from vanban.audit.chain import GENESIS_HASH, content_around_seq, event_digest
from vanban.audit.models import AuditChainHead, AuditEvent

__all__ = ["record", "record_many", "snapshot", "PendingEvent"]


def _normalise(value: Any) -> Any:
    """JSON round trip so what is hashed is exactly what the JSON column gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(obj: Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The model's concrete field values (foreign keys as ids, many-to-many as id lists)."""
    data = model_to_dict(obj, exclude=list(exclude))
    for f in obj._meta.many_to_many:
        if f.name in data:
            data[f.name] = sorted(getattr(v, "pk", v) for v in data[f.name])
    for f in obj._meta.concrete_fields:
        if f.name not in data and f.name not in exclude and not f.primary_key:
            data[f.attname] = getattr(obj, f.attname)
    return _normalise(data)


@dataclass
class PendingEvent:
    action: AuditAction | str
    object_type: str = ""
    object_id: str = ""
    object_label: str = ""
    before: Any = None
    after: Any = None
    extra: dict = field(default_factory=dict)


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        name = getattr(actor, "username", "") if actor is not None else ""
        return None, name or "hệ thống"
    return actor.pk, actor.get_username()


def record_many(actor, events: list[PendingEvent]) -> list[AuditEvent]:
    """Append ``events`` to the chain in order, in the caller's transaction."""
    if not events:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("audit events must be written inside the change's transaction")
    actor_id, actor_username = _actor_fields(actor)
    now = timezone.now()
    if len(events) == 1 and fastsql.is_postgres():
        row = _append_one_pg(events[0], actor_id, actor_username, now)
        if row is not None:
            return [row]
    seq, prev = _lock_head()
    prev = prev or GENESIS_HASH
    rows = []
    for ev in events:
        seq += 1
        fields = _fields(ev, actor_id, actor_username, now)
        digest = event_digest(seq=seq, prev_hash=prev, **fields)
        rows.append(AuditEvent(seq=seq, prev_hash=prev, hash=digest, **fields))
        prev = digest
    _append(rows, seq, prev)
    return rows


def _fields(ev: PendingEvent, actor_id: int | None, actor_username: str, now) -> dict[str, Any]:
    """An event's content but its number (what the hash covers, with the number)."""
    return dict(
        at=now,
        actor_id=actor_id,
        actor_username=actor_username,
        action=str(ev.action),
        object_type=ev.object_type,
        object_id=str(ev.object_id),
        object_label=ev.object_label[:255],
        before=_normalise(ev.before),
        after=_normalise(ev.after),
    )


_HEAD = AuditChainHead._meta.db_table
_EVENT = AuditEvent._meta.db_table
_COLUMNS = [
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "before",
    "after",
    "prev_hash",
    "hash",
]


def _append_one_pg(ev: PendingEvent, actor_id: int | None, actor_username: str, now) -> AuditEvent | None:
    """One event in one statement on PostgreSQL: lock the head, insert the event with its
    number and hash computed by the database (SHA-256 of the previous hash and the same
    canonical content as :func:`~vanban.audit.chain.event_digest`), move the head. Every
    state change passes here, and this spares a round trip and the time the head stays
    locked. None when the head row does not exist yet (the general path creates it)."""
    fields = _fields(ev, actor_id, actor_username, now)
    prefix, suffix = content_around_seq(**fields)
    db = connections[DEFAULT_DB_ALIAS]
    json_field = AuditEvent._meta.get_field("after")
    with fastsql.cursor() as cur:
        cur.execute(
            f"WITH h AS (SELECT seq + 1 AS seq, COALESCE(NULLIF(last_hash, ''), %s) AS prev FROM {_HEAD} "
            f"WHERE id = 1 FOR UPDATE), "
            f"e AS (INSERT INTO {_EVENT} ({', '.join(_COLUMNS)}) SELECT h.seq, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            f"h.prev, encode(sha256(convert_to(h.prev || %s || h.seq::text || %s, 'UTF8')), 'hex') FROM h "
            f"RETURNING id, seq, prev_hash, hash) "
            f"UPDATE {_HEAD} SET seq = e.seq, last_hash = e.hash FROM e WHERE {_HEAD}.id = 1 "
            f"RETURNING e.id, e.seq, e.prev_hash, e.hash",
            [
                GENESIS_HASH,
                now,
                actor_id,
                actor_username,
                fields["action"],
                fields["object_type"],
                fields["object_id"],
                fields["object_label"],
                json_field.get_db_prep_save(fields["before"], db),
                json_field.get_db_prep_save(fields["after"], db),
                prefix,
                suffix,
            ],
        )
        found = cur.fetchone()
    if found is None:
        return None
    pk, seq, prev_hash, digest = found
    event = AuditEvent(seq=seq, prev_hash=prev_hash, hash=digest, **fields)
    event.pk = pk
    return event


def _append(rows: list[AuditEvent], seq: int, last_hash: str) -> None:
    """INSERT the events (one statement per 500; their ids are set) and move the head, in
    plain SQL (as :func:`_lock_head`)."""
    fields = [AuditEvent._meta.get_field(c) for c in _COLUMNS]
    db = connections[DEFAULT_DB_ALIAS]
    marks = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    by_seq = {r.seq: r for r in rows}
    with fastsql.cursor() as cur:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            params = [f.get_db_prep_save(getattr(r, f.attname), db) for r in chunk for f in fields]
            cur.execute(
                f"INSERT INTO {_EVENT} ({', '.join(_COLUMNS)}) VALUES {', '.join([marks] * len(chunk))} "
                "RETURNING id, seq",
                params,
            )
            for pk, event_seq in cur.fetchall():
                by_seq[event_seq].pk = pk
        cur.execute(f"UPDATE {_HEAD} SET seq = %s, last_hash = %s WHERE id = 1", [seq, last_hash])


def _lock_head() -> tuple[int, str]:
    """The chain head (seq, last hash), locked until the transaction ends. Plain SQL: every
    state change in the system passes here."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with fastsql.cursor() as cur:
        cur.execute(f"SELECT seq, last_hash FROM {_HEAD} WHERE id = 1{lock}")
        row = cur.fetchone()
    if row is None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        return head.seq, head.last_hash
    return row[0], row[1]


def record(
    actor,
    action: AuditAction | str,
    obj: Model | None = None,
    *,
    before: Any = None,
    after: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one event; ``obj`` fills the object fields when given."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    return record_many(
        actor,
        [PendingEvent(action, object_type, object_id, object_label, before, after)],
    )[0]
