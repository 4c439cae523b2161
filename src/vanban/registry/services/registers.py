"""An agency's registers (sổ văn bản), kept by its administrator: a register added (name,
outgoing or incoming, secret or not, the document types it numbers), renamed, retyped, put
out of use and back. Numbers are never touched here: a register out of use keeps its
series (:class:`~vanban.registry.models.RegisterYear`) and its documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vanban.audit import AuditAction, record, snapshot
from vanban.directory.models import Agency, DocumentType
from vanban.directory.services import can_manage_agency
from vanban.registry.errors import RegistryError
from vanban.registry.models import Register, RegisterYear

__all__ = ["RegisterRow", "RegisterRefused", "agency_registers", "create_register", "update_register"]


class RegisterRefused(RegistryError):
    code = "register_refused"


def _require(actor, agency: Agency) -> None:
    if not can_manage_agency(actor, agency):
        raise RegisterRefused(
            "Bạn không có quyền quản lý sổ văn bản của cơ quan này.",
            "You may not manage this agency's registers.",
            code="register_not_yours",
        )


@dataclass(frozen=True)
class RegisterRow:
    register: Register
    last_number: int
    """The last number taken this year (0: none yet)."""


def agency_registers(agency: Agency, year: int | None = None) -> list[RegisterRow]:
    """The agency's registers, in use first, with the last number of ``year`` (this year)."""
    year = year or timezone.localdate().year
    last = dict(
        RegisterYear.objects.filter(register__agency=agency, year=year).values_list("register_id", "last_number")
    )
    rows = Register.objects.filter(agency=agency).prefetch_related("document_types").order_by("-active", "kind", "name")
    return [RegisterRow(r, last.get(r.pk, 0)) for r in rows]


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise RegisterRefused("Sổ văn bản phải có tên.", "A register needs a name.", code="register_name_missing")
    return name


def _check_kind(kind: str) -> None:
    if kind not in (Register.KIND_OUTGOING, Register.KIND_INCOMING):
        raise RegisterRefused("Loại sổ phải là sổ đi hoặc sổ đến.", "Kind must be đi or đến.", code="register_kind")


def _duplicate(name: str) -> RegisterRefused:
    return RegisterRefused(
        f"Cơ quan đã có sổ “{name}” cùng loại.", f"The agency already has a register {name}.", code="register_duplicate"
    )


def _save(register: Register, name: str) -> None:
    try:
        with transaction.atomic():
            register.save()
    except IntegrityError as exc:
        raise _duplicate(name) from exc


@transaction.atomic
def create_register(
    actor,
    agency: Agency,
    *,
    name: str,
    kind: str,
    secret: bool = False,
    document_types: list[DocumentType] = (),  # type: ignore[assignment]
) -> Register:
    _require(actor, agency)
    name = _check_name(name)
    _check_kind(kind)
    if Register.objects.filter(agency=agency, kind=kind, name=name).exists():
        raise _duplicate(name)
    register = Register(agency=agency, kind=kind, name=name, secret=secret)
    _save(register, name)
    register.document_types.set(list(document_types))
    record(actor, AuditAction.REGISTER_CREATED, register, after=snapshot(register))
    return register


_FIELDS = {"name", "secret", "active", "document_types"}


@transaction.atomic
def update_register(actor, register: Register, **changes: Any) -> Register:
    """Rename, change secrecy or document types, put out of use (``active=False``) or back."""
    unknown = set(changes) - _FIELDS
    if unknown:
        raise RegisterRefused(
            f"Không sửa được trường: {', '.join(sorted(unknown))}.",
            f"Fields cannot be changed: {', '.join(sorted(unknown))}.",
        )
    register = Register.objects.select_for_update().select_related("agency").get(pk=register.pk)
    _require(actor, register.agency)
    before = snapshot(register)
    types = changes.pop("document_types", None)
    if "name" in changes:
        changes["name"] = _check_name(changes["name"])
        if (
            Register.objects.filter(agency=register.agency, kind=register.kind, name=changes["name"])
            .exclude(pk=register.pk)
            .exists()
        ):
            raise _duplicate(changes["name"])
    for key, value in changes.items():
        setattr(register, key, value)
    _save(register, register.name)
    if types is not None:
        register.document_types.set(list(types))
    record(actor, AuditAction.REGISTER_UPDATED, register, before=before, after=snapshot(register))
    return register
