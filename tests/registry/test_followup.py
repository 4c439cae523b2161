"""Deadline extensions (gia hạn) and follow-ups (đôn đốc) of incoming documents."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from vanban.registry.errors import InvalidDocument, TransitionRefused
from vanban.registry.models import Reminder
from vanban.registry.services import followup, incoming
from vanban.workdays import default_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(office, sample_pdf):
    office.tuan.user.email = "tuan@snv.example.gov.vn"
    office.tuan.user.save()
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Công ty A", subject="V/v đề nghị cấp phép", data=sample_pdf, name="scan.pdf"
    )
    incoming.register(office.lan.user, doc)
    incoming.assign(
        office.minh.user,
        doc,
        incoming.AssignmentData(lead_person=office.tuan, deadline=timezone.localdate() + dt.timedelta(days=10)),
    )
    doc.refresh_from_db()
    return doc


def test_the_lead_asks_for_more_time_and_the_leader_approves(office, assigned):
    old = assigned.deadline
    ext = followup.request_extension(office.tuan.user, assigned, old + dt.timedelta(days=5), "Chờ ý kiến Sở Xây dựng")
    with pytest.raises(InvalidDocument):  # one pending request at a time
        followup.request_extension(office.tuan.user, assigned, old + dt.timedelta(days=6), "Lý do khác")
    with pytest.raises(TransitionRefused):
        followup.decide_extension(office.lan.user, ext, approve=True)
    followup.decide_extension(office.minh.user, ext, approve=True, note="Đồng ý")
    assigned.refresh_from_db()
    assert assigned.deadline == old + dt.timedelta(days=5)
    assert assigned.extensions.get().state == "dong-y"


def test_a_refused_extension_keeps_the_deadline(office, assigned):
    old = assigned.deadline
    ext = followup.request_extension(office.tuan.user, assigned, old + dt.timedelta(days=3), "Thiếu hồ sơ")
    followup.decide_extension(office.minh.user, ext, approve=False, note="Đề nghị hoàn thành đúng hạn")
    assigned.refresh_from_db()
    assert assigned.deadline == old


def test_only_the_lead_asks_and_only_for_a_later_date(office, assigned):
    with pytest.raises(TransitionRefused):
        followup.request_extension(office.lan.user, assigned, assigned.deadline + dt.timedelta(days=2), "x")
    with pytest.raises(InvalidDocument):
        followup.request_extension(office.tuan.user, assigned, assigned.deadline, "x")


def test_leader_follow_up_is_e_mailed_to_the_lead(office, assigned, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        followup.remind(office.minh.user, assigned, "Báo cáo tiến độ trước thứ Sáu.")
    [message] = mail.outbox
    assert message.to == ["tuan@snv.example.gov.vn"] and "Báo cáo tiến độ" in message.body


def test_automatic_reminders_one_working_day_before_and_after_the_deadline(office, assigned):
    cal = default_calendar()
    day_before = assigned.deadline
    while cal.working_days_between(day_before, assigned.deadline) != 1:
        day_before -= dt.timedelta(days=1)
    assert followup.send_deadline_reminders(day_before) == 1
    assert followup.send_deadline_reminders(day_before) == 0  # once a day
    after = assigned.deadline + dt.timedelta(days=1)
    assert followup.send_deadline_reminders(after) == 1
    assert list(Reminder.objects.order_by("created_at").values_list("kind", flat=True)) == ["sap-den-han", "qua-han"]
    assert len(mail.outbox) == 2 and "quá hạn" in mail.outbox[1].body


def test_a_deputy_assigns_under_delegation_and_both_names_show(office, sample_pdf):
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Công ty B", subject="V/v xin ý kiến", data=sample_pdf, name="scan.pdf"
    )
    incoming.register(office.lan.user, doc)
    with pytest.raises(TransitionRefused):
        incoming.assign(office.tuan.user, doc, incoming.AssignmentData(lead_person=office.tuan))
    today = timezone.localdate()
    followup.delegate(office.minh.user, office.tuan, "phan-cong", today, today + dt.timedelta(days=3))
    incoming.assign(office.tuan.user, doc, incoming.AssignmentData(lead_person=office.tuan))
    change = doc.history.get(action="assign")
    assert change.actor_name == "Vũ Anh Tuấn (thừa ủy quyền Trần Quang Minh)"


def test_a_delegation_ends_by_itself(office, sample_pdf):
    from vanban.registry.models import Delegation

    doc = incoming.upload_paper(
        office.lan.user, sender_name="Công ty C", subject="V/v báo cáo", data=sample_pdf, name="scan.pdf"
    )
    incoming.register(office.lan.user, doc)
    today = timezone.localdate()
    Delegation.objects.create(
        delegator=office.minh,
        deputy=office.tuan,
        scope="phan-cong",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today - dt.timedelta(days=1),
    )
    with pytest.raises(TransitionRefused):
        incoming.assign(office.tuan.user, doc, incoming.AssignmentData(lead_person=office.tuan))


def test_a_deputy_may_sign_in_the_signers_place(office, sample_pdf):
    from vanban.directory.models import DocumentType
    from vanban.registry import services
    from vanban.registry.services import DraftData

    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v ủy quyền ký",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    today = timezone.localdate()
    with pytest.raises(TransitionRefused):
        services.sign_document(office.tuan.user, doc)
    followup.delegate(office.minh.user, office.tuan, "ky", today, today)
    services.sign_document(office.tuan.user, doc)
    assert doc.history.get(action="sign").actor_name == "Vũ Anh Tuấn (thừa ủy quyền Trần Quang Minh)"
