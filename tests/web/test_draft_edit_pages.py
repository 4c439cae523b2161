"""The correction page of a draft and the missing-recipient warnings, as the drafter sees them."""

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def new_draft(office, sample_pdf, recipients=()):
    return services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v họp giao ban tháng 12",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            recipients=list(recipients),
        ),
    )


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_correction_page_is_prefilled(client, office, sample_pdf):
    doc = new_draft(office, sample_pdf, [RecipientData(agency_code="000.00.03.H99")])
    page = login(client, "tuan").get(reverse("web:outgoing_edit", args=[doc.pk])).content.decode()
    assert "Sửa dự thảo" in page and "V/v họp giao ban tháng 12</textarea>" in page
    assert 'value="000.00.03.H99"' in page and "Sở Khoa học và Công nghệ (000.00.03.H99)" in page


def test_the_drafter_adds_the_missing_recipients_on_the_correction_page(client, office, sample_pdf):
    doc = new_draft(office, sample_pdf)
    response = login(client, "tuan").post(
        reverse("web:outgoing_edit", args=[doc.pk]),
        {
            "subject": "V/v họp giao ban tháng 12 năm 2026",
            "document_type": doc.document_type.pk,
            "signer": office.minh.pk,
            "due_date": "20/12/2026",
            "units": [office.lan.unit.pk],
            "agency_codes": "000.00.03.H99",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:outgoing", args=[doc.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Đã sửa dự thảo." in page and "Sở Khoa học và Công nghệ" in page and "Văn phòng Sở" in page
    assert "Văn bản chưa có nơi nhận" not in page


def test_a_correction_with_a_wrong_date_keeps_what_was_typed(client, office, sample_pdf):
    doc = new_draft(office, sample_pdf)
    page = login(client, "tuan").post(
        reverse("web:outgoing_edit", args=[doc.pk]),
        {"subject": "Trích yếu mới", "document_type": doc.document_type.pk, "signer": office.minh.pk, "due_date": "x"},
    )
    assert page.status_code == 200 and "Trích yếu mới</textarea>" in page.content.decode()
    doc.refresh_from_db()
    assert doc.subject == "V/v họp giao ban tháng 12"


def test_a_submitted_draft_shows_why_it_cannot_be_corrected(client, office, sample_pdf):
    doc = new_draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    page = login(client, "tuan").get(reverse("web:outgoing_edit", args=[doc.pk])).content.decode()
    assert "Không thể “sửa dự thảo” văn bản đang ở trạng thái “Đang trình duyệt”." in page
    assert 'id="draft-form"' not in page


def test_a_draft_without_recipients_is_marked_on_its_page(client, office, sample_pdf):
    doc = new_draft(office, sample_pdf)
    page = login(client, "tuan").get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    assert 'id="no-recipient"' in page and "Văn bản chưa có nơi nhận." in page
    assert reverse("web:outgoing_edit", args=[doc.pk]) in page


def test_submitting_a_draft_without_recipients_warns(client, office, sample_pdf):
    doc = new_draft(office, sample_pdf)
    response = login(client, "tuan").post(reverse("web:outgoing_action", args=[doc.pk, "trinh"]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Đã trình duyệt.", "Văn bản chưa có nơi nhận."]
