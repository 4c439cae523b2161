"""The number and the date on a signed document (NĐ 30/2020: the system writes "Số: 13/UBND-VP1"
and "Quảng Ninh, ngày 02 tháng 12 năm 2026" when it numbers an electronic document).

They are written after the signer's signature, so they go in as **form filling**, the one
later change pyHanko's modification analysis (and Adobe's) accepts under an approval
signature without calling it tampering: :func:`add_number_fields` puts two empty, read-only
text fields (``SoKyHieu``, ``NgayBanHanh``) at the "Số:" and date places *before* the signer
signs; :func:`fill_number_fields` fills them (value and appearance, an incremental update)
before the agency seal, which then covers them. A new annotation or any change to the page
content after the signer's signature would be reported as a forbidden change instead.

The places are found in the page's text with pdfium (:func:`find_number_places`): the line
that starts with "Số:" in the upper part of page 1, and the "…, ngày … tháng … năm …" line
beside it; a line is covered with white and the whole text is written over it (centred where
the line was, in its font size), so a drafter's "Số:      /UBND-VP1" placeholder reads
"Số: 13/UBND-VP1". Where a draft has no such line, the places of NĐ 30's layout are used
(under the agency name on the left; under the national motto on the right).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from vanban.signing._fonts import serif_font_path, serif_italic_font_path
from vanban.signing.errors import SigningError
from vanban.signing.pdf import _guard, _page_size, _reader

__all__ = [
    "NUMBER_FIELD",
    "DATE_FIELD",
    "NumberPlace",
    "find_number_places",
    "add_number_fields",
    "has_number_fields",
    "fill_number_fields",
    "document_date_text",
]

NUMBER_FIELD = "SoKyHieu"
DATE_FIELD = "NgayBanHanh"
_COVER = "/VanbanCover"  # the placeholder line the filled appearance paints over (page space)
_READ_ONLY = 1
_PRINT = 4
_NUMBER_RE = re.compile(r"^s[ố]\s*:", re.IGNORECASE)
_DATE_RE = re.compile(r"ngày.{0,12}tháng.{0,12}năm", re.IGNORECASE)


def document_date_text(day: date, place: str = "") -> str:
    """``Quảng Ninh, ngày 02 tháng 12 năm 2026``: days below 10 and months 1 and 2 take a
    leading zero (NĐ 30/2020 Phụ lục I); no place, no comma."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place.strip()}, {text}" if place.strip() else text[0].upper() + text[1:]


@dataclass(frozen=True)
class NumberPlace:
    """Where a field goes on ``page``: its rectangle (x1, y1, x2, y2, PDF points; the text is
    centred in it, its baseline at ``y1 + 0.35 × font_size``), the font size, and the
    placeholder line to paint over (``cover``), if the draft had one."""

    page: int
    rect: tuple[float, float, float, float]
    font_size: float
    italic: bool = False
    cover: tuple[float, float, float, float] | None = None


@dataclass
class _Segment:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    baseline: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x1 + self.x2) / 2


def _segments(pdf_bytes: bytes) -> tuple[list[_Segment], tuple[float, float, float, float]]:
    """The text lines of page 1 (a line split where a wide gap separates two columns)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    _guard(pdf_bytes)
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        page = pdf[0]
        bbox = tuple(float(v) for v in page.get_bbox())
        tp = page.get_textpage()
        out: list[_Segment] = []
        cur: list[tuple[str, tuple[float, float, float, float], float, float]] = []

        def flush() -> None:
            boxes = [b for ch, b, _, _ in cur if not ch.isspace() and b[2] > b[0]]
            text = unicodedata.normalize("NFC", "".join(ch for ch, _, _, _ in cur)).strip()
            if boxes and text:
                size = max(s for _, _, _, s in cur) or 12.0
                out.append(
                    _Segment(
                        text,
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                        cur[0][2],
                        size,
                    )
                )
            cur.clear()

        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(tp.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i) or 32)
            if ch in "\r\n\x02":
                flush()
                continue
            box = tp.get_charbox(i)
            size = float(pdfium_c.FPDFText_GetFontSize(tp.raw, i))
            pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, x, y)
            if cur:
                last_box, base, last_size = cur[-1][1], cur[0][2], cur[-1][3]
                gap = box[0] - last_box[2]
                if abs(y.value - base) > 0.5 * max(size, last_size, 1) or gap > 2.5 * max(size, 1) or gap < -size:
                    flush()
            cur.append((ch, box, y.value, size))
        flush()
        tp.close()
        page.close()
    finally:
        pdf.close()
    return out, bbox  # type: ignore[return-value]


def find_number_places(pdf_bytes: bytes) -> tuple[NumberPlace, NumberPlace]:
    """The places of the number (``Số: …``) and of the date line on page 1."""
    try:
        segments, (px1, py1, px2, py2) = _segments(pdf_bytes)
    except SigningError:
        raise
    except Exception:  # no text layer pdfium can read: NĐ 30's layout
        x1, y1, x2, y2 = _page_size(_reader(pdf_bytes), 0)
        segments, (px1, py1, px2, py2) = [], (x1, y1, x2, y2)
    width, height = px2 - px1, py2 - py1
    mid = px1 + width / 2
    top = [s for s in segments if s.baseline > py2 - 0.45 * height]
    number = next((s for s in top if _NUMBER_RE.match(s.text) and s.cx < mid + width / 6), None)
    if number is not None:  # "Số:" and a placeholder split by a wide blank: one line
        for s in top:
            if (
                s is not number
                and abs(s.baseline - number.baseline) < 2
                and number.x2 < s.x1 < min(mid, number.x2 + 0.2 * width)
                and not _DATE_RE.search(s.text)
            ):
                number = _Segment(
                    f"{number.text} {s.text}",
                    number.x1,
                    min(number.y1, s.y1),
                    s.x2,
                    max(number.y2, s.y2),
                    number.baseline,
                    number.size,
                )
    near = number.baseline if number is not None else py2 - 0.1 * height
    dates = [
        s
        for s in top
        if _DATE_RE.search(s.text) and len(s.text) < 90 and s.cx > mid and abs(s.baseline - near) < 5 * s.size
    ]
    date_line = dates[0] if dates else None
    motto = next((s for s in top if "Độc lập" in s.text or "ĐỘC LẬP" in s.text), None)

    def place(
        seg: _Segment | None, cx: float, baseline: float, size: float, italic: bool, lo: float, hi: float
    ) -> NumberPlace:
        half = min(cx - lo, hi - cx, 150.0)
        if seg is not None:
            half = max(half, (seg.x2 - seg.x1) / 2 + 2)
        rect = (cx - half, baseline - 0.35 * size, cx + half, baseline + 1.05 * size)
        cover = None
        if seg is not None:
            cover = (
                seg.x1 - 1,
                min(seg.y1, seg.baseline - 0.25 * seg.size) - 0.5,
                seg.x2 + 1,
                max(seg.y2, seg.baseline + 0.95 * seg.size) + 0.5,
            )
        return NumberPlace(0, tuple(round(v, 2) for v in rect), round(size, 2), italic, cover)  # type: ignore[arg-type]

    margin = 0.06 * width
    if number is not None:
        size = min(max(number.size, 10.0), 14.0)
        num_place = place(number, number.cx, number.baseline, size, False, px1 + margin, mid - 4)
        baseline = number.baseline
    else:
        baseline = py2 - 0.1 * height
        num_place = place(None, px1 + width * 0.27, baseline, 13.0, False, px1 + margin, mid - 4)
    if date_line is not None:
        size = min(max(date_line.size, 10.0), 14.0)
        date_place = place(date_line, date_line.cx, date_line.baseline, size, True, mid + 4, px2 - margin / 2)
    else:
        cx = motto.cx if motto is not None else px1 + width * 0.7
        y = min(baseline, motto.baseline - 1.6 * motto.size) if motto is not None else baseline
        date_place = place(None, cx, y, 14.0, True, mid + 4, px2 - margin / 2)
    return num_place, date_place


def _fields(writer_or_reader: Any) -> dict[str, generic.IndirectObject]:
    try:
        fields = writer_or_reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return {}
    out = {}
    for ref in fields:
        name = str(ref.get_object().get("/T", ""))
        if name in (NUMBER_FIELD, DATE_FIELD):
            out[name] = ref
    return out


def has_number_fields(pdf_bytes: bytes) -> bool:
    """Whether the PDF has both number fields (made by :func:`add_number_fields`). A byte
    check first: that function writes them as plain objects, and later updates only append,
    so a PDF without the name has no fields and is not parsed."""
    if NUMBER_FIELD.encode() not in pdf_bytes:
        return False
    return len(_fields(_reader(pdf_bytes))) == 2


def _array(values: Iterable[float]) -> generic.ArrayObject:
    return generic.ArrayObject(generic.FloatObject(v) for v in values)


def add_number_fields(pdf_bytes: bytes, places: tuple[NumberPlace, NumberPlace] | None = None) -> bytes:
    """The PDF with the two empty number fields added (an incremental update), for the
    signer to sign over; unchanged when it has them already, or when it is signed already
    (a field added after a signature would be a forbidden change to it: such a document
    is numbered without writing into its PDF). ``places`` default: :func:`find_number_places`."""
    reader = _reader(pdf_bytes)
    if len(_fields(reader)) == 2 or reader.embedded_signatures:
        return pdf_bytes
    places = places or find_number_places(pdf_bytes)
    try:
        w = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        root = w.root
        if "/AcroForm" not in root:
            root[pdf_name("/AcroForm")] = w.add_object(
                generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
            )
            w.update_root()
        form = root["/AcroForm"]
        if "/Fields" not in form:
            form[pdf_name("/Fields")] = generic.ArrayObject()
        fields = form["/Fields"]
        for name, pl in zip((NUMBER_FIELD, DATE_FIELD), places):
            page_ref, _ = w.find_page_for_modification(pl.page)
            field = generic.DictionaryObject(
                {
                    pdf_name("/FT"): pdf_name("/Tx"),
                    pdf_name("/T"): pdf_string(name),
                    pdf_name("/Ff"): generic.NumberObject(_READ_ONLY),
                    pdf_name("/Type"): pdf_name("/Annot"),
                    pdf_name("/Subtype"): pdf_name("/Widget"),
                    pdf_name("/F"): generic.NumberObject(_PRINT),
                    pdf_name("/Rect"): _array(pl.rect),
                    pdf_name("/P"): page_ref,
                    pdf_name("/Q"): generic.NumberObject(1),
                    pdf_name("/DA"): pdf_string(f"/{'FI' if pl.italic else 'F1'} {pl.font_size:g} Tf 0 g"),
                }
            )
            if pl.cover is not None:
                field[pdf_name(_COVER)] = _array(pl.cover)
            ref = w.add_object(field)
            fields.append(ref)
            w.register_annotation(page_ref, ref)
        w.update_container(form if isinstance(root.raw_get("/AcroForm"), generic.IndirectObject) else root)
        out = io.BytesIO()
        w.write(out)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(
            "Không thêm được chỗ ghi số và ngày vào văn bản.",
            f"Cannot add the number fields: {exc}",
            code="prepare_failed",
        ) from exc
    return out.getvalue()


def fill_number_fields(pdf_bytes: bytes, number_text: str, date_text: str) -> bytes:
    """Write ``number_text`` (``Số: 13/UBND-VP1``) and ``date_text`` into the number fields
    (value and appearance; an incremental update that only fills forms, so the signatures
    before it stay valid). :class:`SigningError` ``no_number_fields`` when the PDF has none."""
    reader = _reader(pdf_bytes)
    refs = _fields(reader)
    if len(refs) != 2:
        raise SigningError(
            "Văn bản không có chỗ ghi số và ngày (được thêm khi ký).",
            "The PDF has no number fields (added before the signer signs).",
            code="no_number_fields",
        )
    try:
        w = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        fonts = {
            False: GlyphAccumulatorFactory(serif_font_path(), font_size=13).create_font_engine(w, obj_stream=None),
            True: GlyphAccumulatorFactory(serif_italic_font_path(), font_size=14).create_font_engine(
                w, obj_stream=None
            ),
        }
        for name, text in ((NUMBER_FIELD, number_text), (DATE_FIELD, date_text)):
            ref = _fields(w)[name]
            field = ref.get_object()
            italic = "/FI" in str(field.get("/DA", ""))
            engine = fonts[italic]
            x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
            wd, ht = x2 - x1, y2 - y1
            size = float(str(field.get("/DA", "/F1 13 Tf")).split()[1])
            engine.font_size = size  # type: ignore[assignment]
            shaped = engine.shape(text)
            width = shaped.x_advance * size
            if width > wd - 2:  # a long place name: smaller, never outside the field
                size = size * (wd - 2) / width
                engine.font_size = size  # type: ignore[assignment]
                shaped = engine.shape(text)
                width = shaped.x_advance * size
            baseline = ht * 0.35 / 1.4
            ops = [b"/Tx BMC q"]
            cover = field.get(_COVER)
            if cover is not None:
                c = [float(v) for v in cover]
                ops.append(b"1 1 1 rg %g %g %g %g re f" % (c[0] - x1, c[1] - y1, c[2] - c[0], c[3] - c[1]))
            ops.append(
                b"0 0 0 rg BT /F1 %g Tf 1 0 0 1 %g %g Tm " % (size, round((wd - width) / 2, 3), round(baseline, 3))
                + shaped.graphics_ops
                + b" ET Q EMC"
            )
            ap = generic.StreamObject(
                {
                    pdf_name("/Type"): pdf_name("/XObject"),
                    pdf_name("/Subtype"): pdf_name("/Form"),
                    pdf_name("/BBox"): _array((0, 0, wd, ht)),
                    pdf_name("/Resources"): generic.DictionaryObject(
                        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): engine.as_resource()})}
                    ),
                },
                stream_data=b"\n".join(ops),
            )
            field[pdf_name("/V")] = pdf_string(text)
            field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): w.add_object(ap)})
            w.mark_update(ref)
        for engine in fonts.values():
            engine.prepare_write()
        out = io.BytesIO()
        w.write(out)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(
            "Không ghi được số và ngày vào văn bản.", f"Cannot fill the number fields: {exc}", code="fill_failed"
        ) from exc
    return out.getvalue()
