"""Seed the demo province from ``province.json`` through the directory services."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from vanban.directory import services
from vanban.directory.models import Agency, Hub, Level

PROVINCE_FILE = Path(__file__).with_name("province.json")

ROLE_SLOTS = [
    # (slot in the file, username prefix, role code, label, default position)
    ("clerk", "vanthu", "van-thu", "Văn thư", "Văn thư"),
    ("leader", "lanhdao", "lanh-dao", "Lãnh đạo", ""),
    ("officer", "chuyenvien", "chuyen-vien", "Chuyên viên", "Chuyên viên"),
    ("admin", "quantri", "quan-tri-co-quan", "Quản trị cơ quan", "Quản trị hệ thống"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str
    agency: str


@dataclass
class DemoLogins:
    password: str
    rows: list[DemoLogin] = field(default_factory=list)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def demo_logins(path: Path = PROVINCE_FILE) -> DemoLogins:
    data = _read(path)
    logins = DemoLogins(password=data["password"])
    for a in data["agencies"]:
        people = a.get("people")
        if not people:
            continue
        for slot, prefix, _code, label, _pos in ROLE_SLOTS:
            value = people[slot]
            name = value[0] if isinstance(value, list) else value
            logins.rows.append(DemoLogin(f"{prefix}.{people['key']}", label, name, a["name"]))
    pa = data["province_admin"]
    agency_name = next(a["name"] for a in data["agencies"] if a["code"] == pa["agency"])
    logins.rows.append(DemoLogin(pa["username"], "Quản trị tỉnh", pa["full_name"], agency_name))
    return logins


@transaction.atomic
def seed_demo(path: Path = PROVINCE_FILE) -> DemoLogins:
    """Create the demo province once; later calls leave the data as it is."""
    data = _read(path)
    logins = demo_logins(path)
    first_code = data["agencies"][0]["code"]
    if Agency.objects.filter(code=first_code).exists():
        _equip(data)  # an older demo database: add what later versions seed
        return logins
    hub_fields = {k: v for k, v in data["hub"].items() if k in {"name", "base_url", "is_local"}}
    hub, _ = Hub.objects.get_or_create(code=data["hub"]["code"], defaults=hub_fields)
    levels = {lv.code: lv for lv in Level.objects.all()}
    agencies: dict[str, Agency] = {}
    password = data["password"]
    for a in data["agencies"]:
        agency = services.create_agency(
            None,
            code=a["code"],
            name=a["name"],
            level=levels[a["level"]],
            short_name=a.get("short_name", ""),
            parent=agencies.get(a.get("parent", "")),
            hub=hub,
            address=a.get("address", ""),
            email=a.get("email", ""),
        )
        agencies[a["code"]] = agency
        units = [services.create_unit(None, agency, name=n, suffix=s) for n, s in a.get("units", [])]
        people = a.get("people")
        if people:
            for i, (slot, prefix, role, _label, position) in enumerate(ROLE_SLOTS):
                value = people[slot]
                name, pos = (value[0], value[1]) if isinstance(value, list) else (value, position)
                by_suffix = {u.suffix: u for u in units}
                wanted = people.get("unit_of", {}).get(slot)
                unit = by_suffix.get(wanted) if wanted else (units[min(i, len(units) - 1)] if units else None)
                services.create_person(
                    None,
                    username=f"{prefix}.{people['key']}",
                    password=password,
                    full_name=name,
                    agency=agency,
                    unit=unit,
                    position=pos,
                    roles=[role],
                )
    for a in data["agencies"]:
        if a.get("merged_into"):
            services.merge_agency(
                None, agencies[a["code"]], agencies[a["merged_into"]], on=dt.date.fromisoformat(a["closed_on"])
            )
    pa = data["province_admin"]
    person = services.create_person(
        None,
        username=pa["username"],
        password=password,
        full_name=pa["full_name"],
        agency=agencies[pa["agency"]],
        position=pa["position"],
        roles=["quan-tri-tinh"],
    )
    user = person.user
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    _equip(data)
    return logins


def _equip(data: dict) -> None:
    """Registers and signing keys (key files, certificates, images) for the demo agencies."""
    from vanban.demo.keys import provision
    from vanban.registry.setup import ensure_registers

    agencies = list(Agency.objects.filter(code__in=[a["code"] for a in data["agencies"]], active=True))
    for agency in agencies:
        if data.get("place") and not agency.place:
            agency.place = data["place"]
            agency.save(update_fields=["place"])
        ensure_registers(agency)
    provision(agencies, province=data.get("place", ""))
    from vanban.demo.hub import connect
    from vanban.demo.keys import pki_dir

    connect(agencies, data["hub"].get("serves", []), pki_dir() / "keys")
