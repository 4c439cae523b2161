"""The agency operations of the VDXP protocol, read from and written to the hub's directory.

- ``getAgenciesList``, ``getAgenciesListQD20`` (by level of the code, Quyết định 20/2020:
  1 for ``000.00.00.H49``, 2 for ``000.00.12.H49``, ...) and ``getSynchronizeUnit`` list the
  directory (``getSynchronizeUnit`` with closed agencies as ``deleted``);
- ``registerAgency`` adds an agency *under one of the system's agencies* and binds it to the
  system; ``deleteAgency`` unbinds one of the system's agencies from it (the directory keeps
  the agency: its documents and timeline stay).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from vanban.agencycode import is_valid_agency_code, parse_agency_code
from vanban.directory import services as directory
from vanban.directory.errors import DirectoryError
from vanban.directory.models import Agency
from vanban.exchange import conf
from vanban.exchange.vdxp.documents import wire_time
from vanban.exchange.vdxp.systems import System, set_codes
from vanban.vdxp import SignedRequest, VdxpError


def _rows(active_only: bool = True):
    qs = Agency.objects.select_related("parent", "hub").prefetch_related("predecessors").order_by("code")
    return qs.filter(active=True) if active_only else qs


def _row(a: Agency) -> dict[str, Any]:
    return {"id": str(a.pk), "code": a.code, "name": a.name, "mail": a.email, "pid": a.parent.code if a.parent else ""}


def _old_code(agency: Agency) -> str:
    return next((p.code for p in agency.predecessors.all()), "")


def _level(code: str) -> int:
    return parse_agency_code(code).depth if is_valid_agency_code(code) else 0


def agencies_list() -> dict[str, Any]:
    return {"data": [{**_row(a), "oldCode": _old_code(a)} for a in _rows()]}


def agencies_qd20(signed: SignedRequest) -> dict[str, Any]:
    raw = signed.get("level").strip()
    if raw and not raw.isdigit():
        raise VdxpError("bad_parameter", f"level={raw[:10]}; cần 1, 2, 3 hoặc 4")
    level = int(raw) if raw else 0
    data = [
        {"id": str(a.pk), "code": a.code, "name": a.name, "mail": a.email, "code102": a.code}
        for a in _rows()
        if not level or _level(a.code) == level
    ]
    return {"data": data}


def synchronize_units() -> dict[str, Any]:
    data = [
        {
            **_row(a),
            "version": int(a.updated_at.timestamp()),
            "centerCode": a.hub.code if a.hub else conf.hub_code(),
            "deleted": not a.active,
            "modifyDate": wire_time(a.updated_at),
            "isAgency": True,
        }
        for a in _rows(active_only=False)
    ]
    return {"data": data}


def _text(body: dict[str, Any], key: str, limit: int) -> str:
    value = body.get(key)
    return str(value).strip()[:limit] if value is not None else ""


def register(system: System, body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise VdxpError("bad_body", "registerAgency cần JSON") from None
    if not isinstance(data, dict):
        raise VdxpError("bad_body", "registerAgency cần một đối tượng JSON")
    code, parent_code, name = _text(data, "code", 32), _text(data, "pcode", 32), _text(data, "name", 255)
    if not code or not name:
        raise VdxpError("missing_parameter", "code, name")
    if parent_code not in system.codes:
        raise VdxpError("agency_not_bound", parent_code or "(pcode trống)")
    existing = Agency.objects.filter(code=code).first()
    if existing is not None:
        if code in system.codes:
            return {}
        raise VdxpError("agency_exists", code)
    parent = Agency.objects.get(code=parent_code)
    try:
        with transaction.atomic():
            directory.create_agency(
                None,
                code=code,
                name=name,
                level=parent.level,
                parent=parent,
                email=_text(data, "mail", 254),
                phone=_text(data, "mobile", 30),
            )
            set_codes(system.systemid, [*system.codes, code])
    except DirectoryError as exc:
        raise VdxpError("bad_parameter", exc.message_vi, exc.message_en) from None
    return {}


def delete(system: System, signed: SignedRequest) -> dict[str, Any]:
    code = signed.get("AgencyCode").strip()
    if not code:
        raise VdxpError("missing_parameter", "AgencyCode")
    if code not in system.codes:
        raise VdxpError("agency_not_bound", code)
    set_codes(system.systemid, [c for c in system.codes if c != code])
    return {}
