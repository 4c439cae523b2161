"""The sender's reply deadline (hạn trả lời): on the sender's page, and from the envelope to
the recipient's clerk and leader at registration and assignment."""

import datetime as dt

import pytest
from django.urls import reverse

from vanban.connector.accounts import set_account
from vanban.connector.arrival import receive_package
from vanban.connector.models import OutboxItem
from vanban.directory import services as directory
from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.models import IncomingDocument
from vanban.registry.services import DraftData, RecipientData, incoming
from vanban.registry.setup import ensure_registers

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
DUE = dt.date(2026, 12, 28)


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def exchange(office, sample_pdf, registry_pki):
    """Sở Nội vụ issues a công văn to Sở KH&CN asking for an answer by 28/12/2026; it arrives."""
    for key, agency in (("snv", office.so_noi_vu), ("skhcn", office.so_khcn)):
        p12, _ = registry_pki.files[key]
        set_account(None, agency, hub_url="http://127.0.0.1:9/hub/v1/", token="id.secret", signing_key_path=str(p12))
    ensure_registers(office.so_khcn)
    for username, name, role in (("vt.khcn", "Phan Thị Mai", "van-thu"), ("ld.khcn", "Hồ Đức Thắng", "lanh-dao")):
        directory.create_person(
            None,
            username=username,
            password=PASSWORD,
            full_name=name,
            agency=office.so_khcn,
            unit=office.hoa.unit,
            roles=[role],
        )
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v góp ý dự thảo quy chế",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            due_date=DUE,
            recipients=[RecipientData(agency_code="000.00.03.H99")],
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    services.seal_document(office.lan.user, doc)
    services.issue(office.lan.user, doc)
    receive_package(office.so_khcn, bytes(OutboxItem.objects.get(document_ref=f"registry.outgoing:{doc.pk}").package))
    assert incoming.take_received_packages() == 1
    return doc, IncomingDocument.objects.get()


def test_the_sender_sees_the_reply_deadline_on_the_outgoing_page(client, exchange):
    outgoing, _ = exchange
    page = login(client, "tuan").get(reverse("web:outgoing", args=[outgoing.pk])).content.decode()
    assert "Hạn trả lời" in page and "trả lời trước ngày 28/12/2026" in page


def test_the_recipients_clerk_sees_the_reply_deadline_when_registering(client, exchange):
    _, doc = exchange
    assert doc.sender_due_date == DUE
    page = login(client, "vt.khcn").get(reverse("web:incoming", args=[doc.pk])).content.decode()
    assert "Vào sổ văn bản đến" in page and 'id="reply-deadline"' in page and "28/12/2026" in page


def test_the_recipients_leader_sees_the_reply_deadline_when_assigning(client, exchange):
    _, doc = exchange
    login(client, "vt.khcn").post(reverse("web:incoming_action", args=[doc.pk, "vao-so"]))
    page = login(client, "ld.khcn").get(reverse("web:incoming", args=[doc.pk])).content.decode()
    assert 'id="assign-form"' in page and "Hạn trả lời nơi gửi yêu cầu: <strong>28/12/2026</strong>" in page


def test_the_incoming_list_shows_the_reply_deadline(client, exchange):
    page = login(client, "vt.khcn").get(reverse("web:incoming_list")).content.decode()
    assert "Hạn trả lời: 28/12/2026" in page
