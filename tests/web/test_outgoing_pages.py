"""Outgoing pages as each person sees them: permissions, refusals as messages, exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def new_draft(office, sample_pdf, subject="V/v tổng kết công tác năm 2026", file_name="du-thao.pdf"):
    """Tuấn's công văn for Minh to sign, to Lan's unit."""
    return services.create_draft(
        office.tuan.user,
        DraftData(
            subject=subject,
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name=file_name,
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )


@pytest.fixture
def doc(office, sample_pdf):
    return new_draft(office, sample_pdf)


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_officer_creates_a_draft_through_the_form(client, office, sample_pdf):
    login(client, "tuan")
    page = client.get(reverse("web:outgoing_new")).content.decode()
    assert "Soạn văn bản mới" in page and "Trích yếu nội dung" in page
    upload = io.BytesIO(sample_pdf)
    upload.name = "cong-van.pdf"
    response = client.post(
        reverse("web:outgoing_new"),
        {
            "subject": "V/v họp giao ban tháng 12",
            "document_type": DocumentType.objects.get(code="cong-van").pk,
            "signer": office.minh.pk,
            "unit": office.tuan.unit.pk,
            "copies": 2,
            "main_file": upload,
            "units": [office.lan.unit.pk],
            "agency_codes": "000.00.03.H99",
            "emails": "Công ty A <vanthu@congtya.vn>",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã tạo dự thảo." in page
    assert "Sở Khoa học và Công nghệ" in page and "vanthu@congtya.vn" in page and "Văn phòng Sở" in page


def test_agency_picker_finds_agencies_without_diacritics(client, office):
    login(client, "tuan")
    page = client.get(reverse("web:agency_picker"), {"q": "khoa hoc"}).content.decode()
    assert "Sở Khoa học và Công nghệ" in page and "000.00.03.H99" in page


def test_another_agencys_people_get_404(client, doc):
    login(client, "hoa")  # Sở KH&CN
    assert client.get(reverse("web:outgoing", args=[doc.pk])).status_code == 404
    assert client.post(reverse("web:outgoing_action", args=[doc.pk, "trinh"])).status_code == 404


def test_outsider_gets_404_not_500(client, doc):
    login(client, "ke.la")
    assert client.get(reverse("web:outgoing", args=[doc.pk])).status_code == 404
    assert client.get(reverse("web:outgoing_list")).status_code == 404


def test_clerk_does_not_see_a_draft_before_it_is_signed(client, doc):
    login(client, "lan")
    assert client.get(reverse("web:outgoing", args=[doc.pk])).status_code == 404


def test_an_illegal_step_is_a_vietnamese_message_and_changes_nothing(client, doc):
    login(client, "minh")  # leader tries to approve a draft not submitted
    response = client.post(reverse("web:outgoing_action", args=[doc.pk, "duyet"]), follow=True)
    assert response.status_code == 200
    assert "Không thể “duyệt” văn bản đang ở trạng thái “Dự thảo”" in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == "du-thao"


def test_officer_sees_no_sign_form_but_the_signer_does(client, office, doc):
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    login(client, "tuan")
    assert 'id="sign-form"' not in client.get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    client.logout()
    login(client, "minh")
    page = client.get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    assert 'id="sign-form"' in page


def test_signing_from_the_page_shows_the_signature_check(client, office, doc):
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    login(client, "minh")
    response = client.post(reverse("web:outgoing_action", args=[doc.pk, "ky"]), {"source": "server"}, follow=True)
    page = response.content.decode()
    assert "Đã ký số văn bản." in page
    assert 'Kiểm tra chữ ký số: <span class="ok">hợp lệ</span>' in page
    assert "Trần Quang Minh" in page


def issued(office, doc):
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    services.seal_document(office.lan.user, doc)
    services.issue(office.lan.user, doc)
    doc.refresh_from_db()
    return doc


def test_register_page_and_excel_export_have_the_spec_columns(client, office, doc):
    issued(office, doc)
    login(client, "lan")
    page = client.get(reverse("web:outgoing_register")).content.decode()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in page and "01/SNV-CCVC" in page
    response = client.get(reverse("web:outgoing_register"), {"xuat": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[2]]
    assert header == [
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung văn bản",
        "Người ký",
        "Nơi nhận văn bản",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ]
    row = [c.value for c in ws[3]]
    assert row[0] == "01/SNV-CCVC"
    assert row[2] == "Công văn: V/v tổng kết công tác năm 2026"
    assert row[3] == "Trần Quang Minh" and row[4] == "Văn phòng Sở"
    assert ws["B3"].is_date and ws["B3"].number_format == "dd/mm/yyyy"  # a date Excel sorts, not text
    assert ws["B3"].value.date() == doc.__class__.objects.get(pk=doc.pk).issued_on
    assert row[6] == 1  # số lượng bản: a number


def test_register_pdf_export_is_a_pdf_with_vietnamese_text(client, office, doc, tmp_path):
    import subprocess

    issued(office, doc)
    login(client, "lan")
    response = client.get(reverse("web:outgoing_register"), {"xuat": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "so.pdf"
    path.write_bytes(response.content)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(raw.split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "01/SNV-CCVC" in text and "Trần Quang Minh" in text


def test_officer_may_not_open_the_register(client, office):
    login(client, "tuan")
    assert client.get(reverse("web:outgoing_register")).status_code == 404


def test_a_file_keeps_its_vietnamese_name_and_a_quote_cannot_break_the_header(client, office, sample_pdf):
    from email.message import Message

    name = 'Tờ trình "khẩn" số 1.pdf'
    draft = new_draft(office, sample_pdf, subject="V/v thử tên tệp", file_name=name)
    login(client, "tuan")
    stored = draft.versions.get().file
    response = client.get(reverse("web:outgoing_file", args=[draft.pk, stored.sha256]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\n" not in header and '"khẩn"' not in header
    message = Message()
    message["Content-Disposition"] = header
    assert message.get_filename() == name  # what the browser saves the file as
