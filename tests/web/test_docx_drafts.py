"""A draft written in Word: the officer uploads a DOCX, LibreOffice (headless, installed by
the project's setup) turns it into the PDF that is signed, and the DOCX stays beside it as
the editable version; a file that is not really a Word document is refused with a message."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry.files import libreoffice
from vanban.registry.models import OutgoingDocument

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed: scripts/install adds it"),
]
PASSWORD = "mat-khau-thu-nghiem-2026"
TEXT = "TỜ TRÌNH về việc phê duyệt kế hoạch chuyển đổi số năm 2027"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(text: str) -> bytes:
    """A minimal, valid Word document with one paragraph (what Word itself reads)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{text}</w:t>'
            "</w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def post_draft(client, office, data: bytes, name: str):
    assert client.login(username="tuan", password=PASSWORD)
    return client.post(
        reverse("web:outgoing_new"),
        {
            "subject": "Tờ trình phê duyệt kế hoạch chuyển đổi số",
            "document_type": DocumentType.objects.get(code="to-trinh").pk,
            "signer": office.minh.pk,
            "unit": office.tuan.unit.pk,
            "copies": 1,
            "main_file": SimpleUploadedFile(name, data),
            "units": [office.lan.unit.pk],
        },
        follow=True,
    )


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    assert shutil.which("pdftotext")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_word_draft_becomes_the_pdf_that_is_signed_with_its_text(client, office, tmp_path):
    response = post_draft(client, office, docx(TEXT), "to-trinh.docx")
    assert "Đã tạo dự thảo." in response.content.decode()
    version = OutgoingDocument.objects.get().versions.get()
    assert version.file.content_type == "application/pdf" and version.file.name == "to-trinh.pdf"
    assert TEXT in " ".join(pdf_text(version.file.read(), tmp_path).split())


def test_the_word_file_is_kept_and_offered_as_the_editable_version(client, office):
    original = docx(TEXT)
    response = post_draft(client, office, original, "to-trinh.docx")
    version = OutgoingDocument.objects.get().versions.get()
    assert version.source.read() == original
    page = response.content.decode()
    link = reverse("web:outgoing_file", args=[version.document_id, version.source.sha256])
    assert f'href="{link}" class="source-file">to-trinh.docx' in page
    assert client.get(link).content == original


def test_a_file_that_is_not_really_a_word_document_is_refused_and_nothing_is_created(client, office):
    response = post_draft(client, office, b"PK\x03\x04 not really a word file", "to-trinh.docx")
    assert "Không chuyển được tệp sang PDF." in response.content.decode()
    assert not OutgoingDocument.objects.exists()
