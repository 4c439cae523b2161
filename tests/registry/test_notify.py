"""Notifications: each step tells the people it concerns — the signer of a draft to review,
the drafter of a returned draft, the clerks of a signed document and of a new arrival, the
leaders of a registered document, the people assigned — never the person who took the step,
and by e-mail (a real SMTP server here) to those who asked."""

import email
import socket

import pytest

from vanban.directory.models import DocumentType
from vanban.registry import notify, services
from vanban.registry.models import Notification
from vanban.registry.services import DraftData, RecipientData, incoming

from .test_replies import accounts, asked  # noqa: F401 - fixtures: a document from Sở KH&CN through the hub

pytestmark = pytest.mark.django_db


def texts(person) -> list[str]:
    return [n.text for n in Notification.objects.filter(person=person).order_by("id")]


def draft(office, sample_pdf, subject="V/v tổng kết công tác năm 2026"):
    return services.create_draft(
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


def test_the_signer_hears_of_a_draft_to_review_and_the_drafter_of_its_return(office, sample_pdf):
    doc = services.submit(office.tuan.user, draft(office, sample_pdf))
    assert texts(office.minh) == ["Dự thảo chờ bạn duyệt: V/v tổng kết công tác năm 2026"]
    services.return_draft(office.minh.user, doc, "Bổ sung số liệu quý IV")
    assert texts(office.tuan) == ["Dự thảo bị trả lại: V/v tổng kết công tác năm 2026 – Bổ sung số liệu quý IV"]
    assert Notification.objects.get(person=office.tuan).url == f"/van-ban-di/{doc.pk}/"


def test_the_clerk_hears_of_a_signed_document(office, sample_pdf):
    doc = services.approve(office.minh.user, services.submit(office.tuan.user, draft(office, sample_pdf)))
    services.sign_document(office.minh.user, doc)
    assert texts(office.lan) == ["Văn bản đã ký chờ cấp số, phát hành: V/v tổng kết công tác năm 2026"]


def test_an_arrival_the_register_and_the_assignment_each_tell_their_people(office, sample_pdf):
    doc = incoming.upload_paper(
        office.lan.user,
        sender_name="Công ty Than Hà Lầm",
        subject="V/v hỗ trợ thủ tục đất đai",
        data=sample_pdf,
        name="a.pdf",
    )
    incoming.register(office.lan.user, doc)
    assert texts(office.minh) == ["Văn bản đến chờ phân công: V/v hỗ trợ thủ tục đất đai"]
    doc = incoming.assign(
        office.minh.user, doc, incoming.AssignmentData(lead_person=office.tuan, informed=[office.lan])
    )
    told = f"Bạn được giao văn bản đến: V/v hỗ trợ thủ tục đất đai (hạn xử lý {doc.deadline:%d/%m/%Y})"
    assert texts(office.tuan) == [told]
    assert told in texts(office.lan)


def test_the_clerks_hear_of_a_document_arriving_through_the_hub(office, asked):  # noqa: F811 - the fixture
    assert texts(office.lan)[-1] == f"Văn bản đến mới từ Sở Khoa học và Công nghệ: {asked.subject}"


def test_the_person_who_took_the_step_is_not_told(office, sample_pdf):
    doc = incoming.upload_paper(office.lan.user, sender_name="A", subject="V/v thử", data=sample_pdf, name="a.pdf")
    incoming.register(office.lan.user, doc)
    assert not any("V/v thử" in t for t in texts(office.lan))  # Lan entered and registered it herself


def test_another_agency_hears_nothing(office, sample_pdf):
    services.submit(office.tuan.user, draft(office, sample_pdf))
    assert texts(office.hoa) == [] and texts(office.son) == []


def test_unread_and_read(office, sample_pdf):
    services.submit(office.tuan.user, draft(office, sample_pdf, "V/v một"))
    services.submit(office.tuan.user, draft(office, sample_pdf, "V/v hai"))
    assert notify.unread_count(office.minh) == 2
    first = Notification.objects.filter(person=office.minh).first()
    assert notify.mark_read(office.minh, first.pk) == 1 and notify.unread_count(office.minh) == 1
    assert notify.mark_read(office.minh) == 1 and notify.unread_count(office.minh) == 0


def test_a_person_who_asked_gets_the_notification_by_e_mail(
    office, sample_pdf, settings, django_capture_on_commit_callbacks
):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    office.minh.user.email = "minh@snv.example.gov.vn"
    office.minh.user.save()
    notify.set_email(office.minh, True)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.VANBAN_SITE_URL = "https://vanban.example.gov.vn"
        with django_capture_on_commit_callbacks(execute=True):
            doc = services.submit(office.tuan.user, draft(office, sample_pdf))
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["minh@snv.example.gov.vn"]
    message = email.message_from_bytes(envelope.content)
    body = message.get_payload(decode=True).decode()
    assert "Dự thảo chờ bạn duyệt" in body and f"https://vanban.example.gov.vn/van-ban-di/{doc.pk}/" in body
