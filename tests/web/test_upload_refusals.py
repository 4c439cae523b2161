"""Files the upload forms refuse: a clear Vietnamese message on the page, never an error
page, and nothing stored (no row, no bytes in the file store)."""

import io

import pikepdf
import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry.models import IncomingDocument, OutgoingDocument, StoredFile

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
ENCRYPTED = "Tệp PDF được đặt mật khẩu nên không mở được"


@pytest.fixture
def encrypted_pdf(sample_pdf) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="chu-so-huu", user="nguoi-doc"))
    return out.getvalue()


def _file(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _kept(settings) -> tuple[int, list[str]]:
    """The stored-file rows and the files in the file store."""
    from pathlib import Path

    root = Path(settings.FILES_DIR)
    return StoredFile.objects.count(), sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_password_protected_pdf_entered_as_paper_gets_a_message(client, office, encrypted_pdf, settings):
    before = _kept(settings)
    assert client.login(username="lan", password=PASSWORD)
    form = {"sender_name": "Công ty A", "code_number": "1", "code_notation": "CTA", "issued_on": "20/11/2026"}
    response = client.post(
        reverse("web:incoming_paper"), {**form, "subject": "V/v thử", "file": _file(encrypted_pdf, "mat.pdf")}
    )
    assert response.status_code == 200 and ENCRYPTED in response.content.decode()
    assert not IncomingDocument.objects.exists() and _kept(settings) == before


def _post_draft(client, office, main_file):
    """Tuấn's draft of a công văn with ``main_file``, as the new-draft form sends it."""
    return client.post(
        reverse("web:outgoing_new"),
        {
            "subject": "V/v thử",
            "document_type": DocumentType.objects.get(code="cong-van").pk,
            "signer": office.minh.pk,
            "unit": office.tuan.unit.pk,
            "copies": 1,
            "main_file": main_file,
            "units": [office.lan.unit.pk],
        },
    )


def test_a_password_protected_pdf_as_a_draft_gets_a_message(client, office, encrypted_pdf, settings):
    before = _kept(settings)
    assert client.login(username="tuan", password=PASSWORD)
    response = _post_draft(client, office, _file(encrypted_pdf, "mat.pdf"))
    assert response.status_code == 200 and ENCRYPTED in response.content.decode()
    assert not OutgoingDocument.objects.exists() and _kept(settings) == before


def test_a_refused_word_file_leaves_nothing_in_the_file_store(office, settings):
    from vanban.registry.errors import InvalidDocument
    from vanban.registry.files import accept_main_file

    before = _kept(settings)
    with pytest.raises(InvalidDocument):
        accept_main_file(b"PK\x03\x04 not really a word file", "to-trinh.docx")
    assert _kept(settings) == before


def test_a_request_declaring_a_body_over_the_limit_is_refused_before_it_is_read(client, office, settings):
    settings.VANBAN_MAX_REQUEST_BYTES = 10_000
    assert client.login(username="lan", password=PASSWORD)
    response = client.post(reverse("web:incoming_paper"), {"file": _file(b"%PDF-" + b"0" * 20_000, "to.pdf")})
    assert response.status_code == 413 and "Tệp gửi lên quá lớn" in response.content.decode()
    api = client.post("/hub/v1/packages", b"x" * 20_000, content_type="application/xml")
    assert api.status_code == 413 and api.json()["code"] == "too_large"


def test_a_file_over_the_form_limit_is_refused_from_its_size(client, office, settings):
    from vanban.registry.files import MAX_UPLOAD_BYTES

    before = _kept(settings)
    assert client.login(username="lan", password=PASSWORD)
    big = _file(b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES, "rat-lon.pdf")
    form = {"sender_name": "Công ty A", "code_number": "1", "code_notation": "CTA", "issued_on": "20/11/2026"}
    response = client.post(reverse("web:incoming_paper"), {**form, "subject": "V/v thử", "file": big})
    assert (
        response.status_code == 200
        and "Tệp quá lớn" in response.content.decode()
        and "tối đa 50 MB" in response.content.decode()
    )
    assert not IncomingDocument.objects.exists() and _kept(settings) == before


BOMB = "Tệp PDF giải nén quá lớn"


def test_a_decompression_bomb_entered_as_paper_gets_a_message_and_nothing_is_kept(client, office, settings):
    from testkit.hostile import bomb_pdf

    before = _kept(settings)
    assert client.login(username="lan", password=PASSWORD)
    form = {"sender_name": "Công ty A", "code_number": "1", "code_notation": "CTA", "issued_on": "20/11/2026"}
    response = client.post(
        reverse("web:incoming_paper"), {**form, "subject": "V/v thử", "file": _file(bomb_pdf(), "bom.pdf")}
    )
    assert response.status_code == 200 and BOMB in response.content.decode()
    assert not IncomingDocument.objects.exists() and _kept(settings) == before


def test_a_decompression_bomb_as_a_draft_gets_a_message_and_nothing_is_kept(client, office, settings):
    from testkit.hostile import bomb_pdf

    before = _kept(settings)
    assert client.login(username="tuan", password=PASSWORD)
    response = _post_draft(client, office, _file(bomb_pdf(), "bom.pdf"))
    assert response.status_code == 200 and BOMB in response.content.decode()
    assert not OutgoingDocument.objects.exists() and _kept(settings) == before


@pytest.mark.parametrize("case", ["inflate-bomb", "encrypted", "looping-page-tree"])
def test_a_hostile_scan_upload_gets_a_message_and_no_job_nor_file(client, office, settings, sample_pdf, case):
    from testkit import hostile
    from vanban.scanning.models import ScanJob

    data = next(h.data for h in hostile.pdfs(sample_pdf) if h.name == case)
    before = _kept(settings)
    assert client.login(username="lan", password=PASSWORD)
    response = client.post(reverse("web:scan_list"), {"files": [_file(data, "ban-quet.pdf")]}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "Tệp “ban-quet.pdf” bị từ chối" in page
    expected = {"inflate-bomb": BOMB, "encrypted": ENCRYPTED, "looping-page-tree": "Cây trang của tệp PDF"}[case]
    assert expected in page
    assert not ScanJob.objects.exists() and _kept(settings) == before


def test_a_scan_declared_over_the_limit_is_refused_before_it_is_read(client, office, settings):
    from vanban.scanning.models import ScanJob

    settings.VANBAN_SCAN_MAX_BYTES = 10_000
    before = _kept(settings)
    assert client.login(username="lan", password=PASSWORD)
    big = _file(b"%PDF-1.7\n" + b"0" * 20_000, "rat-lon.pdf")
    response = client.post(reverse("web:scan_list"), {"files": [big]}, follow=True)
    assert "Tệp “rat-lon.pdf” quá lớn" in response.content.decode()
    assert not ScanJob.objects.exists() and _kept(settings) == before


def test_the_pdf_limits_setting_applies_to_the_forms(client, office, settings, sample_pdf):
    """VANBAN_PDF_LIMITS (here: at most 3 objects) is what the forms check against."""
    settings.VANBAN_PDF_LIMITS = {"max_objects": 3}
    assert client.login(username="lan", password=PASSWORD)
    form = {"sender_name": "Công ty A", "code_number": "1", "code_notation": "CTA", "issued_on": "20/11/2026"}
    response = client.post(
        reverse("web:incoming_paper"), {**form, "subject": "V/v thử", "file": _file(sample_pdf, "cv.pdf")}
    )
    assert response.status_code == 200 and "Tệp PDF có quá nhiều đối tượng" in response.content.decode()
    assert not IncomingDocument.objects.exists()


@pytest.mark.parametrize("case", ["bomb-attached", "nested-arrays-attached"])
def test_an_e_mail_carrying_a_hostile_pdf_gets_a_message_and_nothing_is_kept(client, office, settings, case):
    from testkit import hostile

    data = next(h.data for h in hostile.emails() if h.name == case)
    before = _kept(settings)
    assert client.login(username="lan", password=PASSWORD)
    response = client.post(reverse("web:incoming_email"), {"eml": _file(data, "thu.eml")}, follow=True)
    page = response.content.decode()
    expected = {"bomb-attached": BOMB, "nested-arrays-attached": "cấu trúc lồng nhau quá sâu"}[case]
    assert response.status_code == 200 and expected in page
    assert not IncomingDocument.objects.exists() and _kept(settings) == before
