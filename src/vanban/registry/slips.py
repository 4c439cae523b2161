"""The printed slips that go with a document on paper desks, as PDF (A4 portrait, Liberation
Serif for Vietnamese): the processing slip of an incoming document (phiếu xử lý văn bản đến:
its register data, the leader's instructions, who leads and helps, the chain of assignment,
the deadline, progress and result, with blank lines for handwritten notes) and the
submission slip of a draft (phiếu trình: what is submitted, by whom, the comments so far,
the signer's decision boxes)."""

from __future__ import annotations

from django.utils import timezone

from vanban.registry.exports import font_path
from vanban.registry.models import IncomingDocument, OutgoingDocument
from vanban.registry.services.handover import chain

__all__ = ["processing_slip", "submission_slip"]


def _pdf(agency_name: str, unit_name: str, title: str):
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("LiberationSerif", "", str(font_path("")))
    pdf.add_font("LiberationSerif", "B", str(font_path("B")))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(20, 15, 15)
    pdf.add_page()
    pdf.set_font("LiberationSerif", "", 11)
    pdf.cell(85, 6, agency_name.upper(), align="C")
    pdf.set_font("LiberationSerif", "B", 11)
    pdf.cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(85, 6, unit_name.upper(), align="C")
    pdf.cell(0, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("LiberationSerif", "B", 14)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    return pdf


def _field(pdf, label: str, value: str) -> None:
    pdf.set_font("LiberationSerif", "B", 11)
    pdf.write(6, f"{label}: ")
    pdf.set_font("LiberationSerif", "", 11)
    pdf.write(6, value or "—")
    pdf.ln(7)


def _section(pdf, title: str, lines: list[str], blank: int = 3) -> None:
    pdf.ln(2)
    pdf.set_font("LiberationSerif", "B", 11)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("LiberationSerif", "", 11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    for _ in range(blank):
        pdf.cell(0, 7, "." * 120, new_x="LMARGIN", new_y="NEXT")


def _d(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _dt(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


def _step_line(node) -> str:
    step = node.step
    line = f"{'    ' * node.depth}{step.get_kind_display()}: {step.by_name} → {step.to_name}"
    if step.deadline:
        line += f", hạn {_d(step.deadline)}"
    line += f" ({step.get_state_display().lower()})"
    return line + (f" – {step.note}" if step.note else "")


def processing_slip(doc: IncomingDocument) -> bytes:
    """Phiếu xử lý văn bản đến of ``doc``."""
    pdf = _pdf(doc.agency.name, "", "PHIẾU XỬ LÝ VĂN BẢN ĐẾN")
    _field(pdf, "Số đến", f"{doc.so_den}, ngày {_d(doc.registered_at and timezone.localtime(doc.registered_at))}")
    _field(pdf, "Cơ quan gửi", doc.sender_name)
    _field(pdf, "Số, ký hiệu", f"{doc.so_ky_hieu}{', ngày ' + _d(doc.issued_on) if doc.issued_on else ''}")
    _field(pdf, "Trích yếu", f"{doc.type_name + ': ' if doc.type_name else ''}{doc.subject}")
    if doc.sender_due_date:
        _field(pdf, "Hạn trả lời nơi gửi đề nghị", _d(doc.sender_due_date))
    _section(pdf, "Ý kiến chỉ đạo của lãnh đạo:", [doc.instructions] if doc.instructions else [])
    roles: dict[str, list[str]] = {}
    for a in doc.assignments.select_related("person", "unit"):
        roles.setdefault(a.get_role_display(), []).append(str(a))
    _section(pdf, "Phân công:", [f"{role}: {', '.join(names)}" for role, names in roles.items()], blank=1)
    _field(pdf, "Hạn xử lý", _d(doc.deadline))
    steps = chain(doc)
    if len(steps) > 1:  # more than the leader's assignment written above
        _section(pdf, "Luồng giao việc:", [_step_line(n) for n in steps], blank=0)
    notes = [f"{_dt(n.created_at)} – {n.author.full_name}: {n.text}" for n in doc.notes.select_related("author")]
    _section(pdf, "Tiến độ, kết quả xử lý:", notes + ([f"Kết quả: {doc.result}"] if doc.result else []))
    pdf.ln(4)
    pdf.set_font("LiberationSerif", "", 9)
    pdf.cell(0, 5, f"In từ vanban lúc {_dt(timezone.now())}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def submission_slip(doc: OutgoingDocument) -> bytes:
    """Phiếu trình of the draft ``doc``."""
    pdf = _pdf(doc.agency.name, doc.unit.name if doc.unit else "", "PHIẾU TRÌNH")
    _field(pdf, "Kính trình", f"{doc.signer.full_name}{' – ' + doc.signer.position if doc.signer.position else ''}")
    _field(pdf, "Loại văn bản", doc.document_type.name)
    _field(pdf, "Trích yếu", doc.subject)
    _field(
        pdf,
        "Đơn vị, người soạn thảo",
        " – ".join(x for x in [doc.unit.name if doc.unit else "", doc.drafter.full_name] if x),
    )
    _field(pdf, "Nơi nhận", "; ".join(r.name for r in doc.recipients.all()))
    versions = doc.versions.count()
    _field(pdf, "Dự thảo", f"phiên bản {versions}" if versions else "")
    if doc.due_date:
        _field(pdf, "Hạn trả lời đề nghị nơi nhận", _d(doc.due_date))
    comments = [f"{_dt(c.created_at)} – {c.author.full_name}: {c.text}" for c in doc.comments.select_related("author")]
    _section(pdf, "Ý kiến góp ý:", comments)
    _section(pdf, "Ý kiến của người ký:", [], blank=4)
    pdf.ln(2)
    pdf.set_font("LiberationSerif", "", 11)
    pdf.cell(
        0,
        7,
        "[  ] Đồng ý ký ban hành        [  ] Chỉnh sửa, trình lại        [  ] Không ban hành",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("LiberationSerif", "", 9)
    pdf.cell(0, 5, f"In từ vanban lúc {_dt(timezone.now())}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
