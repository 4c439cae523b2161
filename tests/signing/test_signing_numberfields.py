"""The number and date written into a signed PDF (form filling between the signer's
signature and the seal): where they go, what pdftotext reads, and that both signatures
still hold (validate_pdf and pdfsig), while any other change is caught."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.signing.test_signing_pdfsig import nssdir, run_pdfsig  # noqa: F401  (nssdir is a fixture)
from vanban.signing import (
    KeyFileSigner,
    SigningError,
    add_number_fields,
    document_date_text,
    fill_number_fields,
    find_number_places,
    has_number_fields,
    make_sample_pdf,
    seal_pdf,
    sign_pdf,
    validate_pdf,
)

NUMBER = "Số: 13/UBND-VP1"
DATE = "Quảng Ninh, ngày 02 tháng 12 năm 2026"


@pytest.fixture(scope="module")
def draft():
    return make_sample_pdf(title="CÔNG VĂN", agency_name="ỦY BAN NHÂN DÂN TỈNH", number="Số:      /UBND-VP1")


@pytest.fixture(scope="module")
def signed_with_fields(draft, chairman, signature_png) -> bytes:
    return sign_pdf(add_number_fields(draft.pdf), KeyFileSigner(chairman), image=signature_png, box=draft.signature_box)


@pytest.fixture(scope="module")
def numbered(signed_with_fields) -> bytes:
    return fill_number_fields(signed_with_fields, NUMBER, DATE)


@pytest.fixture(scope="module")
def issued(numbered, agency, seal_png) -> bytes:
    return seal_pdf(numbered, KeyFileSigner(agency), seal_image=seal_png)


def _text(pdf: bytes, tmp_path: Path, region: tuple[int, int, int, int] | None = None) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    crop = []
    if region is not None:  # x, y from the top left, width, height, in points
        crop = ["-x", str(region[0]), "-y", str(region[1]), "-W", str(region[2]), "-H", str(region[3])]
    proc = subprocess.run([tool, "-f", "1", "-l", "1", *crop, str(path), "-"], capture_output=True, text=True)
    return " ".join(proc.stdout.split())


def test_the_date_is_written_as_nghi_dinh_30_writes_it() -> None:
    assert document_date_text(date(2026, 12, 2), "Quảng Ninh") == "Quảng Ninh, ngày 02 tháng 12 năm 2026"
    assert document_date_text(date(2026, 2, 5), "Hạ Long") == "Hạ Long, ngày 05 tháng 02 năm 2026"
    assert document_date_text(date(2026, 3, 15), "") == "Ngày 15 tháng 3 năm 2026"


def test_the_places_are_the_number_line_and_under_the_motto(draft) -> None:
    number, day = find_number_places(draft.pdf)
    assert number.cover is not None and number.cover[0] < 100 < 200 < number.cover[2]  # "Số:      /UBND-VP1"
    assert number.rect[0] < 150 < number.rect[2] < 297.5 and number.rect[1] < 760 < number.rect[3]
    assert day.italic and day.cover is None and 297.5 < day.rect[0] < 420 < day.rect[2]
    assert day.rect[3] < 774  # below the motto's baseline


def test_fields_are_added_once_and_only_before_a_signature(draft, signed_with_fields, signed) -> None:
    once = add_number_fields(draft.pdf)
    assert has_number_fields(once) and not has_number_fields(draft.pdf)
    assert add_number_fields(once) == once
    assert add_number_fields(signed) == signed  # a field added after a signature would break it


def test_pdftotext_reads_the_number_and_the_date_at_their_places(issued, tmp_path) -> None:
    left_header = _text(issued, tmp_path, (0, 40, 297, 60))
    right_header = _text(issued, tmp_path, (298, 40, 297, 60))
    assert NUMBER in left_header and DATE not in left_header
    assert DATE in right_header and NUMBER not in right_header


def test_both_signatures_stay_valid_and_the_signer_sees_only_form_filling(issued, roots) -> None:
    result = validate_pdf(issued, roots)
    assert result.verdict == "valid", result.report_vi()
    signer, seal = result.signatures
    assert (signer.intact, signer.modification_level) == (True, "form_filling")
    assert {"SoKyHieu", "NgayBanHanh"} <= set(signer.changed_fields_after)
    assert (seal.kind, seal.intact, seal.coverage) == ("agency", True, "whole_document")


def test_pdfsig_finds_both_signatures_valid(pdfsig, nssdir, issued, tmp_path) -> None:  # noqa: F811
    code, out = run_pdfsig(pdfsig, nssdir, issued, tmp_path)
    assert code == 0, out
    assert len(re.findall(r"^Signature #\d+:", out, re.M)) == 2, out
    assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_a_numbered_pdf_changed_otherwise_is_caught(numbered, edits, agency, seal_png, roots) -> None:
    changed = seal_pdf(edits.append_content_change(numbered), KeyFileSigner(agency), seal_image=seal_png)
    result = validate_pdf(changed, roots)
    assert result.verdict == "invalid"
    assert [p.code for p in result.signatures[0].problems] == ["forbidden_change"]


def test_the_number_cannot_be_filled_in_after_the_seal(issued, roots) -> None:
    again = fill_number_fields(issued, "Số: 14/UBND-VP1", DATE)
    result = validate_pdf(again, roots)
    assert result.verdict == "invalid"
    assert "forbidden_change" in [p.code for p in result.signatures[1].problems]


def test_a_pdf_without_number_fields_is_refused(signed) -> None:
    with pytest.raises(SigningError) as exc:
        fill_number_fields(signed, NUMBER, DATE)
    assert exc.value.code == "no_number_fields"
    assert "chỗ ghi số" in exc.value.message_vi


def test_a_drafters_date_placeholder_is_the_date_place(chairman, signature_png, tmp_path) -> None:
    doc = make_sample_pdf(number="Số:      /UBND-VP1", date_line="Quảng Ninh, ngày      tháng      năm 2026")
    _number, day = find_number_places(doc.pdf)
    assert day.cover is not None and day.cover[0] < 340 and day.cover[2] > 500  # the whole placeholder line
    assert abs(day.rect[1] + 0.35 * day.font_size - 752) < 0.01  # on its baseline
    signed = sign_pdf(add_number_fields(doc.pdf), KeyFileSigner(chairman), image=signature_png, box=doc.signature_box)
    right_header = _text(fill_number_fields(signed, NUMBER, DATE), tmp_path, (298, 40, 297, 60))
    assert DATE in right_header
