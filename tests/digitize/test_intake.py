"""What is refused before any OCR, with which code and message, and the PDF that already
has text (not recognised again). None of these runs the OCR engine."""

from __future__ import annotations

import io
import struct
import zlib

import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image

from vanban.digitize import DigitizeError, DigitizeOptions, digitize


def _refused(data: bytes, options: DigitizeOptions | None = None) -> DigitizeError:
    with pytest.raises(DigitizeError) as caught:
        digitize(data, options=options)
    assert caught.value.message_vi and caught.value.message_en
    return caught.value


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _blank_pdf(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_an_empty_file_is_refused():
    error = _refused(b"")
    assert error.code == "empty_file"
    assert "rỗng" in error.message_vi


def test_a_file_that_is_neither_image_nor_pdf_is_refused():
    error = _refused("Kính gửi: Sở Nội vụ\n".encode())
    assert error.code == "not_image_or_pdf"
    assert "không phải ảnh quét" in error.message_vi


def test_an_encrypted_pdf_is_refused():
    pdf = pikepdf.open(io.BytesIO(_blank_pdf(1)))
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="chu", user="khach"))
    error = _refused(buf.getvalue())
    assert error.code == "encrypted_pdf"
    assert "mã hóa" in error.message_vi


def test_a_png_declaring_a_huge_picture_is_refused_before_decoding():
    # 100,000 × 100,000 pixels declared, a few bytes of data: a decompression bomb
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
    png += _png_chunk(b"IEND", b"")
    error = _refused(png)
    assert error.code == "decompression_bomb"
    assert "quá lớn" in error.message_vi


def test_a_tiff_page_over_the_pixel_limit_is_refused():
    buf = io.BytesIO()
    Image.new("L", (400, 300), 255).save(buf, "TIFF", compression="tiff_deflate")
    error = _refused(buf.getvalue(), DigitizeOptions(max_pixels=100_000))
    assert error.code == "decompression_bomb"


def test_a_pdf_whose_stream_inflates_enormously_is_refused():
    pdf = pikepdf.open(io.BytesIO(_blank_pdf(1)))
    squeezer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    packed = b"".join(squeezer.compress(chunk) for _ in range(64)) + squeezer.flush()  # 64 MiB in ~64 KiB
    stream = pikepdf.Stream(pdf, packed)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=False)
    error = _refused(buf.getvalue(), DigitizeOptions(max_inflated_bytes=16 << 20))
    assert error.code == "decompression_bomb"


def test_a_file_over_the_page_limit_is_refused():
    error = _refused(_blank_pdf(3), DigitizeOptions(max_pages=2))
    assert error.code == "too_many_pages"
    assert "3 trang" in error.message_vi and "2 trang" in error.message_vi


def test_a_multi_page_tiff_over_the_page_limit_is_refused():
    frames = [Image.new("L", (64, 64), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    assert _refused(buf.getvalue(), DigitizeOptions(max_pages=2)).code == "too_many_pages"


def test_a_pdf_that_already_has_text_is_not_recognised_again():
    pdf = FPDF()
    pdf.add_font("serif", fname="/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    pdf.add_page()
    pdf.set_font("serif", size=13)
    pdf.multi_cell(0, 8, "UBND TỈNH QUẢNG NINH\nSỞ NỘI VỤ\nSố: 13/SNV-VP\nV/v số hóa văn bản đến")
    data = bytes(pdf.output())
    result = digitize(data)
    assert not result.ocr_done
    assert result.pdf == data  # given back as it is
    assert "đã có lớp chữ" in result.message_vi and "không nhận dạng" in result.message_vi
    assert result.fields.number_notation.value == "13/SNV-VP"
    assert result.pages[0].confidence == 1.0


def test_a_pdf_whose_page_pdfium_cannot_load_is_refused_with_a_vietnamese_message():
    """The page tree says 3 pages and holds 1: pdfium fails on page 2 (PdfiumError before)."""
    from testkit.hostile import _pdf

    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 3 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )
    error = _refused(pdf)
    assert error.code == "unreadable_pdf"
    assert error.message_vi.startswith("Không đọc được trang 2 của tệp PDF")


def test_a_decompression_bomb_pdf_is_refused_by_the_preflight_check():
    from testkit.hostile import bomb_pdf

    error = _refused(bomb_pdf())
    assert error.code == "decompression_bomb" and error.message_vi.startswith("Tệp PDF giải nén quá lớn")
