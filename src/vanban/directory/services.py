"""State changes of the directory. Each function is one transaction: guard, change,
audit event(s); callers (views, admin, CLI) hold no rules of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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
    "update_person",
    "set_roles",
    "set_active",
    "set_password",
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
    user = User(username=username, email=_email(email))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    person = Person.objects.create(user=user, full_name=full_name, agency=agency, unit=unit, position=position)
    _check_grant(actor, set(), set(roles))
    person.roles.set(_role_rows(roles))
    person.__dict__.pop("_role_codes", None)
    after = snapshot(person, exclude=["certificate_pem"])
    after["username"] = username
    record(actor, AuditAction.PERSON_CREATED, person, after=after)
    return person


def _role_rows(codes) -> list[Role]:
    rows = list(Role.objects.filter(code__in=list(codes)))
    missing = set(codes) - {r.code for r in rows}
    if missing:
        raise InvalidData(
            f"Vai trò không tồn tại: {', '.join(sorted(missing))}.",
            f"Unknown roles: {', '.join(sorted(missing))}.",
            code="unknown_role",
        )
    return rows


def _check_grant(actor, before: set[str], after: set[str]) -> None:
    """Only the province (or the system) grants or takes away the provincial administrator's role."""
    if PROVINCE_ADMIN not in (before ^ after) or actor is None or getattr(actor, "is_superuser", False):
        return
    person = _person(actor)
    if person is None or not person.has_role(PROVINCE_ADMIN):
        raise PermissionDenied(
            "Chỉ quản trị tỉnh giao hoặc thu hồi vai trò quản trị tỉnh.",
            "Only a provincial administrator grants or removes that role.",
            code="province_role_reserved",
        )


def _email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise InvalidData(
                f"Thư điện tử {value} không hợp lệ.", f"Invalid e-mail {value}.", code="invalid_email"
            ) from exc
    return value


def _is_self(actor, person: Person) -> bool:
    return actor is not None and getattr(actor, "pk", None) == person.user_id


def _person_snapshot(person: Person) -> dict[str, Any]:
    data = snapshot(person, exclude=["certificate_pem"])
    data["username"] = person.user.username
    data["email"] = person.user.email
    data["active"] = person.user.is_active
    return data


def _locked(person: Person) -> Person:
    person = Person.objects.select_for_update().select_related("user", "agency").get(pk=person.pk)
    return person


def _check_unit(unit: Unit | None, agency: Agency) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise InvalidData(
            "Đơn vị không thuộc cơ quan đã chọn.",
            "The unit does not belong to the agency.",
            code="unit_agency_mismatch",
        )


def _apply_roles(actor, person: Person, roles) -> None:
    before = {r.code for r in person.roles.all()}
    after = set(roles)
    _check_grant(actor, before, after)
    if _is_self(actor, person):
        lost = {AGENCY_ADMIN, PROVINCE_ADMIN} & (before - after)
        if lost:
            raise InvalidData(
                "Bạn không thể tự bỏ vai trò quản trị của chính mình; hãy nhờ một quản trị khác.",
                "You cannot remove your own administrator role.",
                code="own_admin_role",
            )
    person.roles.set(_role_rows(after))
    person.__dict__.pop("_role_codes", None)


_PERSON_FIELDS = {"full_name", "unit", "position", "email", "phone", "roles"}


@transaction.atomic
def update_person(actor, person: Person, **changes: Any) -> Person:
    """Change a person's name, unit, position, e-mail, phone and (``roles``: codes) roles."""
    unknown = set(changes) - _PERSON_FIELDS
    if unknown:
        raise InvalidData(
            f"Không sửa được trường: {', '.join(sorted(unknown))}.",
            f"Fields cannot be changed: {', '.join(sorted(unknown))}.",
        )
    person = _locked(person)
    _require(actor, person.agency)
    if "unit" in changes:
        _check_unit(changes["unit"], person.agency)
    before = _person_snapshot(person)
    roles = changes.pop("roles", None)
    email = changes.pop("email", None)
    for key, value in changes.items():
        setattr(person, key, value)
    _full_clean(person)
    person.save()
    if email is not None:
        person.user.email = _email(email)
        person.user.save(update_fields=["email"])
    if roles is not None:
        _apply_roles(actor, person, roles)
    record(actor, AuditAction.PERSON_UPDATED, person, before=before, after=_person_snapshot(person))
    return person


@transaction.atomic
def set_roles(actor, person: Person, roles: list[str]) -> Person:
    """The person's roles become ``roles`` (codes); an administrator keeps their own."""
    return update_person(actor, person, roles=roles)


@transaction.atomic
def set_active(actor, person: Person, active: bool) -> Person:
    """Open or close a person's account; a closed account cannot sign in (its history stays)."""
    person = _locked(person)
    _require(actor, person.agency)
    if not active and _is_self(actor, person):
        raise InvalidData(
            "Bạn không thể tự khóa tài khoản của chính mình.",
            "You cannot deactivate your own account.",
            code="own_account",
        )
    if person.user.is_active == active:
        return person
    before = _person_snapshot(person)
    person.user.is_active = active
    person.user.save(update_fields=["is_active"])
    record(actor, AuditAction.PERSON_UPDATED, person, before=before, after=_person_snapshot(person))
    return person


MIN_PASSWORD = 8


@transaction.atomic
def set_password(actor, person: Person, password: str) -> Person:
    """Give the person a new password (the administrator tells them; the audit row holds no password)."""
    person = _locked(person)
    _require(actor, person.agency)
    if len(password or "") < MIN_PASSWORD:
        raise InvalidData(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.",
            f"The password needs at least {MIN_PASSWORD} characters.",
            code="password_too_short",
        )
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    record(
        actor,
        AuditAction.PERSON_UPDATED,
        person,
        before={"password": "(cũ)"},
        after={"password": "(đã đặt lại)"},
    )
    return person
