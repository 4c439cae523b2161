"""Deadlines of incoming documents after assignment: extension requests (gia hạn) with the
leader's decision, and follow-ups (đôn đốc) by a leader or automatically one working day
before the deadline and on each day after it, by e-mail and on the person's page."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from vanban.audit import AuditAction, record
from vanban.registry import flow
from vanban.registry.errors import InvalidDocument, TransitionRefused
from vanban.registry.models import ExtensionRequest, IncomingDocument, Reminder
from vanban.registry.services._common import person_of
from vanban.registry.states import IncomingState
from vanban.registry.transitions import allowed_by
from vanban.workdays import default_calendar

logger = logging.getLogger(__name__)
OPEN = [IncomingState.ASSIGNED, IncomingState.IN_PROGRESS]

__all__ = ["request_extension", "decide_extension", "remind", "send_deadline_reminders", "delegate"]


def _open_doc(doc: IncomingDocument) -> IncomingDocument:
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.state not in OPEN or doc.deadline is None:
        raise InvalidDocument(
            "Chỉ văn bản đã phân công, đang xử lý và có hạn mới gia hạn hay đôn đốc được.",
            "Only assigned documents with a deadline.",
            code="not_open",
        )
    return doc


@transaction.atomic
def request_extension(user, doc: IncomingDocument, new_deadline: dt.date, reason: str) -> ExtensionRequest:
    doc = _open_doc(doc)
    assert doc.deadline is not None  # _open_doc refuses a document without a deadline
    person = person_of(user)
    if not allowed_by(doc, person, "lead"):
        raise TransitionRefused(
            "Chỉ người hoặc đơn vị chủ trì xin gia hạn.", "Only the lead may ask.", code="not_allowed"
        )
    if new_deadline <= doc.deadline:
        raise InvalidDocument("Hạn đề nghị phải sau hạn hiện tại.", "The new deadline must be later.", code="not_later")
    if not reason.strip():
        raise InvalidDocument("Hãy ghi lý do xin gia hạn.", "A reason is required.", code="reason_required")
    if doc.extensions.filter(state=ExtensionRequest.PENDING).exists():
        raise InvalidDocument(
            "Đã có đề nghị gia hạn đang chờ lãnh đạo quyết định.", "One request is pending.", code="pending_request"
        )
    ext = ExtensionRequest.objects.create(
        document=doc,
        requested_by=person,
        old_deadline=doc.deadline,
        new_deadline=new_deadline,
        reason=reason.strip()[:1000],
    )
    record(
        user,
        AuditAction.INCOMING_EXTENSION_REQUESTED,
        doc,
        after={"old": doc.deadline.isoformat(), "new": new_deadline.isoformat(), "reason": ext.reason},
    )
    return ext


@transaction.atomic
def decide_extension(user, ext: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    ext = ExtensionRequest.objects.select_for_update().select_related("document").get(pk=ext.pk)
    person = person_of(user)
    if person.agency_id != ext.document.agency_id or not person.has_role("lanh-dao"):
        raise TransitionRefused(
            "Chỉ lãnh đạo cơ quan quyết định gia hạn.", "Only a leader decides.", code="not_allowed"
        )
    if ext.state != ExtensionRequest.PENDING:
        raise InvalidDocument("Đề nghị gia hạn này đã được quyết định.", "Already decided.", code="decided")
    ext.state = ExtensionRequest.APPROVED if approve else ExtensionRequest.REFUSED
    ext.decided_by, ext.decided_at, ext.decision_note = person, timezone.now(), note.strip()[:1000]
    ext.save()
    doc = ext.document
    if approve:
        doc.deadline = ext.new_deadline
        doc.save(update_fields=["deadline", "updated_at"])
        flow.changed(flow.INCOMING_FLOW, doc)  # the deadline decides on time, late, overdue
    # the request was made on a document with a deadline (_open_doc), and nothing clears one
    assert doc.deadline is not None
    record(
        user,
        AuditAction.INCOMING_EXTENSION_DECIDED,
        doc,
        after={"approved": approve, "deadline": doc.deadline.isoformat(), "note": ext.decision_note},
    )
    return ext


def _recipients_of(doc: IncomingDocument) -> list[str]:
    emails = []
    for a in doc.assignments.filter(role="chu-tri").select_related("person__user", "unit"):
        if a.person is not None:
            people = [a.person]
        else:
            assert a.unit is not None  # assignment_has_target: a unit where there is no person
            people = list(a.unit.people.select_related("user"))
        emails += [p.user.email for p in people if p.user.email]
    return emails


def _notify(reminder: Reminder) -> None:
    doc = reminder.document
    to = _recipients_of(doc)
    if not to:
        return
    try:
        send_mail(
            f"[Đôn đốc] {doc.so_ky_hieu or 'Văn bản đến'}: {doc.subject[:120]}",
            f"{reminder.message}\n\nHạn xử lý: {doc.deadline:%d/%m/%Y}.",
            settings.DEFAULT_FROM_EMAIL,
            to,
        )
    except Exception as exc:  # SMTP trouble: the reminder stays on the page
        logger.warning("reminder e-mail failed: %s", type(exc).__name__)


@transaction.atomic
def remind(user, doc: IncomingDocument, message: str = "") -> Reminder:
    doc = _open_doc(doc)
    person = person_of(user)
    if person.agency_id != doc.agency_id or not person.has_role("lanh-dao"):
        raise TransitionRefused("Chỉ lãnh đạo đôn đốc xử lý.", "Only a leader follows up.", code="not_allowed")
    text = message.strip() or f"Đề nghị khẩn trương xử lý văn bản, hạn {doc.deadline:%d/%m/%Y}."
    reminder = Reminder.objects.create(
        document=doc, kind=Reminder.MANUAL, sent_by=person, message=text[:1000], on_day=timezone.localdate()
    )
    record(user, AuditAction.INCOMING_REMINDED, doc, after={"message": reminder.message})
    transaction.on_commit(lambda: _notify(reminder))
    return reminder


def send_deadline_reminders(today: dt.date | None = None) -> int:
    """Automatic follow-ups: one working day before the deadline, and each day after it.
    Safe to run often and in several workers (one automatic reminder per kind and day)."""
    today = today or timezone.localdate()
    calendar = default_calendar()
    made = 0
    for doc in IncomingDocument.objects.filter(state__in=OPEN, deadline__isnull=False):
        assert doc.deadline is not None  # the query keeps only documents with a deadline
        if doc.deadline < today:
            kind, text = Reminder.AFTER, f"Văn bản đã quá hạn xử lý (hạn {doc.deadline:%d/%m/%Y})."
        elif calendar.working_days_between(today, doc.deadline) == 1:
            kind, text = Reminder.BEFORE, f"Văn bản sắp đến hạn xử lý (hạn {doc.deadline:%d/%m/%Y})."
        else:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(document=doc, kind=kind, message=text, on_day=today)
                record(None, AuditAction.INCOMING_REMINDED, doc, after={"kind": kind})
        except IntegrityError:
            continue  # already reminded today
        _notify(reminder)
        made += 1
    return made


@transaction.atomic
def delegate(user, deputy, scope: str, starts_on: dt.date, ends_on: dt.date):
    """A leader lets ``deputy`` act in their place (assign or sign) for a period."""
    from vanban.registry.models import Delegation

    person = person_of(user)
    if not person.has_role("lanh-dao"):
        raise TransitionRefused("Chỉ lãnh đạo ủy quyền.", "Only a leader delegates.", code="not_allowed")
    if deputy.agency_id != person.agency_id or deputy.pk == person.pk:
        raise InvalidDocument(
            "Người được ủy quyền phải là người khác trong cơ quan của bạn.",
            "The deputy must be someone else in your agency.",
            code="bad_deputy",
        )
    if ends_on < starts_on or ends_on < timezone.localdate():
        raise InvalidDocument("Thời gian ủy quyền không hợp lệ.", "Invalid period.", code="bad_period")
    if scope not in (Delegation.ASSIGN, Delegation.SIGN):
        raise InvalidDocument("Phạm vi ủy quyền không hợp lệ.", "Invalid scope.", code="bad_scope")
    row = Delegation.objects.create(delegator=person, deputy=deputy, scope=scope, starts_on=starts_on, ends_on=ends_on)
    record(
        user,
        AuditAction.DELEGATION_CREATED,
        row,
        after={"deputy": deputy.full_name, "scope": scope, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    return row
