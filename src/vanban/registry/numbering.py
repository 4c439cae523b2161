"""Numbers and notations (số, ký hiệu) per Nghị định 30/2020: one series per register and
calendar year, from 01, no gap, no duplicate, reserved and cancelled numbers never reused.

The series row (:class:`RegisterYear`) is locked while a number is taken: one ``UPDATE ...
SET last_number = last_number + 1 ... RETURNING`` both locks it until the transaction ends
(on PostgreSQL) and moves it on, in one round trip, so the lock is taken as late and held
as briefly as the caller's transaction allows; on SQLite every write transaction starts
with ``BEGIN IMMEDIATE`` (see settings), which serialises writers the same way. Registers
of different agencies (and different registers of one agency) never wait for each other.
"""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.utils import timezone

from vanban import fastsql
from vanban.directory.models import Agency, DocumentType, Unit
from vanban.registry.errors import NumberingError
from vanban.registry.models import Register, RegisterEntry, RegisterYear
from vanban.registry.states import EntryState

__all__ = [
    "select_register",
    "build_notation",
    "take_number",
    "peek_number",
    "reserve_numbers",
    "cancel_number",
    "format_number",
]


def format_number(number: int) -> str:
    """Numbers below 10 take a leading zero: 01 … 09, 10 (NĐ 30/2020 Phụ lục I)."""
    return f"{number:02d}"


def _register_query() -> tuple[str, list[str]]:
    through = Register.document_types.through._meta
    t, r = through.db_table, Register._meta.db_table
    reg, dtype = through.get_field("register").column, through.get_field("documenttype").column
    columns = [f.column for f in Register._meta.concrete_fields]
    sql = (
        f"SELECT {', '.join(f'r.{c}' for c in columns)}, "
        f"EXISTS (SELECT 1 FROM {t} WHERE {t}.{reg} = r.id AND {t}.{dtype} = %s), "
        f"NOT EXISTS (SELECT 1 FROM {t} WHERE {t}.{reg} = r.id) "
        f"FROM {r} r WHERE r.agency_id = %s AND r.kind = %s AND r.active = %s AND r.secret = %s ORDER BY r.name, r.id"
    )
    return sql, columns


_REGISTER_SQL, _REGISTER_COLUMNS = _register_query()
_REGISTER_FIELDS = Register._meta.concrete_fields


def select_register(agency: Agency, kind: str, document_type: DocumentType | None, secret: bool) -> Register:
    """The agency's active register of ``kind`` for this type: one that lists the type,
    else a general one (no types listed). Secret documents use the secret series. One
    plain statement: it runs for every document numbered."""
    with fastsql.cursor() as cur:
        cur.execute(_REGISTER_SQL, [document_type.pk if document_type else None, agency.pk, kind, True, bool(secret)])
        rows = cur.fetchall()
    n = len(_REGISTER_COLUMNS)
    specific = [row for row in rows if row[n]]
    general = [row for row in rows if row[n + 1]]
    chosen = [
        Register.from_db(
            DEFAULT_DB_ALIAS,
            [f.attname for f in _REGISTER_FIELDS],
            [f.to_python(v) for f, v in zip(_REGISTER_FIELDS, row[:n])],
        )
        for row in (specific or general)[:1]
    ]
    if not chosen:
        kind_vi = "văn bản đi" if kind == Register.KIND_OUTGOING else "văn bản đến"
        secret_vi = " mật" if secret else ""
        raise NumberingError(
            f"{agency.name} chưa có sổ {kind_vi}{secret_vi} dùng cho loại "
            f"“{document_type.name if document_type else 'này'}”. Hãy nhờ quản trị cơ quan tạo sổ.",
            f"{agency.code} has no {kind} register{' (secret)' if secret else ''} for this type.",
            code="no_register",
        )
    return chosen[0]


def build_notation(document_type: DocumentType, agency: Agency, unit: Unit | None, year: int) -> str:
    """Ký hiệu: ``QĐ-UBND`` for a typed document, ``UBND-VP1`` for a công văn drafted by
    unit VP1, ``2026/QĐ-UBND`` for a normative document (numbered with the year)."""
    agency_abbr = agency.short_name or agency.code
    if document_type.abbreviation:
        notation = f"{document_type.abbreviation}-{agency_abbr}"
        return f"{year}/{notation}" if document_type.year_in_number else notation
    if unit is not None and unit.suffix:
        return f"{agency_abbr}-{unit.suffix}"
    return agency_abbr


_ADVANCE = (
    f"UPDATE {RegisterYear._meta.db_table} SET last_number = last_number + %s "
    "WHERE register_id = %s AND year = %s RETURNING id, last_number"
)


def _advance(register: Register, year: int, count: int) -> tuple[int, int]:
    """Move the series of ``register`` in ``year`` on by ``count`` (creating it at 0 the
    first time): its id and its new last number; the row stays locked until the
    transaction ends."""
    if not connection.in_atomic_block:  # the number and its entry commit together, or neither
        raise RuntimeError("numbers must be taken inside the transaction that records them")
    for _ in range(2):
        with fastsql.cursor() as cur:
            cur.execute(_ADVANCE, [count, register.pk, year])
            row = cur.fetchone()
        if row is not None:
            return row[0], row[1]
        try:
            with transaction.atomic():
                RegisterYear.objects.get_or_create(register=register, year=year)
        except IntegrityError:  # another transaction created it first
            pass
    raise RuntimeError(f"register {register.pk}: no series for {year}")  # pragma: no cover - created above


_ENTRY = RegisterEntry._meta.db_table
_TAKE = (
    f"WITH s AS ({_ADVANCE}) INSERT INTO {_ENTRY} (register_year_id, number, state, document_id, note, created_at) "
    "SELECT s.id, s.last_number, %s, %s, %s, %s FROM s RETURNING id, register_year_id, number"
)


def take_number(register: Register, on: dt.date, document=None, note: str = "") -> RegisterEntry:
    """The next number of ``register`` in ``on``'s year, recorded as used by ``document``.
    Must run inside the caller's transaction. On PostgreSQL one statement (the series
    moves on and the entry is written) when the year's series exists."""
    document_id = document.pk if document is not None else None
    now = timezone.now()
    if fastsql.is_postgres() and connection.in_atomic_block:
        with fastsql.cursor() as cur:
            cur.execute(_TAKE, [1, register.pk, on.year, EntryState.USED.value, document_id, note, now])
            row = cur.fetchone()
        if row is not None:
            entry = RegisterEntry(
                register_year_id=row[1], number=row[2], state=EntryState.USED, document_id=document_id, note=note
            )
            entry.pk, entry.created_at = row[0], now
            entry._state.adding, entry._state.db = False, DEFAULT_DB_ALIAS
            return entry
    series_id, number = _advance(register, on.year, 1)
    return RegisterEntry.objects.create(
        register_year_id=series_id, number=number, state=EntryState.USED, document_id=document_id, note=note
    )


def peek_number(register: Register, on: dt.date) -> int:
    """The number :func:`take_number` would give now: a guess for slow work done before the
    lock (another document may take it first), never a promise."""
    last = RegisterYear.objects.filter(register=register, year=on.year).values_list("last_number", flat=True).first()
    return (last or 0) + 1


def reserve_numbers(register: Register, on: dt.date, count: int, note: str) -> list[RegisterEntry]:
    """Hold ``count`` numbers (giữ số) for documents to come; they are skipped by
    :func:`take_number` and used later with :func:`use_reserved`."""
    if count < 1 or count > 100:
        raise NumberingError("Số lượng số giữ chỗ phải từ 1 đến 100.", "Reserve 1 to 100 numbers.")
    series_id, last = _advance(register, on.year, count)
    return RegisterEntry.objects.bulk_create(
        RegisterEntry(register_year_id=series_id, number=number, state=EntryState.RESERVED, note=note)
        for number in range(last - count + 1, last + 1)
    )


def use_reserved(entry: RegisterEntry, document) -> RegisterEntry:
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != EntryState.RESERVED:
        raise NumberingError(
            f"Số {format_number(entry.number)} không còn được giữ chỗ.",
            "That number is not reserved.",
            code="not_reserved",
        )
    entry.state = EntryState.USED
    entry.document = document
    entry.save(update_fields=["state", "document"])
    return entry


def cancel_number(entry: RegisterEntry, reason: str) -> RegisterEntry:
    """Cancel a number (e.g. a reserved number not used): it stays recorded, never reused."""
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state == EntryState.USED and entry.document is not None:
        raise NumberingError(
            "Không hủy được số đã cấp cho văn bản đã phát hành.",
            "A number used by a document cannot be cancelled.",
            code="number_in_use",
        )
    entry.state = EntryState.CANCELLED
    entry.note = reason[:255]
    entry.save(update_fields=["state", "note"])
    return entry
