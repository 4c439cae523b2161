"""The one pre-flight check of PDFs against the shared hostile corpus (testkit.hostile):
each hostile PDF is refused with its own code and a Vietnamese message; ordinary documents
(a generated, a signed, a scanned one) pass with what they hold."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import img2pdf
import pytest
from PIL import Image, ImageDraw

from testkit import hostile
from testkit.fuzz import REGRESSIONS
from vanban.pdfguard import (
    PdfLimits,
    PdfRefused,
    PdfTooLargeInflated,
    check_pdf,
)
from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

EXPECTED = {
    "inflate-bomb": "pdf_too_large_inflated",
    "nested-arrays": "pdf_too_deep",
    "looping-page-tree": "pdf_page_loop",
    "many-objects": "pdf_too_many_objects",
    "encrypted": "pdf_encrypted",
    "truncated": "pdf_unreadable",
    "empty": "pdf_not_pdf",
    "png-named-pdf": "pdf_not_pdf",
    "elf-named-pdf": "pdf_not_pdf",
    "html-named-pdf": "pdf_not_pdf",
}
PLAIN = make_sample_pdf().pdf
CASES = hostile.pdfs(PLAIN)


def test_the_corpus_and_the_expectations_name_the_same_cases():
    assert sorted(c.name for c in CASES) == sorted(EXPECTED)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_hostile_pdf_is_refused_with_its_code_and_a_vietnamese_message(case):
    with pytest.raises(PdfRefused) as refused:
        check_pdf(case.data)
    assert refused.value.code == EXPECTED[case.name]
    assert any(ch in refused.value.message_vi for ch in "ệảđặ")  # Vietnamese, not an exception text
    assert refused.value.to_dict()["code"] == EXPECTED[case.name]


def test_the_bomb_says_it_is_too_large_once_inflated():
    with pytest.raises(PdfTooLargeInflated) as refused:
        check_pdf(hostile.bomb_pdf())
    assert refused.value.message_vi.startswith("Tệp PDF giải nén quá lớn")
    assert refused.value.details["limit"] == "stream"


def test_the_total_limit_counts_every_stream():
    """Three pages of 20 MB each: every stream within a 32 MB limit, not all within 48 MB."""
    limits = PdfLimits(max_stream_inflated=32 << 20, max_total_inflated=48 << 20)
    assert 19 << 20 < check_pdf(hostile.bomb_pdf(20 << 20), limits).inflated_bytes <= 20 << 20
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    pages = b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>"
    content = hostile._stream(hostile._deflate_bomb(20 << 20))
    three = hostile._pdf([catalog, pages, page % 6, page % 7, page % 8, content, content, content])
    with pytest.raises(PdfTooLargeInflated) as refused:
        check_pdf(three, limits)
    assert refused.value.details["limit"] == "total"


def test_an_ordinary_document_passes_with_what_it_holds(tmp_path):
    facts = check_pdf(PLAIN)
    assert facts.pages == 1 and facts.objects > 3 and 0 < facts.depth <= 10
    assert facts.inflated_bytes >= facts.largest_stream > 0
    path = tmp_path / "cong-van.pdf"
    path.write_bytes(PLAIN)
    assert check_pdf(path) == facts  # a path reads as the bytes do


def test_a_signed_pdf_passes(tmp_path):
    pki = TestPKI.create(tmp_path / "pki", now=datetime(2025, 1, 2, tzinfo=UTC))
    cert = pki.issue_agency("000.00.12.H53", "Ủy ban nhân dân tỉnh Thử Nghiệm", years=20)
    sealed = seal_pdf(PLAIN, KeyFileSigner(cert))
    assert check_pdf(sealed).pages == 1


def test_a_scanned_pdf_passes():
    """An A4 page at 300 dpi in colour, wrapped losslessly (its bitmap inflates to 26 MB)."""
    page = Image.new("RGB", (2480, 3508), "white")
    ImageDraw.Draw(page).text((200, 200), "CÔNG VĂN", fill="black")
    buf = io.BytesIO()
    page.save(buf, "PNG", dpi=(300, 300))
    facts = check_pdf(img2pdf.convert(buf.getvalue()))
    assert facts.pages == 1 and facts.largest_stream == (2480 * 3 + 1) * 3508  # a PNG filter byte a row


def test_limits_are_read_from_json_and_a_wrong_key_is_refused():
    limits = PdfLimits.from_json('{"max_pages": 3, "refuse_encrypted": false}')
    assert (limits.max_pages, limits.refuse_encrypted, limits.max_depth) == (3, False, PdfLimits().max_depth)
    assert PdfLimits.from_json("") == PdfLimits()
    for bad in ('{"max_pagez": 3}', '{"max_pages": -1}', '{"max_pages": "3"}', "[1]", "{"):
        with pytest.raises(Exception) as refused:
            PdfLimits.from_json(bad)
        assert getattr(refused.value, "code", "") == "bad_pdf_limits"


def test_a_page_limit_and_an_object_limit_apply():
    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(3):
            pdf.add_blank_page()
        pdf.save(out)
    assert check_pdf(out.getvalue()).pages == 3
    with pytest.raises(PdfRefused) as pages:
        check_pdf(out.getvalue(), PdfLimits(max_pages=2))
    assert pages.value.code == "pdf_too_many_pages" and "quá nhiều trang" in pages.value.message_vi
    with pytest.raises(PdfRefused) as objects:
        check_pdf(PLAIN, PdfLimits(max_objects=3))
    assert objects.value.code == "pdf_too_many_objects"


def test_nesting_under_qpdfs_own_limit_is_still_bounded():
    """Nesting of 150 (qpdf parses it, our limit is 100) and of 50 (accepted)."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"

    def nested(depth: int) -> bytes:
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /X " + b"[" * depth + b"]" * depth + b" >>"
        return hostile._pdf([catalog, pages, page])

    with pytest.raises(PdfRefused) as deep:
        check_pdf(nested(150))
    assert deep.value.code == "pdf_too_deep"
    assert check_pdf(nested(50)).depth == 51  # the page dictionary and 50 arrays


def _one_stream(data: bytes, filters: bytes) -> bytes:
    stream = b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return hostile._pdf([b"<< /Type /Catalog /Pages 2 0 R >>", hostile._PAGES, page, stream])


def test_chains_of_filters_are_measured_to_the_end():
    import base64
    import binascii
    import zlib

    content = b"0 0 m 1 1 l S\n" * 100_000
    flate = zlib.compress(content)
    for data, filters in [
        (binascii.hexlify(flate) + b">", b"[/ASCIIHexDecode /FlateDecode]"),
        (base64.a85encode(flate) + b"~>", b"[/ASCII85Decode /FlateDecode]"),
        (zlib.compress(flate), b"[/FlateDecode /FlateDecode]"),
    ]:
        assert check_pdf(_one_stream(data, filters)).inflated_bytes == len(content), filters
    # the bomb compressed once more: refused without inflating the outer layer's 1 GiB
    double = zlib.compress(hostile._deflate_bomb(hostile.BOMB_INFLATED_BYTES))
    with pytest.raises(PdfTooLargeInflated):
        check_pdf(_one_stream(double, b"[/FlateDecode /FlateDecode]"))


@pytest.mark.parametrize("path", sorted((REGRESSIONS / "pdf_intake").glob("*.pdf")), ids=lambda p: p.name)
def test_a_pdf_the_fuzzer_found_is_refused_as_unreadable_or_passes(path):
    """Files that once crashed a reader (qpdf's RuntimeError, a 64-bit overflow, a name that is
    not UTF-8): the check answers with a refusal or lets the file through, never a traceback."""
    try:
        check_pdf(path.read_bytes())
    except PdfRefused as exc:
        assert exc.code == "pdf_unreadable" and "Không đọc được tệp PDF" in exc.message_vi
