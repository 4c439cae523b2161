"""The clerk's uses of a finished scan: the register form pre-filled from the fields read,
registered through the paper arrival pipeline and the flow; attached to a paper-only
document; a secret one registered on paper only; a certified electronic copy."""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.scanning.conftest import login
from vanban.audit.models import AuditEvent
from vanban.registry.models import IncomingDocument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _value(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*?(?:value="([^"]*)"[^>]*)?>([^<]*)', page)
    assert found, name
    return found.group(1) if found.group(1) is not None else found.group(2).strip()


def _selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    found = re.search(r'<option value="(\d*)" selected>', select.group(0))
    return found.group(1) if found else ""


def _form(page: str) -> dict:
    """The register form as the page pre-fills it."""
    form = {n: _value(page, n) for n in ("sender_name", "code_number", "code_notation", "issued_on", "subject")}
    return {**form, "document_type": _selected(page, "document_type"), "secrecy": _selected(page, "secrecy")}


def _checked(page: str, secret: bool = False) -> dict:
    """The form as the clerk sends it after checking it against the paper: what the scan
    did not give is typed in (here from the generated document's truth)."""
    from tests.scanning.conftest import doc_of

    truth = doc_of("cong-van", secret=secret)
    form = _form(page)
    form["sender_name"] = form["sender_name"] or truth.agency
    form["subject"] = form["subject"] or truth.subject_text
    return form


def _streams(xobj, depth: int = 0) -> bytes:
    """An appearance stream with the forms it draws."""
    data = xobj.data + repr(dict(xobj)).encode()
    for sub in xobj.get("/Resources", {}).get("/XObject", {}).values():
        if depth < 4:
            data += _streams(sub.get_object(), depth + 1)
    return data


def test_the_register_form_is_pre_filled_from_the_scan(client, digitized, cong_van, searchable_pdf):
    job = digitized("cong-van.pdf", searchable_pdf)
    page = client.get(f"/so-hoa/{job.pk}/").content.decode()
    form = _form(page)
    # what the scan shows (the header the OCR reads reliably) ...
    assert form["code_number"] == str(cong_van.number)
    assert form["code_notation"] == cong_van.notation
    assert form["issued_on"] == f"{cong_van.day:02d}/{cong_van.month:02d}/{cong_van.year}"
    assert re.search(r'<option value="\d+" selected>Công văn</option>', page)
    # ... and every field as it was read, for the clerk to check
    assert form["sender_name"] == job.field("agency")[0] and form["subject"] == job.field("subject")[0]
    assert f'src="/so-hoa/{job.pk}/tep/"' in page  # the PDF beside the form


def test_low_confidence_fields_are_highlighted(client, digitized, searchable_pdf):
    from vanban.scanning.services import low_confidence_fields

    job = digitized("cong-van.pdf", searchable_pdf)
    job.fields.pop("date", None)  # as if the date could not be read on this scan
    job.save(update_fields=["fields"])
    page = client.get(f"/so-hoa/{job.pk}/").content.decode()
    highlighted = set(
        re.findall(r'name="(\w+)"[^>]*class="low-confidence"|class="low-confidence"[^>]*name="(\w+)"', page)
    )
    names = {a or b for a, b in highlighted}
    assert "issued_on" in names and names == low_confidence_fields(job)


def test_registering_makes_a_digitized_incoming_paper_document(client, digitized, cong_van, searchable_pdf):
    job = digitized("cong-van.pdf", searchable_pdf)
    form = _checked(client.get(f"/so-hoa/{job.pk}/").content.decode())
    response = client.post(f"/so-hoa/{job.pk}/nhap-van-ban-den/", {**form, "register_now": "on"}, follow=True)
    page = response.content.decode()
    assert "Đã nhập văn bản đến bản giấy (bản số hóa) và vào sổ, số đến 01." in page
    doc = IncomingDocument.objects.get()
    assert doc.source == "ban-giay" and doc.paper_copy and doc.so_den == "01" and doc.register.name == "Sổ văn bản đến"
    assert doc.so_ky_hieu == f"{cong_van.number}/{cong_van.notation}" and doc.type_name == "Công văn"
    assert doc.confidence_level == "02" and doc.digitized_file.sha256 == job.pdf_sha256
    assert doc.scan_original.read() == searchable_pdf
    assert "Bản số hóa" in page and "02 số hóa" in page
    job.refresh_from_db()
    assert job.document == doc and job.outcome == "nhap-van-ban-den"
    assert [h.action for h in doc.history.all()] == ["receive", "register"]
    actions = list(AuditEvent.objects.filter(object_type="registry.incomingdocument").values_list("action", flat=True))
    assert actions == ["registry.incoming.received", "registry.incoming.registered"]


def test_a_job_is_used_once(client, digitized, searchable_pdf):
    job = digitized("cong-van.pdf", searchable_pdf)
    form = _checked(client.get(f"/so-hoa/{job.pk}/").content.decode())
    client.post(f"/so-hoa/{job.pk}/nhap-van-ban-den/", form)
    page = client.post(f"/so-hoa/{job.pk}/nhap-van-ban-den/", form, follow=True).content.decode()
    assert "Bản quét này đã được dùng (đã nhập văn bản đến)." in page
    assert IncomingDocument.objects.count() == 1


def test_attach_to_a_paper_document_entered_without_a_scan(client, digitized, searchable_pdf):
    login(client, "lan")
    client.post(
        "/van-ban-den/nhap-ban-giay/",
        {"sender_name": "Sở Nội vụ tỉnh Quảng Ninh", "subject": "V/v số hóa văn bản đến bằng giấy năm 2026"},
    )
    paper = IncomingDocument.objects.get()
    assert paper.main_file is None and paper.awaits_digitized_copy
    job = digitized("cong-van.pdf", searchable_pdf)
    page = client.get(f"/so-hoa/{job.pk}/").content.decode()
    assert f'<option value="{paper.pk}">' in page
    page = client.post(f"/so-hoa/{job.pk}/gan-ban-so-hoa/", {"document": paper.pk}, follow=True).content.decode()
    assert "Đã gắn bản số hóa vào văn bản đến bản giấy." in page
    paper.refresh_from_db()
    assert paper.digitized_file.sha256 == job.pdf_sha256 == paper.main_file.sha256
    assert paper.confidence_level == "02" and paper.scan_original.read() == searchable_pdf
    assert [h.action for h in paper.history.all()] == ["receive", "attach_digitized"]
    assert AuditEvent.objects.filter(action="registry.incoming.digitized", object_id=str(paper.pk)).exists()


def test_a_secret_scan_is_registered_on_paper_only(client, digitized, secret_pdf):
    job = digitized("mat.pdf", secret_pdf)
    page = client.get(f"/so-hoa/{job.pk}/").content.decode()
    assert "attach-form" not in page and "<iframe" not in page
    assert re.search(r'<option value="\d+" selected>Mật</option>', page)
    client.post(f"/so-hoa/{job.pk}/nhap-van-ban-den/", {**_checked(page, secret=True), "register_now": "on"})
    doc = IncomingDocument.objects.get()
    assert doc.secrecy.name == "Mật" and doc.register.name == "Sổ văn bản đến mật"
    assert doc.main_file is None and doc.digitized_file is None and doc.scan_original is None


def test_a_certified_copy_is_sealed_with_the_copy_appearance(client, office, registry_pki, digitized, searchable_pdf):
    from vanban.signing import load_trust_roots, signature_boxes, validate_pdf

    job = digitized("cong-van.pdf", searchable_pdf)
    form = _checked(client.get(f"/so-hoa/{job.pk}/").content.decode())
    client.post(f"/so-hoa/{job.pk}/nhap-van-ban-den/", {**form, "register_now": "on"})
    doc = IncomingDocument.objects.get()
    page = client.post(f"/van-ban-den/{doc.pk}/ban-sao-dien-tu/", follow=True).content.decode()
    assert "Đã tạo bản sao điện tử, ký số của cơ quan." in page
    copy = doc.certified_copies.get()
    assert copy.confidence_level == "02" and copy.agency == office.so_noi_vu and copy.made_by == office.lan
    data = client.get(f"/van-ban-den/{doc.pk}/ban-sao/{copy.pk}/").content
    result = validate_pdf(data, load_trust_roots([registry_pki.root_pem]))
    assert result.verdict == "valid", result.report_vi()
    (check,) = result.signatures
    assert check.kind == "agency" and check.agency_code == office.so_noi_vu.code
    ((name, box),) = signature_boxes(data)
    assert name.startswith("DauSaoY") and box.page == 0
    box_of_page = PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"][0]["/MediaBox"]
    width, height = float(box_of_page[2]), float(box_of_page[3])
    # top right of the first page, inside the 36 pt margin
    assert box.x2 == pytest.approx(width - 36) and box.y2 == pytest.approx(height - 36) and box.x1 > width / 2
    ap = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0].sig_field["/AP"]["/N"]
    raw = _streams(ap)
    assert b"/Image" not in raw and b" 10 Tf" in raw  # text only, 10 pt
    assert [h.action for h in doc.history.all()][-1] == "certify_copy"
    assert AuditEvent.objects.filter(action="registry.incoming.copy_certified").count() == 1
