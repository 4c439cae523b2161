"""Holding and cancelling numbers of a register (giữ số, hủy số), as the clerk does for a
document that will be numbered later (a decision signed on paper at a meeting, a number the
leader asked to keep): each one transaction with its guard and its audit event. A held
number is skipped by ordinary numbering and used by :func:`~.issuing.number_document` when
the clerk picks it; a cancelled number stays recorded and is never given again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from vanban.audit import AuditAction, record
from vanban.registry import numbering
from vanban.registry.errors import NumberingError
from vanban.registry.models import Register, RegisterEntry
from vanban.registry.services._common import person_of
from vanban.registry.states import EntryState

__all__ = ["reserve_numbers", "cancel_number", "reserved_numbers", "number_entries"]

CLERK = "van-thu"


def _require_clerk(user, register: Register) -> None:
    person = person_of(user)
    if register.agency_id != person.agency_id or not person.has_role(CLERK):
        raise NumberingError(
            "Chỉ văn thư của cơ quan được giữ số, hủy số trong sổ.",
            "Only the agency's clerk may hold or cancel numbers.",
            code="not_allowed",
        )


def reserve_numbers(user, register: Register, count: int, note: str) -> list[RegisterEntry]:
    """Hold ``count`` (1–100) numbers of this year's series of ``register``, with the reason."""
    _require_clerk(user, register)
    if not note.strip():
        raise NumberingError("Hãy ghi lý do giữ số.", "A reason is required.", code="reason_required")
    with transaction.atomic():
        entries = numbering.reserve_numbers(register, timezone.localdate(), count, note.strip())
        record(
            user,
            AuditAction.REGISTER_NUMBERS_RESERVED,
            register,
            after={"numbers": [e.number for e in entries], "year": timezone.localdate().year, "note": note.strip()},
        )
    return entries


def cancel_number(user, entry: RegisterEntry, reason: str) -> RegisterEntry:
    """Cancel a held number (it stays in the register as cancelled, with the reason)."""
    entry = RegisterEntry.objects.select_related("register_year__register").get(pk=entry.pk)
    register = entry.register_year.register
    _require_clerk(user, register)
    if not reason.strip():
        raise NumberingError("Hãy ghi lý do hủy số.", "A reason is required.", code="reason_required")
    if entry.state != EntryState.RESERVED:
        raise NumberingError(
            f"Số {numbering.format_number(entry.number)} không phải số đang giữ nên không hủy được.",
            "Only a held number can be cancelled.",
            code="not_reserved",
        )
    with transaction.atomic():
        entry = numbering.cancel_number(entry, reason.strip())
        record(
            user,
            AuditAction.REGISTER_NUMBER_CANCELLED,
            register,
            before={"number": entry.number, "state": EntryState.RESERVED.value},
            after={"number": entry.number, "state": entry.state, "reason": reason.strip()},
        )
    return entry


def reserved_numbers(register: Register, year: int):
    """The numbers of ``register`` held in ``year`` and not yet used, lowest first."""
    return RegisterEntry.objects.filter(
        register_year__register=register, register_year__year=year, state=EntryState.RESERVED
    ).order_by("number")


def number_entries(register: Register, year: int):
    """Every held or cancelled number of ``register`` in ``year`` (the register's own record)."""
    return (
        RegisterEntry.objects.filter(register_year__register=register, register_year__year=year)
        .exclude(state=EntryState.USED)
        .order_by("number")
    )
