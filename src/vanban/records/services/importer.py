"""The list of dossiers from a spreadsheet (.xlsx), in the columns of the Danh mục hồ sơ form
(NĐ 30/2020 Phụ lục V), the form's column 4 split in two:

A Số và ký hiệu hồ sơ · B Tên đề mục và tiêu đề hồ sơ · C Thời hạn lưu trữ · D Đơn vị lập
hồ sơ · E Người lập hồ sơ · F Ghi chú

The first row holds the headers. A heading row (đề mục) has a Roman numeral in A, the
heading in B and nothing in C; an optional abbreviation in F (``TCCB``) goes into the
numbers of the dossiers under it. A dossier row has ``01`` or ``01.TCCB`` (or nothing: the
next number) in A, its title in B and its retention in C (``Vĩnh viễn``, ``10 năm``, ``10``
or a class code). Every row is checked first; one bad row refuses the whole file, with a
Vietnamese message per bad row, and nothing is written."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.db import transaction

from vanban.audit import AuditAction, record
from vanban.directory.models import Agency, Person, Unit
from vanban.records.errors import ListImportRefused
from vanban.records.models import Dossier, DossierList
from vanban.records.services._common import require_role
from vanban.records.services.lists import LIST_ROLES, DossierData, locked_list, new_dossier, retention_classes
from vanban.textsearch import fold

__all__ = ["import_list", "HEADERS"]

HEADERS = (
    "Số và ký hiệu hồ sơ",
    "Tên đề mục và tiêu đề hồ sơ",
    "Thời hạn lưu trữ",
    "Đơn vị lập hồ sơ",
    "Người lập hồ sơ",
    "Ghi chú",
)
ROMAN = re.compile(r"^[IVXLC]+\.?$")
NOTATION = re.compile(r"^(\d{1,4})(?:\.([A-ZĐ0-9]{1,12}))?$")
YEARS = re.compile(r"^(\d{1,3})(?:\s*nam)?$")  # on folded text
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass
class _Row:
    line: int
    data: DossierData


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _refuse(errors: list[dict]) -> ListImportRefused:
    lines = "; ".join(e["message"] for e in errors[:20])
    more = f" (và {len(errors) - 20} lỗi khác)" if len(errors) > 20 else ""
    return ListImportRefused(
        f"Không nhập được danh mục hồ sơ: {lines}{more}.",
        f"The list was not imported: {len(errors)} row(s) in error.",
        details=errors,
    )


def _rows(data: bytes):
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ListImportRefused(
            "Tệp bảng tính quá lớn (tối đa 5 MB).", "The spreadsheet is too large.", code="too_large"
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file is the user's to fix, said in one line
        raise ListImportRefused(
            "Tệp không phải bảng tính Excel (.xlsx) đọc được.",
            f"Not a readable .xlsx file ({type(exc).__name__}).",
            code="not_xlsx",
        ) from exc
    sheet = book.worksheets[0]
    return list(sheet.iter_rows(max_col=len(HEADERS), max_row=MAX_ROWS + 1, values_only=True))


def _retention(agency: Agency):
    classes = list(retention_classes(agency))
    by_code = {c.code: c for c in classes}
    by_years: dict[int | None, object] = {}
    for c in sorted(classes, key=lambda c: c.agency_id is None):  # the agency's own first
        by_years.setdefault(c.years, c)

    def find(text: str):
        if text in by_code:
            return by_code[text]
        folded = fold(text)
        if folded in ("vinh vien", "vv"):
            return by_years.get(None)
        match = YEARS.match(folded)
        if match:
            return by_years.get(int(match.group(1)))
        return None

    return find


def _lookup_unit(agency: Agency):
    units = list(Unit.objects.filter(agency=agency, active=True))
    index = {fold(u.name): u for u in units} | {fold(u.suffix): u for u in units if u.suffix}
    return lambda text: index.get(fold(text))


def _lookup_person(agency: Agency):
    people = list(Person.objects.filter(agency=agency).select_related("user"))
    index: dict[str, list[Person]] = {}
    for p in people:
        index.setdefault(fold(p.full_name), []).append(p)
        if p.user_id:
            index.setdefault(fold(p.user.username), []).append(p)
    return lambda text: index.get(fold(text), [])


def _parse(agency: Agency, dossier_list: DossierList, rows: list) -> tuple[list[_Row], list[dict]]:
    errors: list[dict] = []

    def error(line: int, message: str) -> None:
        errors.append({"row": line, "message": f"Dòng {line}: {message}"})

    if not rows or [fold(_text(v)) for v in rows[0][:3]] != [fold(h) for h in HEADERS[:3]]:
        error(1, "dòng tiêu đề phải là " + " | ".join(f"“{h}”" for h in HEADERS))
        return [], errors
    if len(rows) > MAX_ROWS:
        error(MAX_ROWS + 1, f"bảng tính có quá {MAX_ROWS} dòng")
        return [], errors
    find_class, find_unit, find_person = _retention(agency), _lookup_unit(agency), _lookup_person(agency)
    taken = set(Dossier.objects.filter(dossier_list=dossier_list).values_list("number", flat=True))
    next_number = dossier_list.last_number
    heading, heading_abbr = "", ""
    out: list[_Row] = []
    for line, raw in enumerate(rows[1:], start=2):
        cells = [_text(v) for v in (*raw, *([None] * len(HEADERS)))][: len(HEADERS)]
        number_text, title, retention, unit_text, person_text, note = cells
        if not any(cells):
            continue
        if ROMAN.match(number_text.upper()) and not retention:
            if not title:
                error(line, "đề mục không có tên")
            heading, heading_abbr = title, note.upper()
            continue
        if not title:
            error(line, "thiếu tiêu đề hồ sơ")
            continue
        number, abbr = None, heading_abbr
        if number_text:
            match = NOTATION.match(number_text.upper())
            if not match:
                error(line, f"số và ký hiệu hồ sơ “{number_text}” không đúng dạng (ví dụ: 01 hoặc 01.TCCB)")
                continue
            number, abbr = int(match.group(1)), match.group(2) or heading_abbr
        else:
            number = max([next_number, *taken]) + 1
        if number in taken:
            error(line, f"số {number:02d} đã có trong danh mục hồ sơ năm {dossier_list.year}")
            continue
        if not retention:
            error(line, "thiếu thời hạn lưu trữ")
            continue
        klass = find_class(retention)
        if klass is None:
            error(line, f"thời hạn lưu trữ “{retention}” không có trong danh mục thời hạn lưu trữ")
            continue
        unit = None
        if unit_text:
            unit = find_unit(unit_text)
            if unit is None:
                error(line, f"không có đơn vị “{unit_text}” trong cơ quan")
                continue
        person = None
        if person_text:
            found = find_person(person_text)
            if not found:
                error(line, f"không có người “{person_text}” trong cơ quan")
                continue
            if len(found) > 1:
                error(line, f"có nhiều người tên “{person_text}”: ghi tên đăng nhập thay cho họ tên")
                continue
            person = found[0]
        taken.add(number)
        next_number = max(next_number, number)
        out.append(
            _Row(
                line,
                DossierData(
                    title=title,
                    retention_class=klass,
                    heading=heading,
                    heading_abbr=abbr,
                    number=number,
                    unit=unit,
                    responsible=person,
                    description=note,
                ),
            )
        )
    return out, errors


def import_list(user, agency: Agency, year: int, data: bytes) -> list[Dossier]:
    """Add the dossiers of the spreadsheet ``data`` to the list of ``year``: all of them, or
    none with :class:`ListImportRefused` naming every bad row."""
    require_role(user, agency, LIST_ROLES, "nhập danh mục hồ sơ")
    rows = _rows(data)
    with transaction.atomic():
        dossier_list = locked_list(agency, year)
        parsed, errors = _parse(agency, dossier_list, rows)
        if errors:
            raise _refuse(errors)
        if not parsed:
            raise ListImportRefused("Bảng tính không có hồ sơ nào.", "The spreadsheet lists no dossier.", code="empty")
        made = [new_dossier(user, dossier_list, row.data) for row in parsed]
        record(user, AuditAction.RECORDS_LIST_IMPORTED, dossier_list, after={"year": year, "dossiers": len(made)})
    return made
