"""The printed slips: the processing slip of an incoming document and the submission slip of
a draft, as PDFs whose text (pdftotext) carries what the desk needs."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData, incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def text_of(response, tmp_path) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "slip.pdf"
    path.write_bytes(response.content)
    assert shutil.which("pdftotext"), "poppler-utils"
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_the_processing_slip_shows_the_register_data_instructions_and_assignment(client, office, sample_pdf, tmp_path):
    doc = incoming.upload_paper(
        office.lan.user,
        sender_name="Công ty Cổ phần Than Hà Lầm",
        subject="V/v đề nghị hỗ trợ thủ tục đất đai",
        data=sample_pdf,
        name="a.pdf",
        code_number="125",
        code_notation="THL-VP",
    )
    incoming.register(office.lan.user, doc)
    incoming.assign(
        office.minh.user,
        doc,
        incoming.AssignmentData(lead_person=office.tuan, instructions="Tham mưu văn bản trả lời trong tuần."),
    )
    page = login(client, "tuan").get(reverse("web:incoming", args=[doc.pk])).content.decode()
    assert 'id="processing-slip"' in page
    text = text_of(client.get(reverse("web:incoming_slip", args=[doc.pk])), tmp_path)
    assert "PHIẾU XỬ LÝ VĂN BẢN ĐẾN" in text and "Số đến: 01" in text
    assert "Công ty Cổ phần Than Hà Lầm" in text and "125/THL-VP" in text
    assert "Tham mưu văn bản trả lời trong tuần." in text and "Chủ trì: Vũ Anh Tuấn" in text


def test_the_submission_slip_shows_the_draft_its_signer_and_the_comments(client, office, sample_pdf, tmp_path):
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v tổng kết công tác năm 2026",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.comment(office.minh.user, doc, "Bổ sung số liệu quý IV.")
    text = text_of(login(client, "tuan").get(reverse("web:outgoing_slip", args=[doc.pk])), tmp_path)
    assert "PHIẾU TRÌNH" in text and "Kính trình: Trần Quang Minh" in text
    assert "V/v tổng kết công tác năm 2026" in text and "Vũ Anh Tuấn" in text
    assert "Trần Quang Minh: Bổ sung số liệu quý IV." in text and "Đồng ý ký ban hành" in text


def test_a_slip_of_another_agencys_document_is_not_found(client, office, sample_pdf):
    doc = incoming.upload_paper(office.lan.user, sender_name="A", subject="B", data=sample_pdf, name="a.pdf")
    assert login(client, "hoa").get(reverse("web:incoming_slip", args=[doc.pk])).status_code == 404
