"""The outgoing and incoming registers (sổ đăng ký văn bản đi / đến, NĐ 30/2020 Phụ lục IV) as rows, as an
Excel workbook and as a printable PDF (A4 landscape, Liberation Serif for Vietnamese)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from vanban.registry.states import DeliveryState, OutgoingState

__all__ = [
    "COLUMNS",
    "INCOMING_COLUMNS",
    "ArrivalNumber",
    "cell_text",
    "display_rows",
    "font_path",
    "incoming_rows",
    "register_rows",
    "to_pdf",
    "to_xlsx",
]


class ArrivalNumber(int):
    """Số đến: a number (Excel can sum and sort it) written with two digits, "01"."""

    def __str__(self) -> str:
        return f"{int(self):02d}"


def cell_text(value) -> str:
    """A register cell as the pages and the PDF show it (dates dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def display_rows(rows: list[list]) -> list[list[str]]:
    return [[cell_text(v) for v in row] for row in rows]


COLUMNS = [
    ("Số, ký hiệu văn bản", 24),
    ("Ngày tháng văn bản", 15),
    ("Tên loại và trích yếu nội dung văn bản", 44),
    ("Người ký", 18),
    ("Nơi nhận văn bản", 30),
    ("Đơn vị, người nhận bản lưu", 22),
    ("Số lượng bản", 8),
    ("Ngày chuyển", 15),
    ("Ký nhận", 9),
    ("Ghi chú", 20),
]
FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]


def register_rows(documents) -> list[list]:
    """The outgoing register's rows: dates as dates, counts as numbers (Excel keeps them so),
    the rest as text; :func:`display_rows` for pages."""
    from django.utils import timezone

    rows = []
    for doc in documents:
        notes = []
        if doc.paper_issue:
            notes.append("Phát hành bản giấy (văn bản mật)")
        elif doc.paper_copy:
            notes.append("Gửi kèm bản giấy")
        if doc.state == OutgoingState.CANCELLED:
            notes.append("Đã hủy")
        failed = [r.name for r in doc.recipients.all() if r.delivery == DeliveryState.FAILED]
        if failed:
            notes.append("Gửi lỗi: " + ", ".join(failed))
        issued = next((h.at for h in doc.history.all() if h.new_state == OutgoingState.ISSUED), None)
        rows.append(
            [
                doc.so_ky_hieu,
                doc.issued_on,
                f"{doc.document_type.name}: {doc.subject}",
                doc.signer.full_name,
                "; ".join(r.name for r in doc.recipients.all()),
                " – ".join(x for x in [doc.unit.name if doc.unit else "", doc.drafter.full_name] if x),
                doc.copies,
                timezone.localtime(issued).date() if issued else None,
                "",
                "; ".join(notes),
            ]
        )
    return rows


INCOMING_COLUMNS = [
    ("Ngày đến", 15),
    ("Số đến", 9),
    ("Tác giả", 30),
    ("Số, ký hiệu", 20),
    ("Ngày tháng văn bản", 15),
    ("Tên loại và trích yếu nội dung", 48),
    ("Đơn vị hoặc người nhận", 30),
    ("Ký nhận", 9),
    ("Ghi chú", 24),
]


def incoming_rows(documents) -> list[list]:
    """The incoming register's rows, typed as :func:`register_rows`'s."""
    from django.utils import timezone

    rows = []
    for doc in documents:
        lead = [str(a) for a in doc.assignments.all() if a.role == "chu-tri"]
        notes = []
        if doc.source == "ban-giay":
            notes.append("Bản giấy")
        if doc.state == "da-thu-hoi":
            notes.append("Đã bị thu hồi")
        if doc.deadline:
            notes.append(f"Hạn xử lý {doc.deadline:%d/%m/%Y}")
        rows.append(
            [
                timezone.localtime(doc.registered_at or doc.arrived_at).replace(tzinfo=None, second=0, microsecond=0),
                ArrivalNumber(doc.arrival_number) if doc.arrival_number else None,
                doc.sender_name,
                doc.so_ky_hieu,
                doc.issued_on,
                f"{doc.type_name}: {doc.subject}" if doc.type_name else doc.subject,
                "; ".join(lead),
                "",
                "; ".join(notes),
            ]
        )
    return rows


def to_xlsx(title: str, rows: list[list], columns=None) -> bytes:
    """The register as a workbook: dates are Excel dates shown dd/mm/yyyy, numbers numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    columns = columns or COLUMNS
    ws = wb.active
    ws.title = "Sổ văn bản"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([c for c, _ in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        ws.append(row)
        for cell, value in zip(ws[ws.max_row], row):
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: a subject starting with "=" is no formula
            elif isinstance(value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, ArrivalNumber):
                cell.number_format = "00"
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def font_path(style: str) -> Path:
    name = {"": "LiberationSerif-Regular.ttf", "B": "LiberationSerif-Bold.ttf"}[style]
    for d in FONT_DIRS:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(f"{name} not found: install fonts-liberation2")


def to_pdf(title: str, rows: list[list], columns=None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font("LiberationSerif", "", str(font_path("")))
    pdf.add_font("LiberationSerif", "B", str(font_path("B")))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("LiberationSerif", "B", 14)
    pdf.cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("LiberationSerif", "", 9)
    columns = columns or COLUMNS
    total = sum(w for _, w in columns)
    widths = tuple(w * (pdf.epw / total) for _, w in columns)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, repeat_headings=1) as table:
        header = table.row()
        pdf.set_font("LiberationSerif", "B", 9)
        for name, _ in columns:
            header.cell(name)
        pdf.set_font("LiberationSerif", "", 9)
        for values in rows:
            r = table.row()
            for v in values:
                r.cell(cell_text(v))
    return bytes(pdf.output())
