"""Simple real PDFs with Vietnamese text (embedded Liberation Serif), for demos, tests
and the benchmark: a decision (Quyết định) with a signature block on the last page.

Written with pyHanko's own PDF writer; content streams are left uncompressed so that a
test can tamper with a visible byte.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from vanban.signing._fonts import serif_font_path

__all__ = ["SampleDocument", "make_sample_pdf", "A4"]

A4 = (595.0, 842.0)

_BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 về công tác văn thư;",
    "Xét đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh,",
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý văn bản điện tử.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký; thay thế các quy định trước đây.",
    "Điều 3. Chánh Văn phòng, Thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành.",
    "Tiếng Việt có dấu: ă â đ ê ô ơ ư; Ắ Ằ Ẳ Ẵ Ặ; ế ề ể ễ ệ; ố ồ ổ ỗ ộ; ứ ừ ử ữ ự; ý ỳ ỷ ỹ ỵ.",
)


@dataclass(frozen=True)
class SampleDocument:
    """The PDF bytes and where its signature block sits (page index, PDF points)."""

    pdf: bytes
    pages: int
    signature_box: tuple[int, float, float, float, float]
    position_line_y: float
    name_line_y: float


def make_sample_pdf(
    *,
    title: str = "QUYẾT ĐỊNH",
    agency_name: str = "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
    number: str = "Số: 15/QĐ-UBND",
    position: str = "CHỦ TỊCH",
    signer_name: str = "Nguyễn Văn An",
    pages: int = 1,
    extra_lines: tuple[str, ...] = (),
    header: bool = True,
    date_line: str | None = None,
) -> SampleDocument:
    """An A4 document of ``pages`` pages with a signature block on the last page.

    The signature block is centred at x = 430 pt: the position line, an empty band for
    the signature (``signature_box``), then the signer's name. ``date_line`` (e.g. the
    drafter's "Quảng Ninh, ngày     tháng     năm 2026") goes under the motto, on the
    number's row, as NĐ 30 lays it out.
    """
    w = PdfFileWriter(stream_xrefs=False)
    factory = GlyphAccumulatorFactory(serif_font_path(), font_size=12)
    engine = factory.create_font_engine(w, obj_stream=None)
    width, height = A4

    def line(txt: str, x: float, y: float, size: float, center: bool = False) -> bytes:
        engine.font_size = size  # type: ignore[assignment]
        shaped = engine.shape(txt)
        if center:
            x = x - shaped.x_advance * size / 2
        return b"BT /F1 %g Tf 1 0 0 1 %g %g Tm " % (size, x, y) + shaped.graphics_ops + b" ET\n"

    font_ref = None
    page_refs: list[generic.IndirectObject] = []
    sig_x = 430.0
    pos_y, name_y = 300.0, 190.0
    for p in range(pages):
        ops = [b"0 0 0 rg\n"]
        if p == 0 and not header:
            ops.append(line(title, width / 2, 700, 14, center=True))
            y = 660.0
        elif p == 0:
            ops.append(line(agency_name, 150, 790, 12, center=True))
            ops.append(line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 420, 790, 12, center=True))
            ops.append(line("Độc lập - Tự do - Hạnh phúc", 420, 774, 13, center=True))
            ops.append(line(number, 150, 760, 13, center=True))
            if date_line:
                ops.append(line(date_line, 420, 752, 13, center=True))
            ops.append(line(title, width / 2, 700, 14, center=True))
            y = 660.0
        else:
            ops.append(line(f"Trang {p + 1}", width / 2, 800, 11, center=True))
            y = 760.0
        body = _BODY + tuple(extra_lines)
        last = p == pages - 1
        n_lines = len(body) if last else 28
        for i in range(n_lines):
            ops.append(line(body[i % len(body)], 72, y, 12.5))
            y -= 20
        if last:
            ops.append(line(position, sig_x, pos_y, 13, center=True))
            ops.append(line(signer_name, sig_x, name_y, 13, center=True))
            ops.append(line("Nơi nhận:", 72, pos_y, 11))
            ops.append(line("- Như Điều 3;", 72, pos_y - 14, 10))
            ops.append(line("- Lưu: VT.", 72, pos_y - 28, 10))
        stream = generic.StreamObject(stream_data=b"".join(ops))
        content_ref = w.add_object(stream)
        if font_ref is None:
            font_ref = engine.as_resource()
        resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font_ref})})
        page = PageObject(content_ref, media_box=(0, 0, width, height), resources=resources)
        page_refs.append(w.insert_page(page))
    engine.prepare_write()
    out = io.BytesIO()
    w.write(out)
    box = (pages - 1, sig_x - 75.0, name_y + 18.0, sig_x + 75.0, pos_y - 8.0)
    return SampleDocument(out.getvalue(), pages, box, pos_y, name_y)
