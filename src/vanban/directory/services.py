"""State changes of the directory. Each function is one transaction: guard, change,
audit event(s); callers (views, admin, CLI) hold no rules of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from vanban.agencycode import check_agency_code
from vanban.audit import AuditAction, record, snapshot
from vanban.directory.errors import InvalidData, PermissionDenied
from vanban.directory.models import Agency, Level, Person, Role, Unit

__all__ = [
    "create_agency",
    "update_agency",
    "merge_agency",
    "create_unit",
    "update_unit",
    "create_person",
    "can_manage_agency",
]

PROVINCE_ADMIN = "quan-tri-tinh"
AGENCY_ADMIN = "quan-tri-co-quan"
AGENCY_FIELDS = {
    "name",
    "short_name",
    "level",
    "parent",
    "active",
    "hub",
    "email",
    "phone",
    "address",
    "place",
}


def _person(actor) -> Person | None:
    return getattr(actor, "person", None) if actor is not None else None


def can_manage_agency(actor, agency: Agency | None) -> bool:
    """Superusers and provincial administrators manage every agency; an agency's own
    administrator manages that agency (and creates agencies under it)."""
    if actor is None:
        return True  # system actions (migrations, CLI run by the operator)
    if getattr(actor, "is_superuser", False):
        return True
    person = _person(actor)
    if person is None:
        return False
    if person.has_role(PROVINCE_ADMIN):
        return True
    return agency is not None and person.has_role(AGENCY_ADMIN) and person.agency_id == agency.pk


def _require(actor, agency: Agency | None) -> None:
    if not can_manage_agency(actor, agency):
        raise PermissionDenied(
            "Bạn không có quyền thay đổi thông tin cơ quan này.",
            "You may not change this agency.",
        )


def _check_code(code: str) -> None:
    problems = check_agency_code(code)
    if problems:
        raise InvalidData(
            " ".join(p.message_vi for p in problems),
            " ".join(p.message_en for p in problems),
            code="invalid_agency_code",
        )


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = "; ".join(
            f"{obj._meta.get_field(k).verbose_name if k != '__all__' else ''}: {' '.join(v)}".strip(": ")
            for k, v in exc.message_dict.items()
        )
        raise InvalidData(messages, code="invalid_data") from exc


@transaction.atomic
def create_agency(actor, *, code: str, name: str, level: Level, **fields: Any) -> Agency:
    _check_code(code)
    _require(actor, fields.get("parent"))
    if Agency.objects.filter(code=code).exists():
        raise InvalidData(
            f"Mã định danh {code} đã được dùng cho cơ quan khác.",
            f"Identifier code {code} is already in use.",
            code="duplicate_agency_code",
        )
    agency = Agency(code=code, name=name, level=level, **fields)
    _full_clean(agency)
    agency.save()
    record(actor, AuditAction.AGENCY_CREATED, agency, after=snapshot(agency))
    return agency


@transaction.atomic
def update_agency(actor, agency: Agency, **changes: Any) -> Agency:
    unknown = set(changes) - AGENCY_FIELDS
    if unknown:
        raise InvalidData(
            f"Không sửa được trường: {', '.join(sorted(unknown))}.",
            f"Fields cannot be changed: {', '.join(sorted(unknown))}.",
        )
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _require(actor, agency)
    before = snapshot(agency)
    for key, value in changes.items():
        setattr(agency, key, value)
    _full_clean(agency)
    agency.save()
    record(actor, AuditAction.AGENCY_UPDATED, agency, before=before, after=snapshot(agency))
    return agency


@transaction.atomic
def merge_agency(actor, closed: Agency, successor: Agency, on: dt.date | None = None) -> Agency:
    """Close ``closed`` and point it (and anything that pointed to it) to ``successor``.

    The closed agency keeps its code; lookups by that code lead to the successor."""
    closed = Agency.objects.select_for_update().get(pk=closed.pk)
    successor = Agency.objects.get(pk=successor.pk)
    _require(actor, None)  # mergers are a provincial decision
    if closed.pk == successor.pk:
        raise InvalidData(
            "Cơ quan không thể sáp nhập vào chính nó.",
            "An agency cannot be merged into itself.",
            code="merge_into_self",
        )
    if not successor.active:
        raise InvalidData(
            f"{successor.name} đã ngừng hoạt động nên không thể nhận sáp nhập.",
            f"{successor.name} is closed and cannot be a successor.",
            code="successor_closed",
        )
    before = snapshot(closed)
    closed.active = False
    closed.successor = successor
    closed.closed_on = on or dt.date.today()
    closed.save()
    Agency.objects.filter(successor=closed).update(successor=successor)
    record(actor, AuditAction.AGENCY_MERGED, closed, before=before, after=snapshot(closed))
    return closed


@transaction.atomic
def create_unit(actor, agency: Agency, *, name: str, suffix: str = "") -> Unit:
    _require(actor, agency)
    unit = Unit(agency=agency, name=name, suffix=suffix.strip())
    _full_clean(unit)
    unit.save()
    record(actor, AuditAction.UNIT_CREATED, unit, after=snapshot(unit))
    return unit


@transaction.atomic
def update_unit(actor, unit: Unit, **changes: Any) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require(actor, unit.agency)
    before = snapshot(unit)
    for key in changes:
        if key not in {"name", "suffix", "active"}:
            raise InvalidData(f"Không sửa được trường: {key}.", f"Field cannot be changed: {key}.")
    for key, value in changes.items():
        setattr(unit, key, value)
    _full_clean(unit)
    unit.save()
    record(actor, AuditAction.UNIT_UPDATED, unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def create_person(
    actor,
    *,
    username: str,
    password: str | None,
    full_name: str,
    agency: Agency,
    unit: Unit | None = None,
    position: str = "",
    roles: list[str] = (),  # type: ignore[assignment]
    email: str = "",
) -> Person:
    _require(actor, agency)
    if unit is not None and unit.agency_id != agency.pk:
        raise InvalidData(
            "Đơn vị không thuộc cơ quan đã chọn.",
            "The unit does not belong to the agency.",
            code="unit_agency_mismatch",
        )
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise InvalidData(
            f"Tên đăng nhập {username} đã tồn tại.", f"Username {username} already exists.", code="duplicate_username"
        )
    user = User(username=username, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    person = Person.objects.create(user=user, full_name=full_name, agency=agency, unit=unit, position=position)
    role_rows = list(Role.objects.filter(code__in=list(roles)))
    missing = set(roles) - {r.code for r in role_rows}
    if missing:
        raise InvalidData(
            f"Vai trò không tồn tại: {', '.join(sorted(missing))}.",
            f"Unknown roles: {', '.join(sorted(missing))}.",
            code="unknown_role",
        )
    person.roles.set(role_rows)
    person.__dict__.pop("_role_codes", None)
    after = snapshot(person, exclude=["certificate_pem"])
    after["username"] = username
    record(actor, AuditAction.PERSON_CREATED, person, after=after)
    return person
