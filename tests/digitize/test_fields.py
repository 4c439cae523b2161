"""The register fields read from an administrative document's text (Nghị định 30/2020)."""

from __future__ import annotations

import datetime

import pytest

from testkit import scans
from vanban.digitize import digitize, extract_fields

HEADER = """UBND TỈNH QUẢNG NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 13/SNV-VP Quảng Ninh, ngày 05 tháng 3 năm 2026
V/v số hóa văn bản đến
bằng giấy năm 2026

Kính gửi: Các sở, ban, ngành thuộc tỉnh.
"""


def test_a_cong_van_gives_every_field():
    fields = extract_fields(HEADER)
    assert fields.agency.value == "SỞ NỘI VỤ"
    assert (fields.number.value, fields.notation.value) == (13, "SNV-VP")
    assert fields.number_notation.value == "13/SNV-VP"
    assert fields.place.value == "Quảng Ninh"
    assert fields.date.value == datetime.date(2026, 3, 5)
    assert (fields.doc_type.value, fields.doc_type_name.value) == ("cong-van", "Công văn")
    assert fields.subject.value == "V/v số hóa văn bản đến bằng giấy năm 2026"
    assert all(0 < getattr(fields, name).confidence <= 1 for name in fields.found())


def test_ocr_noise_in_the_labels_is_tolerated_at_a_lower_confidence():
    noisy = HEADER.replace("Số:", "S6:").replace("ngày 05 tháng 3 năm", "ngay 05 thang 3 nam")
    fields = extract_fields(noisy)
    assert fields.number_notation.value == "13/SNV-VP"
    assert fields.date.value == datetime.date(2026, 3, 5)
    assert fields.number.confidence < extract_fields(HEADER).number.confidence


def test_a_number_and_a_date_quoted_in_the_body_are_not_the_documents():
    fields = extract_fields("Thực hiện Kế hoạch số 125/KH-UBND ngày 12 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh")
    assert not fields.number.found and not fields.date.found
    assert fields.number.confidence == 0


def test_the_year_in_the_number_makes_a_normative_decision():
    text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\nSố: 05/2026/QĐ-UBND Hải Phòng, ngày 25 tháng 3 năm 2026\n\nQUYẾT ĐỊNH\nBan hành Quy định\n"
    fields = extract_fields(text)
    assert fields.doc_type.value == "qppl-quyet-dinh"
    assert fields.agency.value == "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
    assert fields.notation.value == "2026/QĐ-UBND"


def test_the_document_type_codes_are_the_projects_reference_data():
    import json
    from pathlib import Path

    from vanban.digitize.fields import rules

    reference = Path(__file__).resolve().parents[2] / "src/vanban/directory/data/reference.json"
    codes = {t["code"] for t in json.loads(reference.read_text(encoding="utf-8"))["document_types"]}
    used = {t["code"] for t in rules()["doc_types"]} | set(rules()["abbreviations"].values()) | {"cong-van"}
    assert used <= codes


@pytest.mark.slow
def test_fields_read_from_scans_of_twenty_documents(document_scans):
    docs, tiff = document_scans
    assert len(docs) >= 20 and len({d.doc_type for d in docs}) >= 15
    result = digitize(tiff)
    right = total = 0
    misses = []
    for doc, page in zip(docs, result.pages):
        wrong = scans.field_misses(extract_fields(page.text), doc)
        total += len(scans.expected_fields(doc))
        right += len(scans.expected_fields(doc)) - len(wrong)
        misses += [(doc.number_notation, *m) for m in wrong]
    print(f"\nfields exactly right: {right}/{total} = {right / total:.1%} on {len(docs)} scanned documents")
    for miss in misses:
        print("  wrong:", miss)
    assert right / total >= 0.95
