"""Ký số hàng loạt: the leader ticks the approved documents waiting for the signature, enters
the key's password once, and each is signed (two valid signatures later, one audit event
each); one that cannot be signed is named with the reason and the others are signed."""

import pytest
from django.urls import reverse

from vanban.audit.models import AuditEvent
from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.models import OutgoingDocument
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def approved(office, sample_pdf, subject):
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject=subject,
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.submit(office.tuan.user, doc)
    return services.approve(office.minh.user, doc)


@pytest.fixture
def three(office, sample_pdf):
    return [approved(office, sample_pdf, f"V/v báo cáo công tác tháng {m}") for m in (9, 10, 11)]


def test_the_leader_signs_the_ticked_documents_at_once(client, office, three):
    client = login(client, "minh")
    page = client.get(reverse("web:batch_sign")).content.decode()
    assert all(d.subject in page for d in three)
    response = client.post(
        reverse("web:batch_sign"),
        {"van_ban": [three[0].pk, three[2].pk], "source": "server", "password": ""},
        follow=True,
    )
    assert "Đã ký số 2 văn bản." in response.content.decode()
    states = {d.pk: d.state for d in OutgoingDocument.objects.all()}
    assert [states[d.pk] for d in three] == ["da-ky", "da-duyet", "da-ky"]
    signed_events = AuditEvent.objects.filter(action="registry.outgoing.signed")
    assert sorted(int(e.object_id) for e in signed_events) == sorted([three[0].pk, three[2].pk])


def test_a_document_that_cannot_be_signed_is_named_and_the_others_are_signed(client, office, three):
    services.cancel(office.tuan.user, three[1], "Không ban hành nữa")  # cancelled meanwhile, in another tab
    response = login(client, "minh").post(
        reverse("web:batch_sign"), {"van_ban": [d.pk for d in three], "source": "server", "password": ""}, follow=True
    )
    page = response.content.decode()
    assert "Đã ký số 2 văn bản." in page
    assert f"Chưa ký “{three[1].subject}”: văn bản không còn chờ bạn ký." in page
    assert OutgoingDocument.objects.get(pk=three[1].pk).state == "da-huy"


def test_nothing_ticked_says_so(client, office, three):
    page = login(client, "minh").post(reverse("web:batch_sign"), {"source": "server"}).content.decode()
    assert "Hãy chọn văn bản cần ký." in page
    assert not OutgoingDocument.objects.filter(state="da-ky").exists()


def test_an_officer_has_no_batch_signing(client, office, three):
    assert login(client, "tuan").get(reverse("web:batch_sign")).status_code == 404
