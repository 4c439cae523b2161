"""Numbering writes the number, notation and date into the signed PDF before the seal; both
signatures hold afterwards (validate_pdf, pdfsig); a timestamp service makes them B-T."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from testkit.pkiservices import PKIServices
from tests.registry.test_outgoing_flow import draft, to_sealed, to_signed
from vanban.audit.models import AuditEvent
from vanban.registry import services
from vanban.signing import TestPKI, document_date_text, load_trust_roots, validate_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(office):
    office.so_noi_vu.place = "Hạ Long"
    office.so_noi_vu.save(update_fields=["place"])
    return office


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package poppler-utils)")
    return path


def _text(pdf: bytes, tmp_path, region: tuple[int, int, int, int]) -> str:
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf)
    x, y, w, h = (str(v) for v in region)
    proc = subprocess.run(
        [_tool("pdftotext"), "-f", "1", "-l", "1", "-x", x, "-y", y, "-W", w, "-H", h, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(proc.stdout.split())


def _draw_over_page(pdf: bytes) -> bytes:
    """An incremental update that paints over page 1: not form filling."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    w.add_stream_to_page(0, w.add_object(generic.StreamObject(stream_data=b"1 1 1 rg 60 640 480 40 re f\n")))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _roots(settings):
    return load_trust_roots([settings.VANBAN_TRUST_ROOTS])


def test_the_issued_pdf_shows_its_number_and_date_at_their_places(placed, sample_pdf, tmp_path) -> None:
    doc = to_sealed(placed, draft(placed, sample_pdf))
    pdf = doc.signed_file.read()
    today = timezone.localdate()
    assert doc.so_ky_hieu == "01/SNV-CCVC"
    left, right = _text(pdf, tmp_path, (0, 40, 297, 60)), _text(pdf, tmp_path, (298, 40, 297, 60))
    assert "Số: 01/SNV-CCVC" in left
    assert f"Hạ Long, ngày {today:%d} tháng" in right
    assert document_date_text(today, "Hạ Long") in right


def test_both_signatures_stay_valid_after_numbering_and_seal(placed, sample_pdf, settings, tmp_path) -> None:
    doc = to_sealed(placed, draft(placed, sample_pdf))
    pdf = doc.signed_file.read()
    result = validate_pdf(pdf, _roots(settings))
    assert result.verdict == "valid", result.report_vi()
    signer, seal = result.signatures
    assert (signer.kind, signer.intact, signer.modification_level) == ("person", True, "form_filling")
    assert (seal.kind, seal.intact, seal.coverage) == ("agency", True, "whole_document")
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_tool("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert len(re.findall(r"^Signature #\d+:", out, re.M)) == 2, out
    assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_numbering_stores_the_stamped_pdf_and_says_so_in_the_audit(placed, sample_pdf) -> None:
    doc = to_signed(placed, draft(placed, sample_pdf))
    signed_sha = doc.signed_file.sha256
    doc = services.number_document(placed.lan.user, doc)
    doc.refresh_from_db()
    assert doc.signed_file.sha256 != signed_sha
    event = AuditEvent.objects.filter(action="registry.outgoing.numbered").get()
    assert event.after["pdf_stamped"] is True and event.after["signed_sha256"] == doc.signed_file.sha256
    assert event.after["so_ky_hieu"] == "01/SNV-CCVC"


def test_a_numbered_pdf_changed_otherwise_is_caught(placed, sample_pdf, settings) -> None:
    doc = to_signed(placed, draft(placed, sample_pdf))
    doc = services.number_document(placed.lan.user, doc)
    doc.refresh_from_db()
    numbered = doc.signed_file.read()
    assert validate_pdf(numbered, _roots(settings)).verdict == "valid"
    changed = validate_pdf(_draw_over_page(numbered), _roots(settings))
    assert changed.verdict == "invalid"
    assert [p.code for p in changed.signatures[0].problems] == ["forbidden_change"]


def test_with_a_timestamp_service_both_signatures_carry_a_timestamp(placed, sample_pdf, settings, registry_pki) -> None:
    ca = TestPKI.load(registry_pki.root_pem.parent)  # the office's CA, its TSA certificate
    with PKIServices(ca, crl=False) as tsa:
        settings.VANBAN_SIGNING_TSA_URL = tsa.tsa_url
        doc = to_sealed(placed, draft(placed, sample_pdf))
        assert tsa.requests.count("/tsa") == 2
    result = validate_pdf(doc.signed_file.read(), _roots(settings))
    assert result.verdict == "valid", result.report_vi()
    for check in result.signatures:
        assert check.signing_time_source == "timestamp" and check.timestamp is not None and check.timestamp.valid


def test_a_draft_signed_elsewhere_is_numbered_without_writing_into_its_pdf(placed, registry_pki, settings) -> None:
    from vanban.signing import KeyFileSigner, make_sample_pdf, sign_pdf

    p12, _pem = registry_pki.files["tuan"]
    presigned = sign_pdf(make_sample_pdf(number="Số:      /SNV-CCVC").pdf, KeyFileSigner.from_pkcs12(p12))
    doc = to_signed(placed, draft(placed, presigned))
    signed_sha = doc.signed_file.sha256
    doc = services.number_document(placed.lan.user, doc)
    doc.refresh_from_db()
    assert doc.so_ky_hieu == "01/SNV-CCVC" and doc.signed_file.sha256 == signed_sha
    event = AuditEvent.objects.filter(action="registry.outgoing.numbered").get()
    assert event.after["pdf_stamped"] is False
    assert validate_pdf(doc.signed_file.read(), _roots(settings)).verdict == "valid"
