"""``vanban directory import``: load a province's agencies and units from XLSX or CSV.

The file is checked whole before anything is written: any bad row refuses the whole
file, listing every bad row by line number with its reason. A good file is written in
one transaction (agencies by depth, so parents exist first), with one audit event per
created or changed row and one for the import itself.

Columns (header row; Vietnamese headers with or without diacritics, or the ASCII keys):
``loai`` (co_quan | don_vi; default co_quan), ``ma_dinh_danh``, ``ten``, ``ten_viet_tat``,
``cap`` (level code or name), ``ma_co_quan_cap_tren``, ``email``, ``dien_thoai``,
``dia_chi``, ``hoat_dong`` (1/0), ``ky_hieu`` (unit notation suffix). For a unit row,
``ma_dinh_danh`` is its agency's code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from vanban.agencycode import check_agency_code, parse_agency_code
from vanban.audit import AuditAction, PendingEvent, record_many, snapshot
from vanban.directory.errors import DirectoryError
from vanban.directory.models import Agency, Level, Unit
from vanban.textsearch import fold

__all__ = ["ImportRefused", "ImportResult", "RowProblem", "import_directory", "read_rows"]

MAX_ROWS = 100_000
MAX_FILE_BYTES = 50 * 1024 * 1024
AGENCY_FIELDS = ["name", "short_name", "level_id", "parent_id", "active", "email", "phone", "address"]

HEADER_ALIASES = {
    "loai": "loai",
    "loai dong": "loai",
    "kind": "loai",
    "ma dinh danh": "ma_dinh_danh",
    "ma": "ma_dinh_danh",
    "code": "ma_dinh_danh",
    "ten": "ten",
    "ten co quan": "ten",
    "ten don vi": "ten",
    "name": "ten",
    "ten viet tat": "ten_viet_tat",
    "short name": "ten_viet_tat",
    "cap": "cap",
    "level": "cap",
    "ma co quan cap tren": "ma_co_quan_cap_tren",
    "co quan cap tren": "ma_co_quan_cap_tren",
    "parent": "ma_co_quan_cap_tren",
    "email": "email",
    "thu dien tu": "email",
    "dien thoai": "dien_thoai",
    "phone": "dien_thoai",
    "dia chi": "dia_chi",
    "address": "dia_chi",
    "hoat dong": "hoat_dong",
    "active": "hoat_dong",
    "ky hieu": "ky_hieu",
    "ky hieu don vi": "ky_hieu",
    "suffix": "ky_hieu",
}
AGENCY_KINDS = {"co quan", "co_quan", "agency", ""}
UNIT_KINDS = {"don vi", "don_vi", "unit"}
TRUE_VALUES = {"1", "co", "true", "x", "yes", ""}
FALSE_VALUES = {"0", "khong", "false", "no"}


@dataclass(frozen=True)
class RowProblem:
    line: int
    message_vi: str

    def __str__(self) -> str:
        return f"Dòng {self.line}: {self.message_vi}"


class ImportRefused(DirectoryError):
    """The file was refused whole; ``problems`` lists every bad row."""

    code = "import_refused"

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(
            f"Tệp bị từ chối, không nhập dòng nào: {len(problems)} lỗi.\n" + "\n".join(str(p) for p in problems),
            f"File refused, nothing imported: {len(problems)} problem(s).",
        )


@dataclass
class ImportResult:
    agencies_created: int = 0
    agencies_updated: int = 0
    agencies_unchanged: int = 0
    units_created: int = 0
    units_updated: int = 0
    lines: int = 0


@dataclass
class _AgencyRow:
    line: int
    code: str
    name: str
    short_name: str
    level: Level
    parent_code: str
    active: bool
    email: str
    phone: str
    address: str
    depth: int = 0


@dataclass
class _UnitRow:
    line: int
    agency_code: str
    name: str
    suffix: str
    active: bool


@dataclass
class _Parsed:
    agencies: list[_AgencyRow] = field(default_factory=list)
    units: list[_UnitRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _header_key(raw: str) -> str | None:
    return HEADER_ALIASES.get(fold(str(raw or "")).replace("_", " ").strip())


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column key: text}) for each non-empty data row of a CSV or XLSX."""
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportRefused([RowProblem(0, "Tệp quá lớn (giới hạn 50 MB).")])
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        raw_rows: Iterator[list] = iter(csv.reader(io.StringIO(text)))
    elif suffix in {".xlsx", ".xlsm"}:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ImportRefused([RowProblem(0, f"Không đọc được tệp Excel: {exc}")]) from exc
        raw_rows = (list(r) for r in wb.worksheets[0].iter_rows(values_only=True))
    else:
        raise ImportRefused([RowProblem(0, f"Định dạng tệp “{path.suffix}” không được hỗ trợ; dùng .xlsx hoặc .csv.")])
    header = next(raw_rows, None)
    if header is None:
        raise ImportRefused([RowProblem(1, "Tệp trống, không có dòng tiêu đề.")])
    keys = [_header_key(h) for h in header]
    unknown = [str(h) for h, k in zip(header, keys) if k is None and h not in (None, "")]
    if unknown:
        raise ImportRefused([RowProblem(1, f"Cột không nhận ra: {', '.join(unknown)}.")])
    if "ma_dinh_danh" not in keys or "ten" not in keys:
        raise ImportRefused([RowProblem(1, "Thiếu cột bắt buộc “Mã định danh” hoặc “Tên”.")])
    for number, row in enumerate(raw_rows, start=2):
        values = {k: ("" if v is None else str(v).strip()) for k, v in zip(keys, row) if k}
        if any(values.values()):
            if number - 1 > MAX_ROWS:
                raise ImportRefused([RowProblem(number, f"Tệp quá {MAX_ROWS} dòng.")])
            yield number, values


def _sentence(parts: list[str]) -> str:
    return "; ".join(p.rstrip(".") for p in parts) + "."


def _bool(value: str) -> bool | None:
    v = fold(value)
    if v in TRUE_VALUES:
        return True
    if v in FALSE_VALUES:
        return False
    return None


def _parse(path: Path) -> _Parsed:
    levels: dict[str, Level] = {}
    for each in Level.objects.all():
        levels[fold(each.code)] = each
        levels[fold(each.name)] = each
    out = _Parsed()
    seen_codes: dict[str, int] = {}
    seen_units: dict[tuple[str, str], int] = {}
    seen_suffixes: dict[tuple[str, str], int] = {}
    for line, v in read_rows(path):
        kind = fold(v.get("loai", ""))
        problems: list[str] = []
        active = _bool(v.get("hoat_dong", ""))
        if active is None:
            problems.append(f"giá trị “{v['hoat_dong']}” ở cột Hoạt động phải là 1 hoặc 0")
        code = v.get("ma_dinh_danh", "")
        name = v.get("ten", "")
        if not name:
            problems.append("thiếu tên")
        if kind in AGENCY_KINDS:
            problems += [p.message_vi for p in check_agency_code(code)]
            level = levels.get(fold(v.get("cap", "")))
            if level is None:
                problems.append(
                    f"cấp “{v.get('cap', '')}” không có trong danh mục cấp hành chính" if v.get("cap") else "thiếu cấp"
                )
            if code in seen_codes:
                problems.append(f"mã {code} trùng với dòng {seen_codes[code]}")
            parent_code = v.get("ma_co_quan_cap_tren", "")
            if parent_code:
                problems += [f"mã cơ quan cấp trên: {p.message_vi}" for p in check_agency_code(parent_code)]
                if parent_code == code:
                    problems.append("cơ quan không thể là cấp trên của chính nó")
            if len(v.get("ten_viet_tat", "")) > 30:
                problems.append("tên viết tắt dài quá 30 ký tự")
            if problems or level is None:  # a missing level is one of the problems
                out.problems.append(RowProblem(line, _sentence(problems)))
                continue
            seen_codes[code] = line
            out.agencies.append(
                _AgencyRow(
                    line,
                    code,
                    name,
                    v.get("ten_viet_tat", ""),
                    level,
                    parent_code,
                    bool(active),
                    v.get("email", ""),
                    v.get("dien_thoai", ""),
                    v.get("dia_chi", ""),
                )
            )
        elif kind in UNIT_KINDS:
            if not code:
                problems.append("thiếu mã định danh của cơ quan chứa đơn vị")
            key = (code, fold(name))
            if key in seen_units:
                problems.append(f"đơn vị trùng với dòng {seen_units[key]}")
            suffix_key = (code, v.get("ky_hieu", ""))
            if suffix_key[1] and suffix_key in seen_suffixes:
                problems.append(f"ký hiệu {suffix_key[1]} trùng với dòng {seen_suffixes[suffix_key]}")
            if problems:
                out.problems.append(RowProblem(line, _sentence(problems)))
                continue
            seen_units[key] = line
            if suffix_key[1]:
                seen_suffixes[suffix_key] = line
            out.units.append(_UnitRow(line, code, name, v.get("ky_hieu", ""), bool(active)))
        else:
            out.problems.append(RowProblem(line, f"loại dòng “{v.get('loai')}” phải là co_quan hoặc don_vi."))
    return out


def _resolve_parents(parsed: _Parsed, existing: dict[str, Agency]) -> None:
    """Check parents exist (in the file or the database), default to the structural parent,
    refuse cycles, and compute each row's depth so parents are written first."""
    by_code = {row.code: row for row in parsed.agencies}
    for row in parsed.agencies:
        if not row.parent_code:
            structural = parse_agency_code(row.code).parent
            if structural and (structural in by_code or structural in existing):
                row.parent_code = structural
        elif row.parent_code not in by_code and row.parent_code not in existing:
            parsed.problems.append(
                RowProblem(row.line, f"cơ quan cấp trên {row.parent_code} không có trong tệp hay danh bạ.")
            )
    for row in parsed.agencies:
        depth, code, seen = 0, row.parent_code, {row.code}
        while code and code in by_code:
            if code in seen:
                parsed.problems.append(RowProblem(row.line, "quan hệ cấp trên tạo thành vòng lặp."))
                break
            seen.add(code)
            depth += 1
            code = by_code[code].parent_code
        row.depth = depth


def import_directory(path: Path | str, actor=None) -> ImportResult:
    """Import agencies and units from ``path``; all or nothing."""
    path = Path(path)
    parsed = _parse(path)
    with transaction.atomic():
        existing = {a.code: a for a in Agency.objects.all()}
        _resolve_parents(parsed, existing)
        for unit in parsed.units:
            if unit.agency_code not in existing and unit.agency_code not in {r.code for r in parsed.agencies}:
                parsed.problems.append(
                    RowProblem(unit.line, f"cơ quan {unit.agency_code} của đơn vị không có trong tệp hay danh bạ.")
                )
        _check_unit_suffixes(parsed, existing)
        if parsed.problems:
            raise ImportRefused(sorted(parsed.problems, key=lambda p: p.line))
        result = ImportResult(lines=len(parsed.agencies) + len(parsed.units))
        events: list[PendingEvent] = []
        for depth in sorted({r.depth for r in parsed.agencies}):
            _write_agencies([r for r in parsed.agencies if r.depth == depth], existing, result, events)
        _write_units(parsed.units, existing, result, events)
        events.append(
            PendingEvent(
                AuditAction.DIRECTORY_IMPORTED,
                "directory.import",
                "",
                path.name[:255],
                after={
                    "file": path.name,
                    "agencies_created": result.agencies_created,
                    "agencies_updated": result.agencies_updated,
                    "units_created": result.units_created,
                    "units_updated": result.units_updated,
                },
            )
        )
        record_many(actor, events)
    return result


def _check_unit_suffixes(parsed: _Parsed, existing: dict[str, Agency]) -> None:
    """A unit's suffix must not be taken by another stored unit of the same agency."""
    ids = {existing[u.agency_code].pk: u.agency_code for u in parsed.units if u.agency_code in existing}
    stored = {
        (ids[u.agency_id], u.suffix): fold(u.name) for u in Unit.objects.filter(agency_id__in=ids).exclude(suffix="")
    }
    for unit in parsed.units:
        owner = stored.get((unit.agency_code, unit.suffix))
        if unit.suffix and owner is not None and owner != fold(unit.name):
            parsed.problems.append(
                RowProblem(unit.line, f"ký hiệu {unit.suffix} đã dùng cho đơn vị khác của cơ quan {unit.agency_code}.")
            )


def _write_agencies(rows, existing, result, events) -> None:
    new, changed = [], []
    for row in rows:
        values = dict(
            name=row.name,
            short_name=row.short_name,
            level_id=row.level.pk,
            parent_id=existing[row.parent_code].pk if row.parent_code else None,
            active=row.active,
            email=row.email,
            phone=row.phone,
            address=row.address,
        )
        agency = existing.get(row.code)
        if agency is None:
            agency = Agency(code=row.code, **values)
            agency.refresh_search_text()
            new.append(agency)
        elif any(getattr(agency, k) != v for k, v in values.items()):
            before = snapshot(agency)
            for k, v in values.items():
                setattr(agency, k, v)
            agency.refresh_search_text()
            changed.append((agency, before))
        else:
            result.agencies_unchanged += 1
    Agency.objects.bulk_create(new, batch_size=500)
    if changed:
        Agency.objects.bulk_update([a for a, _ in changed], AGENCY_FIELDS + ["search_text"], batch_size=500)
    for agency in new:
        existing[agency.code] = agency
        events.append(
            PendingEvent(
                AuditAction.AGENCY_CREATED, "directory.agency", str(agency.pk), str(agency), after=snapshot(agency)
            )
        )
    for agency, before in changed:
        events.append(
            PendingEvent(
                AuditAction.AGENCY_UPDATED,
                "directory.agency",
                str(agency.pk),
                str(agency),
                before=before,
                after=snapshot(agency),
            )
        )
    result.agencies_created += len(new)
    result.agencies_updated += len(changed)


def _write_units(rows, existing, result, events) -> None:
    agency_ids = {existing[r.agency_code].pk for r in rows}
    current = {(u.agency_id, fold(u.name)): u for u in Unit.objects.filter(agency_id__in=agency_ids)}
    for row in rows:
        agency = existing[row.agency_code]
        unit = current.get((agency.pk, fold(row.name)))
        if unit is None:
            unit = Unit.objects.create(agency=agency, name=row.name, suffix=row.suffix, active=row.active)
            events.append(
                PendingEvent(AuditAction.UNIT_CREATED, "directory.unit", str(unit.pk), str(unit), after=snapshot(unit))
            )
            result.units_created += 1
        elif (unit.suffix, unit.active) != (row.suffix, row.active):
            before = snapshot(unit)
            unit.suffix, unit.active = row.suffix, row.active
            unit.save(update_fields=["suffix", "active"])
            events.append(
                PendingEvent(
                    AuditAction.UNIT_UPDATED,
                    "directory.unit",
                    str(unit.pk),
                    str(unit),
                    before=before,
                    after=snapshot(unit),
                )
            )
            result.units_updated += 1
