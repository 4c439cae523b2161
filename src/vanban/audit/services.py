"""Writing audit events, each on its chain. Call inside the transaction of the change being
recorded."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import ForeignObject, Model
from django.forms.models import model_to_dict
from django.utils import timezone

from vanban import fastsql
from vanban.audit.actions import AuditAction
from vanban.audit.chain import (
    GENESIS_HASH,
    HUB_CHAIN,
    SYSTEM_CHAIN,
    agency_chain,
    content_around_seq,
    event_digest,
)
from vanban.audit.models import AuditChainHead, AuditEvent

__all__ = ["record", "record_many", "snapshot", "chain_for", "PendingEvent"]


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
    for cf in obj._meta.concrete_fields:
        if cf.name not in data and cf.name not in exclude and not cf.primary_key:
            data[cf.attname] = getattr(obj, cf.attname)
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
    chain: str = ""  # empty: chosen by record_many (see _choose_chains)


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        name = getattr(actor, "username", "") if actor is not None else ""
        return None, name or "hệ thống"
    return actor.pk, actor.get_username()


def record_many(actor, events: list[PendingEvent], *, chain: str | None = None) -> list[AuditEvent]:
    """Append ``events`` in order, each to its chain (``chain`` for all that name none,
    else chosen from its object, see :func:`chain_for`), in the caller's transaction."""
    if not events:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("audit events must be written inside the change's transaction")
    actor_id, actor_username = _actor_fields(actor)
    now = timezone.now()
    chains = _choose_chains(actor, events, chain)
    if len(events) == 1 and fastsql.is_postgres():
        row = _append_one_pg(events[0], chains[0], actor_id, actor_username, now)
        if row is not None:
            return [row]
    heads = {key: _lock_head(key) for key in sorted(set(chains))}  # one order: no deadlock among these
    order = _next_seqs(len(events))
    rows = []
    for ev, key, seq in zip(events, chains, order):
        chain_seq, prev = heads[key]
        chain_seq += 1
        fields = _fields(ev, key, actor_id, actor_username, now)
        digest = event_digest(seq=chain_seq, prev_hash=prev or GENESIS_HASH, **fields)
        rows.append(AuditEvent(seq=seq, chain_seq=chain_seq, prev_hash=prev or GENESIS_HASH, hash=digest, **fields))
        heads[key] = (chain_seq, digest)
    _append(rows, heads)
    return rows


# -- which chain ------------------------------------------------------------------------

# Foreign keys followed from an object to the agency it belongs to (a document's, a
# delegation's delegator's, a register entry's register's ...).
_TOWARDS_AGENCY = ("agency", "document", "person", "delegator", "register", "register_year", "recipient")


def chain_for(obj: Model | None, actor=None, action: str = "") -> str:
    """The chain an event goes on: the hub's for the hub's events (``exchange.*``, or an
    object of the exchange app); else the agency's whose object it is (the agency itself,
    or the agency of a unit, person, document, ...); else the agency of the acting
    person; else the system chain."""
    if str(action).startswith("exchange.") or (obj is not None and obj._meta.app_label == "exchange"):
        return HUB_CHAIN
    code = _agency_code_of(obj, 3) if obj is not None else None
    if code is None:
        code = _actor_agency_code(actor)
    return agency_chain(code) if code else SYSTEM_CHAIN


def _agency_code_of(obj: Model, depth: int) -> str | None:
    from vanban.directory.models import Agency

    if isinstance(obj, Agency):
        return obj.code or None
    if depth == 0:
        return None
    for name in _TOWARDS_AGENCY:
        try:
            f = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(f, ForeignObject) or not f.concrete:  # a foreign key or one-to-one column
            continue
        if f.related_model is Agency and not f.is_cached(obj):
            pk = getattr(obj, f.attname)
            if pk is not None:  # the code alone, not the whole agency row
                return Agency.objects.filter(pk=pk).values_list("code", flat=True).first()
            continue
        target = getattr(obj, name, None)
        if target is not None:
            code = _agency_code_of(target, depth - 1)
            if code:
                return code
    return None


def _actor_agency_code(actor) -> str | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    person = getattr(actor, "person", None)  # a missing person raises AttributeError's kin
    return _agency_code_of(person, 1) if person is not None else None


def _choose_chains(actor, events: list[PendingEvent], chain: str | None) -> list[str]:
    """Each event's chain: its own, else ``chain``, else from its object, found by type and
    id in one query per type (events written in bulk, such as a directory import, carry
    no object)."""
    out: list[str | None] = []
    wanted: dict[str, set[str]] = {}
    for ev in events:
        hub = str(ev.action).startswith("exchange.") or ev.object_type.startswith("exchange.")
        key = HUB_CHAIN if hub else (ev.chain or chain)
        if hub and (ev.chain or chain) not in (None, "", HUB_CHAIN):
            raise ValueError(f"hub event {ev.action} on chain {ev.chain or chain!r}: hub events go on the hub chain")
        out.append(key or None)
        if key is None and ev.object_type and ev.object_id:
            wanted.setdefault(ev.object_type, set()).add(str(ev.object_id))
    found: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model_of(object_type)
        if model is None:
            continue
        rows = model._default_manager.all()
        if any(f.name == "agency" and f.many_to_one for f in model._meta.concrete_fields):
            rows = rows.select_related("agency")
        try:
            objs = rows.in_bulk([model._meta.pk.to_python(i) for i in ids])
        except (ValueError, ValidationError):
            continue
        for pk, obj in objs.items():
            code = _agency_code_of(obj, 3)
            if code:
                found[(object_type, str(pk))] = agency_chain(code)
    fallback = None
    result = []
    for ev, key in zip(events, out):
        if key is None:
            key = found.get((ev.object_type, str(ev.object_id)))
        if key is None:
            if fallback is None:
                code = _actor_agency_code(actor)
                fallback = agency_chain(code) if code else SYSTEM_CHAIN
            key = fallback
        result.append(key)
    return result


def _model_of(object_type: str) -> type[Model] | None:
    app_label, _, model_name = object_type.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


# -- writing ----------------------------------------------------------------------------


def _fields(ev: PendingEvent, chain: str, actor_id: int | None, actor_username: str, now) -> dict[str, Any]:
    """An event's content but its number (what the hash covers, with the number)."""
    return dict(
        chain=chain,
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
_SEQUENCE = "audit_event_seq"  # PostgreSQL: the order of the whole log (migration 0005)
_COLUMNS = [
    "seq",
    "chain",
    "chain_seq",
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


def _append_one_pg(ev: PendingEvent, chain: str, actor_id: int | None, actor_username: str, now) -> AuditEvent | None:
    """One event in one statement on PostgreSQL: lock the head of the event's chain (only
    that one), insert the event with its number and hash computed by the database (SHA-256
    of the previous hash and the same canonical content as
    :func:`~vanban.audit.chain.event_digest`), move the head. Every state change passes
    here, and this spares a round trip and the time the head stays locked. None when the
    chain has no head yet (the general path creates it)."""
    fields = _fields(ev, chain, actor_id, actor_username, now)
    prefix, suffix = content_around_seq(**fields)
    db = connections[DEFAULT_DB_ALIAS]
    json_field = AuditEvent._meta.get_field("after")
    with fastsql.cursor() as cur:
        cur.execute(
            f"WITH h AS (SELECT id, seq + 1 AS seq, COALESCE(NULLIF(last_hash, ''), %s) AS prev FROM {_HEAD} "
            f"WHERE chain = %s FOR UPDATE), "
            f"e AS (INSERT INTO {_EVENT} ({', '.join(_COLUMNS)}) SELECT nextval('{_SEQUENCE}'), %s, h.seq, "
            f"%s, %s, %s, %s, %s, %s, %s, %s, %s, "
            f"h.prev, encode(sha256(convert_to(h.prev || %s || h.seq::text || %s, 'UTF8')), 'hex') FROM h "
            f"RETURNING id, seq, chain_seq, prev_hash, hash) "
            f"UPDATE {_HEAD} SET seq = e.chain_seq, last_hash = e.hash FROM e, h WHERE {_HEAD}.id = h.id "
            f"RETURNING e.id, e.seq, e.chain_seq, e.prev_hash, e.hash",
            [
                GENESIS_HASH,
                chain,
                chain,
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
    pk, seq, chain_seq, prev_hash, digest = found
    event = AuditEvent(seq=seq, chain_seq=chain_seq, prev_hash=prev_hash, hash=digest, **fields)
    event.pk = pk
    return event


def _next_seqs(n: int) -> list[int]:
    """``n`` increasing numbers in the order of the whole log: from a sequence on
    PostgreSQL (no lock shared by the chains), after the largest so far elsewhere (SQLite
    writers are serialised)."""
    with fastsql.cursor() as cur:
        if fastsql.is_postgres():
            cur.execute(f"SELECT nextval('{_SEQUENCE}') FROM generate_series(1, %s)", [n])
            return sorted(r[0] for r in cur.fetchall())
        cur.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {_EVENT}")
        last = cur.fetchone()[0]
    return list(range(last + 1, last + 1 + n))


def _append(rows: list[AuditEvent], heads: dict[str, tuple[int, str]]) -> None:
    """INSERT the events (one statement per 500; their ids are set) and move the heads, in
    plain SQL (as :func:`_lock_head`)."""
    by_column = {f.column: f for f in AuditEvent._meta.concrete_fields}
    fields = [by_column[c] for c in _COLUMNS]
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
        for key, (seq, last_hash) in heads.items():
            cur.execute(f"UPDATE {_HEAD} SET seq = %s, last_hash = %s WHERE chain = %s", [seq, last_hash, key])


def _lock_head(chain: str) -> tuple[int, str]:
    """The head (number, last hash) of ``chain``, created if new, locked until the
    transaction ends. Plain SQL: every state change in the system passes here."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with fastsql.cursor() as cur:
        cur.execute(f"SELECT seq, last_hash FROM {_HEAD} WHERE chain = %s{lock}", [chain])
        row = cur.fetchone()
        if row is None:  # a new chain; two writers may start it at once: one insert wins
            cur.execute(
                f"INSERT INTO {_HEAD} (chain, seq, last_hash) VALUES (%s, 0, '') ON CONFLICT (chain) DO NOTHING",
                [chain],
            )
            cur.execute(f"SELECT seq, last_hash FROM {_HEAD} WHERE chain = %s{lock}", [chain])
            row = cur.fetchone()
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
    chain: str | None = None,
) -> AuditEvent:
    """Append one event; ``obj`` fills the object fields when given. The event goes on
    ``chain`` when given, else on the chain :func:`chain_for` chooses from ``obj`` and
    ``actor`` (hub events always on the hub's)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    if chain is None and (obj is not None or not object_id):
        chain = chain_for(obj, actor, str(action))
    return record_many(
        actor,
        [PendingEvent(action, object_type, object_id, object_label, before, after, chain=chain or "")],
    )[0]
