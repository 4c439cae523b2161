"""The report as an Excel workbook (openpyxl): a first sheet with the whole scope and each
level, then one sheet per level listing its agencies; figures are numbers, shares numbers
with their target and standing. Laid out for print: landscape, one page wide, the header
row repeated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["write_xlsx", "SUMMARY_SHEET"]

SUMMARY_SHEET = "Tổng hợp"


def _header(data: dict[str, Any]) -> list[str]:
    cols = [d["label"] for d in data["definitions"]] + ["Số ngày làm việc trung bình để hoàn thành"]
    for s in data["total"]["shares"]:
        cols += [f"{s['label']} (%)", "Mục tiêu (%)", "Đánh giá"]
    return cols


def _values(data: dict[str, Any], block: dict[str, Any]) -> list[Any]:
    row: list[Any] = [block["figures"][d["key"]] for d in data["definitions"]]
    row.append(block["average_days"])
    for s in block["shares"]:
        row += [s["percent"], s["target"], s["status_label"] or ""]
    return row


def _sheet(ws: Worksheet, title: str, first: list[str], header: list[str], rows: list[list[Any]]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(first + header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: a name starting with "=" is no formula
    for i in range(1, len(first) + len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 40 if i == 2 and len(first) > 1 else 14
    ws.freeze_panes = ws.cell(row=3, column=len(first) + 1)
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _sheet_name(name: str, used: set[str]) -> str:
    base = name[:31]
    out, n = base, 2
    while out in used:
        out, n = f"{base[:28]} {n}", n + 1
    used.add(out)
    return out


def write_xlsx(data: dict[str, Any], path: Path) -> None:
    header = _header(data)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SUMMARY_SHEET
    rows = [["Toàn bộ", *_values(data, data["total"])]]
    rows += [[level["name"], *_values(data, level)] for level in data["by_level"]]
    _sheet(ws, f"Thống kê văn bản điện tử – {data['label']}", ["Phạm vi"], header, rows)
    used = {SUMMARY_SHEET}
    for level in data["by_level"]:
        agencies = [a for a in data["agencies"] if a["level"] == level["code"]]
        rows = [[a["code"], a["name"], *_values(data, a["own"])] for a in agencies]
        sheet = wb.create_sheet(_sheet_name(level["name"], used))
        _sheet(sheet, f"{level['name']} – {data['label']}", ["Mã định danh", "Cơ quan"], header, rows)
    wb.save(path)
