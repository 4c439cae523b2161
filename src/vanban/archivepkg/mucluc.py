"""The handover list (Mục lục hồ sơ, tài liệu nộp lưu, NĐ 30/2020 Phụ lục V) as ``.xlsx``.

Written with openpyxl's write-only mode (rows streamed to a temporary file, not held as a
worksheet), one row per dossier, columns from :data:`vanban.archivepkg.fieldmap.MUC_LUC_COLUMNS`
(unconfirmed, spec §5.4); a footer counts the dossiers and the files (tệp tin), as the
handover record (biên bản giao nhận) of an electronic transfer states them (spec §2.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from vanban.archivepkg.fieldmap import MAINTENANCE_CODES, MUC_LUC_COLUMNS
from vanban.archivepkg.model import AgencyInfo

__all__ = ["MucLucWriter", "muc_luc_row"]

TITLE = "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU"


def muc_luc_row(ordinal: int, meta: Mapping[str, str], pages: int) -> list[object]:
    """One dossier's row, in :data:`MUC_LUC_COLUMNS` order."""
    start, end = str(meta.get("StartDate", "")), str(meta.get("EndDate", ""))
    code = str(meta.get("Maintenance", ""))
    values: dict[str, object] = {
        "ordinal": ordinal,
        "fileCode": str(meta.get("FileCode", "")),
        "title": str(meta.get("Title", "")),
        "dates": f"{start} - {end}" if start and end and start != end else start or end,
        "maintenance": MAINTENANCE_CODES.get(code, code),
        "pages": str(meta.get("PageTotal", "")) or str(pages),
        "description": str(meta.get("Description", "")),
    }
    return [values[key] for _header, key in MUC_LUC_COLUMNS]


class MucLucWriter:
    """Rows added one dossier at a time; :meth:`save` writes the workbook to a stream."""

    def __init__(self, agency: AgencyInfo, year_label: str = "") -> None:
        self.wb = Workbook(write_only=True)
        self.ws: Any = self.wb.create_sheet("Mục lục")
        self.ws.column_dimensions["A"].width = 7
        for col, width in zip("BCDEFG", (26, 60, 24, 16, 14, 30), strict=True):
            self.ws.column_dimensions[col].width = width
        bold = Font(bold=True)
        head = WriteOnlyCell(self.ws, value=agency.name.upper())
        head.font = bold
        self.ws.append([head])
        if agency.unit:
            self.ws.append([f"Đơn vị nộp lưu: {agency.unit}"])
        title = WriteOnlyCell(self.ws, value=TITLE + (f" {year_label}" if year_label else ""))
        title.font = bold
        self.ws.append([title])
        self.ws.append([])
        header = []
        for name, _key in MUC_LUC_COLUMNS:
            cell = WriteOnlyCell(self.ws, value=name)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        self.ws.append(header)
        self.dossiers = 0
        self.files = 0
        self.saved = False

    def add(self, meta: Mapping[str, str], *, documents: int, pages: int) -> None:
        self.dossiers += 1
        self.files += documents
        self.ws.append(muc_luc_row(self.dossiers, meta, pages))

    def discard(self) -> None:
        """Close the rows' temporary file without writing a workbook (a failed build)."""
        if not self.saved:
            self.saved = True
            self.ws.close()

    def save(self, out: IO[bytes]) -> None:
        self.ws.append([])
        self.ws.append([f"Tổng số hồ sơ: {self.dossiers}. Tổng số tệp tin: {self.files}."])
        self.saved = True
        self.wb.save(out)
