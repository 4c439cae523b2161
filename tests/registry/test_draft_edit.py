"""Correcting a draft (sửa dự thảo) through the flow engine, and the missing-recipient check."""

import datetime as dt

import pytest

from vanban.audit.models import AuditEvent
from vanban.directory.models import DocumentType, UrgencyLevel
from vanban.registry import services
from vanban.registry.errors import InvalidDocument, TransitionRefused
from vanban.registry.services import DraftData, DraftEdit, RecipientData

pytestmark = pytest.mark.django_db


def draft(office, sample_pdf, recipients=None):
    return services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v báo cáo tổng kết năm 2026",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            recipients=[] if recipients is None else recipients,
        ),
    )


def correction(office, **extra):
    values = dict(
        subject="V/v báo cáo tổng kết công tác năm 2026",
        document_type=DocumentType.objects.get(code="cong-van"),
        signer=office.minh,
        urgency=UrgencyLevel.objects.order_by("rank").first(),
        due_date=dt.date(2026, 12, 20),
        recipients=[RecipientData(unit_id=office.lan.unit.pk), RecipientData(agency_code="000.00.03.H99")],
    )
    values.update(extra)
    return DraftEdit(**values)


def returned(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    return services.return_draft(office.minh.user, doc, "Thiếu nơi nhận")


def test_the_drafter_corrects_a_returned_draft_and_it_stays_returned(office, sample_pdf):
    doc = returned(office, sample_pdf)
    services.edit_draft(office.tuan.user, doc, correction(office))
    doc.refresh_from_db()
    assert doc.state == "tra-lai"
    assert doc.subject == "V/v báo cáo tổng kết công tác năm 2026"
    assert doc.due_date == dt.date(2026, 12, 20) and doc.urgency is not None
    assert sorted(r.name for r in doc.recipients.all()) == ["Sở Khoa học và Công nghệ", "Văn phòng Sở"]


def test_a_correction_writes_a_history_row_and_the_audit_event(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.edit_draft(office.tuan.user, doc, correction(office))
    row = doc.history.order_by("-pk").first()
    assert (row.action, row.old_state, row.new_state, row.actor_name) == ("edit", "du-thao", "du-thao", "Vũ Anh Tuấn")
    assert "nơi nhận" in row.reason and "trích yếu" in row.reason
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_username) == ("registry.outgoing.edited", "tuan")
    assert event.before["recipients"] == [] and len(event.after["recipients"]) == 2


def test_a_submitted_draft_cannot_be_corrected(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    events = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        services.edit_draft(office.tuan.user, doc, correction(office))
    assert exc.value.message_vi == "Không thể “sửa dự thảo” văn bản đang ở trạng thái “Đang trình duyệt”."
    doc.refresh_from_db()
    assert doc.recipients.count() == 0 and AuditEvent.objects.count() == events


def test_only_the_drafter_corrects_a_draft(office, sample_pdf):
    doc = draft(office, sample_pdf)
    with pytest.raises(TransitionRefused) as exc:
        services.edit_draft(office.minh.user, doc, correction(office))
    assert "người soạn thảo" in exc.value.message_vi


def test_a_correction_is_checked_as_a_new_draft_is(office, sample_pdf):
    doc = draft(office, sample_pdf)
    with pytest.raises(InvalidDocument) as exc:
        services.edit_draft(office.tuan.user, doc, correction(office, signer=office.hoa))
    assert "lãnh đạo của cơ quan bạn" in exc.value.message_vi
    doc.refresh_from_db()
    assert doc.signer == office.minh and doc.recipients.count() == 0


def test_a_draft_without_recipients_is_pointed_out(office, sample_pdf):
    doc = draft(office, sample_pdf)
    assert services.missing_recipients(doc)
    with pytest.raises(InvalidDocument) as exc:
        services.require_recipients(doc)
    assert exc.value.message_vi.startswith("Văn bản chưa có nơi nhận.")


def test_a_document_without_recipients_is_not_issued(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    services.seal_document(office.lan.user, doc)
    with pytest.raises(InvalidDocument) as exc:
        services.issue(office.lan.user, doc)
    assert exc.value.code == "no_recipient"
