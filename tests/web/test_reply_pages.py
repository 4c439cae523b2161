"""“Soạn văn bản trả lời” from an incoming document: the new-draft form opens prefilled
(subject, the sender as recipient, the document named), the draft is linked to it, and each
page shows the other."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry.models import IncomingDocument, OutgoingDocument
from vanban.registry.services import incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
SUBJECT = "V/v đề nghị cử cán bộ tham gia tổ công tác chuyển đổi số"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def asked(office, sample_pdf):
    """A letter of Sở KH&CN entered from paper, registered and assigned to Tuấn."""
    doc = incoming.upload_paper(
        office.lan.user,
        sender_name="Sở Khoa học và Công nghệ",
        subject=SUBJECT,
        data=sample_pdf,
        name="cv-57.pdf",
        code_number="57",
        code_notation="SKHCN-CĐS",
    )
    IncomingDocument.objects.filter(pk=doc.pk).update(sender_code="000.00.03.H99")
    doc.refresh_from_db()
    incoming.register(office.lan.user, doc)
    return incoming.assign(office.minh.user, doc, incoming.AssignmentData(lead_person=office.tuan))


def test_the_lead_opens_a_reply_prefilled_from_the_incoming_document(client, office, asked):
    page = login(client, "tuan").get(reverse("web:incoming", args=[asked.pk])).content.decode()
    link = f"{reverse('web:outgoing_new')}?tra-loi={asked.pk}"
    assert f'id="reply" href="{link}"' in page
    form = client.get(link).content.decode()
    assert "Trả lời văn bản đến" in form and "57/SKHCN-CĐS" in form
    assert SUBJECT in form  # the subject, to edit
    assert "Sở Khoa học và Công nghệ (000.00.03.H99)" in form  # the sender chosen as recipient


def test_the_reply_draft_and_the_incoming_document_show_each_other(client, office, asked, sample_pdf):
    client = login(client, "tuan")
    response = client.post(
        reverse("web:outgoing_new"),
        {
            "reply_to": asked.pk,
            "subject": "V/v cử cán bộ tham gia tổ công tác chuyển đổi số",
            "document_type": DocumentType.objects.get(code="cong-van").pk,
            "signer": office.minh.pk,
            "unit": office.tuan.unit.pk,
            "copies": 1,
            "main_file": SimpleUploadedFile("tra-loi.pdf", sample_pdf),
            "agency_codes": "000.00.03.H99",
        },
        follow=True,
    )
    page = response.content.decode()
    reply = OutgoingDocument.objects.get()
    assert reply.reply_to == asked
    assert "Trả lời văn bản đến:" in page and reverse("web:incoming", args=[asked.pk]) in page
    back = client.get(reverse("web:incoming", args=[asked.pk])).content.decode()
    assert "Văn bản trả lời:" in back and reverse("web:outgoing", args=[reply.pk]) in back


def test_the_incoming_document_shows_the_status_its_answer_got_back(client, office, asked, sample_pdf):
    from vanban.registry import services
    from vanban.registry.services import DraftData, RecipientData

    reply = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v cử cán bộ",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(agency_code="000.00.03.H99")],
            reply_to=asked,
        ),
    )
    reply.recipients.update(last_status="03")  # as the sync writes it when 03 comes back
    page = login(client, "tuan").get(reverse("web:incoming", args=[asked.pk])).content.decode()
    assert "Sở Khoa học và Công nghệ: 03 Đã tiếp nhận" in page


def test_a_reply_to_a_document_of_another_agency_is_not_found(client, office, asked):
    response = login(client, "hoa").get(f"{reverse('web:outgoing_new')}?tra-loi={asked.pk}")
    assert response.status_code == 404


def test_a_refused_document_offers_no_reply(client, office, sample_pdf):
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Công ty A", subject="Thư chào hàng", data=sample_pdf, name="a.pdf"
    )
    incoming.refuse(office.lan.user, doc, "Không thuộc thẩm quyền")
    page = login(client, "lan").get(reverse("web:incoming", args=[doc.pk])).content.decode()
    assert 'id="reply"' not in page
