"""The hub's per-package statements in plain SQL: accept, inbox, fetch and ack (one by
one or in batches).

These four run for every package (a busy hub: hundreds a second), and the ORM compiled
each query anew, which cost more CPU than the database's own work (see the benchmark
notes in ``docs/hub.md``). The statements are portable SQL (PostgreSQL and SQLite 3.35+,
which both have ``RETURNING``); table and column names come from the models, values are
adapted by the connection's own operations. Everything else in the hub uses the ORM.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from vanban import fastsql
from vanban.exchange.models import Delivery, DeliveryEvent, DeliveryState, Package

P, D, E = Package._meta.db_table, Delivery._meta.db_table, DeliveryEvent._meta.db_table


def _pid(value: uuid.UUID) -> Any:
    return value if fastsql.is_postgres() else Package._meta.pk.get_db_prep_value(value, connection)


def _ts(value: dt.datetime | None) -> Any:
    if value is None or fastsql.is_postgres():
        return value
    return connection.ops.adapt_datetimefield_value(value)


def _read_ts(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


def _read_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


_PACKAGE_COLUMNS = [
    "id",
    "kind",
    "idempotency_key",
    "sender_code",
    "document_id",
    "business_type",
    "status_code",
    "subject",
    "code_notation",
    "sha256",
    "size",
    "received_from",
    "trace",
    "signer_subject",
    "received_at",
]


def _package_values(row: dict[str, Any], now: dt.datetime) -> list[Any]:
    return [
        _pid(row["id"]),
        row["kind"],
        row["idempotency_key"],
        row["sender_code"],
        row["document_id"],
        row["business_type"],
        row["status_code"],
        row["subject"],
        row["code_notation"],
        row["sha256"],
        row["size"],
        row["received_from"],
        json.dumps(row["trace"], ensure_ascii=False),
        row["signer_subject"],
        _ts(now),
    ]


def insert_package(
    row: dict[str, Any], deliveries: list[dict[str, Any]], now: dt.datetime, first_event: str, details: list[str]
) -> None:
    """A new package: its row (``row`` holds the model's field names), its deliveries and
    the first timeline event of each (``details[i]`` for ``deliveries[i]``). The unique
    idempotency key raises :class:`django.db.IntegrityError` for a package seen before,
    and then nothing is written. On PostgreSQL this is one statement (one round trip)."""
    if not fastsql.is_postgres():
        with fastsql.cursor() as cur:
            cur.execute(
                f"INSERT INTO {P} ({', '.join(_PACKAGE_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_PACKAGE_COLUMNS))})",
                _package_values(row, now),
            )
        _insert_deliveries(row["id"], deliveries, now, first_event, details)
        return
    params = _package_values(row, now)
    values = []
    for i, d in enumerate(deliveries):
        values.append("(%s::text, %s::text, %s::text, %s::bigint, %s::timestamptz, %s::text)")
        params += [
            d["recipient_code"],
            d["addressed_code"],
            d["state"],
            d["peer_id"],
            _ts(d["next_attempt_at"]),
            details[i],
        ]
    params += [_ts(now), first_event, _ts(now)]  # in the order of the text
    with fastsql.cursor() as cur:
        cur.execute(
            f"WITH p AS (INSERT INTO {P} ({', '.join(_PACKAGE_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_PACKAGE_COLUMNS))}) RETURNING id), "
            f"v (recipient_code, addressed_code, state, peer_id, next_attempt_at, detail) AS "
            f"(VALUES {', '.join(values)}), "
            f"d AS (INSERT INTO {D} (package_id, recipient_code, addressed_code, state, peer_id, attempts, "
            f"next_attempt_at, last_error, remote_id, created_at) SELECT p.id, v.recipient_code, v.addressed_code, "
            f"v.state, v.peer_id, 0, v.next_attempt_at, '', '', %s FROM p, v RETURNING id, recipient_code) "
            f"INSERT INTO {E} (delivery_id, event, status_code, detail, at) "
            f"SELECT d.id, %s, '', v.detail, %s FROM d JOIN v USING (recipient_code)",
            params,
        )


def _insert_deliveries(
    package_id: uuid.UUID, rows: list[dict[str, Any]], now: dt.datetime, first_event: str, details: list[str]
) -> None:
    cols = [
        "package_id",
        "recipient_code",
        "addressed_code",
        "state",
        "peer_id",
        "attempts",
        "next_attempt_at",
        "last_error",
        "remote_id",
        "created_at",
    ]
    params: list[Any] = []
    for r in rows:
        params += [
            _pid(package_id),
            r["recipient_code"],
            r["addressed_code"],
            r["state"],
            r["peer_id"],
            0,
            _ts(r["next_attempt_at"]),
            "",
            "",
            _ts(now),
        ]
    marks = "(" + ", ".join(["%s"] * len(cols)) + ")"
    with fastsql.cursor() as cur:
        cur.execute(
            f"INSERT INTO {D} ({', '.join(cols)}) VALUES {', '.join([marks] * len(rows))} RETURNING id, recipient_code",
            params,
        )
        by_code = {code: i for i, code in cur.fetchall()}  # RETURNING promises no order
        _events(cur, [by_code[r["recipient_code"]] for r in rows], first_event, now, details)


@dataclass(frozen=True)
class InboxRow:
    cursor: int
    package_id: uuid.UUID
    kind: str
    sender_code: str
    document_id: str
    business_type: int | None
    status_code: str
    sha256: str
    size: int
    received_at: dt.datetime
    state: str


def _waiting(cur, code: str, after: int | None, limit: int, kind: str | None = None) -> list[tuple]:
    sql = (
        f"SELECT d.id, d.package_id, p.kind, p.sender_code, p.document_id, p.business_type, p.status_code, "
        f"p.sha256, p.size, p.received_at, d.state, p.trace, p.withdrawn_at FROM {D} d "
        f"JOIN {P} p ON p.id = d.package_id WHERE d.recipient_code = %s AND d.state IN (%s, %s)"
    )
    params: list[Any] = [code, DeliveryState.WAITING.value, DeliveryState.FETCHED.value]
    if kind:
        sql += " AND p.kind = %s"
        params.append(kind)
    if after:
        sql += " AND d.id > %s"
        params.append(after)
    sql += " ORDER BY d.id LIMIT %s"
    params.append(limit)
    cur.execute(sql, params)
    return cur.fetchall()


def _inbox_row(r: tuple) -> InboxRow:
    return InboxRow(r[0], _read_uuid(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], _read_ts(r[9]), r[10])


def inbox(code: str, after: int | None, limit: int, kind: str | None = None) -> list[InboxRow]:
    """What waits for ``code`` here, oldest first (only packages of ``kind`` when given)."""
    with fastsql.cursor() as cur:
        return [_inbox_row(r) for r in _waiting(cur, code, after, limit, kind)]


def events_of(delivery_ids: list[int], events: list[str]) -> list[tuple[int, str]]:
    """(delivery id, event) of those deliveries' timeline events among ``events``, in the
    order they happened (VDXP's lists ask it of every row they give)."""
    if not delivery_ids or not events:
        return []
    kinds = ", ".join(["%s"] * len(events))
    with fastsql.cursor() as cur:
        if fastsql.is_postgres():  # one statement, the same text for any count
            cur.execute(
                f"SELECT delivery_id, event FROM {E} WHERE delivery_id = ANY(%s) AND event IN ({kinds}) ORDER BY id",
                [delivery_ids, *events],
            )
        else:
            marks = ", ".join(["%s"] * len(delivery_ids))
            cur.execute(
                f"SELECT delivery_id, event FROM {E} WHERE delivery_id IN ({marks}) AND event IN ({kinds}) ORDER BY id",
                [*delivery_ids, *events],
            )
        return [(r[0], r[1]) for r in cur.fetchall()]


@dataclass(frozen=True)
class Fetchable:
    delivery_id: int | None
    delivery_state: str | None
    sha256: str
    trace: list[str]
    withdrawn: bool


def fetchable(package_id: uuid.UUID, code: str) -> Fetchable | None:
    """The package as ``code`` may fetch it: as a local recipient, else as its sender."""
    with fastsql.cursor() as cur:
        cur.execute(
            f"SELECT d.id, d.state, p.sha256, p.trace, p.withdrawn_at FROM {D} d JOIN {P} p "
            f"ON p.id = d.package_id WHERE d.package_id = %s AND d.recipient_code = %s "
            f"AND d.peer_id IS NULL",
            [_pid(package_id), code],
        )
        row = cur.fetchone()
        if row is None:
            cur.execute(
                f"SELECT NULL, NULL, sha256, trace, withdrawn_at FROM {P} WHERE id = %s AND sender_code = %s",
                [_pid(package_id), code],
            )
            row = cur.fetchone()
    if row is None:
        return None
    trace = row[3] if isinstance(row[3], list) else json.loads(row[3] or "[]")
    return Fetchable(row[0], row[1], row[2], trace, row[4] is not None)


# The statement's own transaction commits without waiting for its WAL to reach the disk
# (``synchronous_commit`` off for it alone, set inside the statement: no more round trips).
# Only for a mark that may be lost: a crash of the database server within the WAL writer's
# delay (a fraction of a second) forgets it. A lost fetched mark leaves the delivery
# ``waiting`` and the next fetch marks it again; a lost single acknowledgement leaves it
# fetched, so it is delivered again and acknowledged again (delivery is at least once and
# offices store a package once). The package's rows and file, and bulk acknowledgements in
# a transaction, stay durable as before.
_NO_WAIT = "AND set_config('synchronous_commit', 'off', true) IS NOT NULL"


def mark_fetched(delivery_id: int, now: dt.datetime, event: str) -> bool:
    """waiting -> fetched, with its timeline event, atomically; False if another request did
    it first. On PostgreSQL one statement (atomic by itself: no BEGIN and COMMIT round trips)
    that, outside a transaction of the caller's, does not wait for the disk (:data:`_NO_WAIT`):
    a downloadEdoc marks one package per request, so this is a commit per package."""
    if fastsql.is_postgres():
        no_wait = "" if connection.in_atomic_block else _NO_WAIT  # never for a caller's transaction
        with fastsql.cursor() as cur:
            cur.execute(
                f"WITH u AS (UPDATE {D} SET state = %s, fetched_at = %s WHERE id = %s AND state = %s {no_wait} "
                f"RETURNING id) "
                f"INSERT INTO {E} (delivery_id, event, status_code, detail, at) SELECT id, %s, '', '', %s FROM u",
                [DeliveryState.FETCHED.value, now, delivery_id, DeliveryState.WAITING.value, event, now],
            )
            return cur.rowcount == 1
    with transaction.atomic(), fastsql.cursor() as cur:
        cur.execute(
            f"UPDATE {D} SET state = %s, fetched_at = %s WHERE id = %s AND state = %s",
            [DeliveryState.FETCHED.value, _ts(now), delivery_id, DeliveryState.WAITING.value],
        )
        if cur.rowcount != 1:
            return False
        _events(cur, [delivery_id], event, now)
    return True


def fetch_marking(package_id: uuid.UUID, code: str, now: dt.datetime, event: str) -> Fetchable | None:
    """:func:`fetchable`, and a waiting delivery of ``code`` (not withdrawn) marked fetched
    as :func:`mark_fetched` does. On PostgreSQL one statement, committed without waiting for
    the disk (:data:`_NO_WAIT`), outside a transaction of the caller's: a ``downloadEdoc``
    is one round trip to the database instead of two. The mark is made before the caller
    reads the file; should that fail, the delivery shows fetched and stays in the inbox
    until acknowledged, as any fetched one. The state returned is the one before."""
    if not fastsql.is_postgres():
        found = fetchable(package_id, code)
        if found is not None and found.delivery_id is not None and not found.withdrawn:
            if found.delivery_state == DeliveryState.WAITING.value:
                mark_fetched(found.delivery_id, now, event)
        return found
    no_wait = "" if connection.in_atomic_block else _NO_WAIT
    with fastsql.cursor() as cur:
        cur.execute(
            f"WITH r AS (SELECT d.id, d.state, p.sha256, p.trace, p.withdrawn_at FROM {D} d JOIN {P} p "
            f"ON p.id = d.package_id WHERE d.package_id = %s AND d.recipient_code = %s AND d.peer_id IS NULL), "
            f"u AS (UPDATE {D} SET state = %s, fetched_at = %s WHERE id = (SELECT id FROM r WHERE withdrawn_at "
            f"IS NULL) AND state = %s {no_wait} RETURNING id), "
            f"e AS (INSERT INTO {E} (delivery_id, event, status_code, detail, at) SELECT id, %s, '', '', %s FROM u) "
            f"SELECT id, state, sha256, trace, withdrawn_at FROM r",
            [
                _pid(package_id),
                code,
                DeliveryState.FETCHED.value,
                now,
                DeliveryState.WAITING.value,
                event,
                now,
            ],
        )
        row = cur.fetchone()
    if row is None:
        return fetchable(package_id, code)  # not a recipient: perhaps its sender
    trace = row[3] if isinstance(row[3], list) else json.loads(row[3] or "[]")
    return Fetchable(row[0], row[1], row[2], trace, row[4] is not None)


def mark_acked(package_id: uuid.UUID, code: str, now: dt.datetime, event: str) -> str | None:
    """waiting/fetched -> acked, with its timeline event, atomically. The delivery's state
    after, or None when ``code`` has no local delivery of that package. On PostgreSQL one
    statement (its SELECT sees the row as it was before the UPDATE) that, outside a
    transaction of the caller's, does not wait for the disk (:data:`_NO_WAIT`): an ack lost
    in a crash leaves the delivery fetched, so it is delivered again and the office, which
    stores a package once, acks it again (delivery is at least once). VDXP's
    ``updateStatus done`` acks one package per request."""
    if fastsql.is_postgres():
        no_wait = "" if connection.in_atomic_block else _NO_WAIT  # never for a caller's transaction
        with fastsql.cursor() as cur:
            cur.execute(
                f"WITH u AS (UPDATE {D} SET state = %s, acked_at = %s, fetched_at = COALESCE(fetched_at, %s) "
                f"WHERE package_id = %s AND recipient_code = %s AND peer_id IS NULL AND state IN (%s, %s) {no_wait} "
                f"RETURNING id), e AS (INSERT INTO {E} (delivery_id, event, status_code, detail, at) "
                f"SELECT id, %s, '', '', %s FROM u) "
                f"SELECT (SELECT count(*) FROM u), (SELECT state FROM {D} WHERE package_id = %s "
                f"AND recipient_code = %s AND peer_id IS NULL)",
                [
                    DeliveryState.ACKED.value,
                    now,
                    now,
                    package_id,
                    code,
                    DeliveryState.WAITING.value,
                    DeliveryState.FETCHED.value,
                    event,
                    now,
                    package_id,
                    code,
                ],
            )
            updated, state = cur.fetchone()
            if not updated and state in (DeliveryState.WAITING, DeliveryState.FETCHED):
                # the row as it was when the statement began: another request acked it meanwhile
                cur.execute(
                    f"SELECT state FROM {D} WHERE package_id = %s AND recipient_code = %s AND peer_id IS NULL",
                    [package_id, code],
                )
                state = cur.fetchone()[0]
        return DeliveryState.ACKED.value if updated else state
    with transaction.atomic(), fastsql.cursor() as cur:
        cur.execute(
            f"UPDATE {D} SET state = %s, acked_at = %s, fetched_at = COALESCE(fetched_at, %s) "
            f"WHERE package_id = %s AND recipient_code = %s AND peer_id IS NULL AND state IN (%s, %s) "
            f"RETURNING id",
            [
                DeliveryState.ACKED.value,
                _ts(now),
                _ts(now),
                _pid(package_id),
                code,
                DeliveryState.WAITING.value,
                DeliveryState.FETCHED.value,
            ],
        )
        row = cur.fetchone()
        if row is not None:
            _events(cur, [row[0]], event, now)
            return DeliveryState.ACKED.value
        cur.execute(
            f"SELECT state FROM {D} WHERE package_id = %s AND recipient_code = %s AND peer_id IS NULL",
            [_pid(package_id), code],
        )
        found = cur.fetchone()
    return found[0] if found else None


def holders(package_id: uuid.UUID, codes: list[str]) -> list[str]:
    """Which of ``codes`` may fetch the package here: the one that receives it (first), then
    the one that sent it (at most one each)."""
    marks = ", ".join(["%s"] * len(codes))
    with fastsql.cursor() as cur:
        cur.execute(
            f"SELECT recipient_code FROM {D} WHERE package_id = %s AND peer_id IS NULL AND recipient_code IN ({marks})"
            f" ORDER BY id LIMIT 1",
            [_pid(package_id), *codes],
        )
        found = [r[0] for r in cur.fetchall()]
        cur.execute(
            f"SELECT sender_code FROM {P} WHERE id = %s AND sender_code IN ({marks})", [_pid(package_id), *codes]
        )
        found += [r[0] for r in cur.fetchall()]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class TakenRow:
    row: InboxRow
    trace: list[str]
    withdrawn: bool


def take(code: str, after: int | None, limit: int, max_bytes: int, now: dt.datetime, event: str) -> list[TakenRow]:
    """Like :func:`inbox` (cut where the packages' sizes pass ``max_bytes``, but at least
    one), also marking what was waiting as fetched (with its event)."""
    with fastsql.cursor() as cur:
        rows: list[tuple[Any, ...]] = []
        total = 0
        for r in _waiting(cur, code, after, limit):
            total += r[8]
            if rows and total > max_bytes:
                break
            rows.append(r)
        waiting = [r[0] for r in rows if r[10] == DeliveryState.WAITING]
        if waiting and fastsql.is_postgres():  # one statement, the same text for any count
            cur.execute(
                f"WITH u AS (UPDATE {D} SET state = %s, fetched_at = %s WHERE state = %s AND id = ANY(%s) "
                f"RETURNING id) INSERT INTO {E} (delivery_id, event, status_code, detail, at) "
                f"SELECT id, %s, '', '', %s FROM u",
                [DeliveryState.FETCHED.value, now, DeliveryState.WAITING.value, waiting, event, now],
            )
        elif waiting:
            marks = ", ".join(["%s"] * len(waiting))
            cur.execute(
                f"UPDATE {D} SET state = %s, fetched_at = %s WHERE state = %s AND id IN ({marks}) RETURNING id",
                [DeliveryState.FETCHED.value, _ts(now), DeliveryState.WAITING.value, *waiting],
            )
            _events(cur, [r[0] for r in cur.fetchall()], event, now)
    return [
        TakenRow(_inbox_row(r), r[11] if isinstance(r[11], list) else json.loads(r[11] or "[]"), r[12] is not None)
        for r in rows
    ]


def _events(cur, delivery_ids: list[int], event: str, now: dt.datetime, details: list[str] | None = None) -> None:
    """One timeline event for each delivery (``details[i]`` for ``delivery_ids[i]``)."""
    if not delivery_ids:
        return
    params: list[Any] = []
    for i, delivery_id in enumerate(delivery_ids):
        params += [delivery_id, event, details[i] if details else "", _ts(now)]
    cur.execute(
        f"INSERT INTO {E} (delivery_id, event, status_code, detail, at) VALUES "
        + ", ".join(["(%s, %s, '', %s, %s)"] * len(delivery_ids)),
        params,
    )


def ack_many(code: str, package_ids: list[uuid.UUID], now: dt.datetime, event: str) -> set[uuid.UUID]:
    """Ack several packages of ``code`` at once; the ids ``code`` has a delivery of
    (acked now or before)."""
    if not package_ids:
        return set()
    if fastsql.is_postgres():  # one statement (the SELECT sees the rows as they were before)
        with fastsql.cursor() as cur:
            cur.execute(
                f"WITH u AS (UPDATE {D} SET state = %s, acked_at = %s, fetched_at = COALESCE(fetched_at, %s) "
                f"WHERE recipient_code = %s AND peer_id IS NULL AND state IN (%s, %s) AND package_id = ANY(%s) "
                f"RETURNING id), e AS (INSERT INTO {E} (delivery_id, event, status_code, detail, at) "
                f"SELECT id, %s, '', '', %s FROM u) "
                f"SELECT package_id FROM {D} WHERE recipient_code = %s AND peer_id IS NULL AND package_id = ANY(%s)",
                [
                    DeliveryState.ACKED.value,
                    now,
                    now,
                    code,
                    DeliveryState.WAITING.value,
                    DeliveryState.FETCHED.value,
                    package_ids,
                    event,
                    now,
                    code,
                    package_ids,
                ],
            )
            return {_read_uuid(r[0]) for r in cur.fetchall()}
    marks = ", ".join(["%s"] * len(package_ids))
    ids = [_pid(p) for p in package_ids]
    with fastsql.cursor() as cur:
        cur.execute(
            f"UPDATE {D} SET state = %s, acked_at = %s, fetched_at = COALESCE(fetched_at, %s) "
            f"WHERE recipient_code = %s AND peer_id IS NULL AND state IN (%s, %s) "
            f"AND package_id IN ({marks}) RETURNING id",
            [
                DeliveryState.ACKED.value,
                _ts(now),
                _ts(now),
                code,
                DeliveryState.WAITING.value,
                DeliveryState.FETCHED.value,
                *ids,
            ],
        )
        _events(cur, [r[0] for r in cur.fetchall()], event, now)
        cur.execute(
            f"SELECT package_id FROM {D} WHERE recipient_code = %s AND peer_id IS NULL AND package_id IN ({marks})",
            [code, *ids],
        )
        return {_read_uuid(r[0]) for r in cur.fetchall()}
