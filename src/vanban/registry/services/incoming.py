"""The incoming flow: received from the hub (or uploaded as a scanned paper document) →
registered in the incoming register (03) or refused (02) → assigned by a leader (04) →
processed by the lead (05) → done (06); between the assignment and the end, the unit's
head, the handler and those they ask pass it along (:mod:`.handover`). Each step is one
transaction with its state change, audit event and the status it sends back to the sender
through the connector."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from vanban import connector, edxml, storage
from vanban.arrival import Arrival
from vanban.audit import AuditAction, record
from vanban.directory.models import DocumentType, Person, SecrecyLevel, Unit, UrgencyLevel
from vanban.registry import flow
from vanban.registry.arrival import EMAIL_PIPELINE, PAPER_PIPELINE, duplicate_of
from vanban.registry.errors import InvalidDocument
from vanban.registry.files import store
from vanban.registry.flow import person_of
from vanban.registry.models import (
    Assignment,
    IncomingDocument,
    OutgoingDocument,
    ProgressNote,
    Register,
    StoredFile,
    SyncCursor,
)
from vanban.registry.numbering import select_register, take_number
from vanban.registry.services import handover
from vanban.registry.services.digitized import DigitizedScan
from vanban.registry.states import AssignmentRole, IncomingSource, IncomingState, StepState
from vanban.registry.transitions import INCOMING
from vanban.workdays import default_calendar

logger = logging.getLogger(__name__)
RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "deadline_rules.json"

__all__ = [
    "take_received_packages",
    "upload_paper",
    "receive_email",
    "register",
    "refuse",
    "assign",
    "start",
    "note",
    "finish",
    "default_deadline",
    "AssignmentData",
    "agree_take_back",
    "refuse_take_back",
]


# --- arrival ---------------------------------------------------------------------------------


def _pdf_of(files: list[connector.ArrivedFile]) -> StoredFile | None:
    """The document's PDF among what arrived, as a file row over the bytes the connector
    already stored (nothing copied); a ZIP attachment (as the SDK samples carry) is opened
    and its PDF stored."""
    for f in files:
        if f.content_type == "application/pdf" or f.name.lower().endswith(".pdf"):
            return StoredFile.objects.create(
                sha256=f.sha256, name=f.name[:255], content_type="application/pdf", size=f.size
            )
        data = storage.get_bytes(f.sha256)
        if edxml.is_zip(data):
            for member in edxml.unzip_attachment(data):
                if member.name.lower().endswith(".pdf"):
                    return store(member.content, Path(member.name).name, "application/pdf")
        elif data[:5] == b"%PDF-":
            return StoredFile.objects.create(
                sha256=f.sha256, name=f.name[:255], content_type="application/pdf", size=f.size
            )
    return None


def _from_envelope(arrival: connector.ArrivedDocument) -> IncomingDocument:
    env = arrival.envelope
    dtype = None
    if env.document_type and env.document_type.type_name:
        dtype = DocumentType.objects.filter(name__iexact=env.document_type.type_name).first()
    urgency = None
    if env.other_info and env.other_info.priority:
        urgency = UrgencyLevel.objects.filter(edxml_priority=env.other_info.priority).first()
    return IncomingDocument(
        agency_id=arrival.agency_id,
        source=IncomingSource.HUB,
        sender_code=env.sender.organ_id,
        sender_name=env.sender.organ_name or env.sender.organ_id,
        document_id=env.document_id or "",
        code_number=env.code.code_number if env.code else "",
        code_notation=env.code.code_notation if env.code else "",
        issued_on=env.promulgation_info.promulgation_date if env.promulgation_info else None,
        document_type=dtype,
        type_name=(env.document_type.type_name or "") if env.document_type else "",
        subject=(env.subject or "(không có trích yếu)")[:500],
        signer_name=(env.signer_info.full_name or "") if env.signer_info else "",
        urgency=urgency,
        sender_due_date=env.due_date,
        paper_copy=bool(env.business and env.business.paper),
        verification=arrival.verification,
        received_package_id=arrival.id,
        main_file=_pdf_of(arrival.files),
        response_to=_answered(arrival.agency_id, env),
    )


def _answered(agency_id: int, env) -> OutgoingDocument | None:
    """Our outgoing document an arriving one answers: its ``ResponseFor`` names our DocumentId."""
    ids = [r.document_id for r in env.response_for if r.document_id]
    if not ids:
        return None
    return OutgoingDocument.objects.filter(agency_id=agency_id, document_id__in=ids).order_by("-pk").first()


def _history(doc, user, action, old, status="", reason=""):
    flow.history(flow.INCOMING_FLOW, doc, action, old, actor=user, status=status, reason=reason)


def take_received_packages(limit: int = 100) -> int:
    """Turn what the connector received into incoming documents (state "đã đến"; the
    connector already sent 01): the last step of the arrival pipeline for hub packages.
    Revocations mark the earlier document recalled, updates change it in place,
    replacements mark the replaced ones. An arrival that fails here stays waiting and is
    met again on the next run; one run at a time (a lock row), so none is taken twice."""
    taken = 0
    with transaction.atomic():
        lock, _ = SyncCursor.objects.get_or_create(name="received_package")
        SyncCursor.objects.select_for_update().get(pk=lock.pk)
        arrived = connector.arrivals(limit=limit)
        done = set(
            IncomingDocument.objects.filter(received_package_id__in=[a.id for a in arrived]).values_list(
                "received_package_id", flat=True
            )
        )
        took = []
        for arrival in arrived:
            if arrival.id not in done:
                try:
                    with transaction.atomic():
                        _take(arrival)
                except Exception:
                    logger.exception("arrival %s not taken; met again on the next run", arrival.id)
                    continue
                taken += 1
            took.append(arrival.id)
        connector.mark_taken(took)
    return taken


def _take(arrival: connector.ArrivedDocument) -> None:
    env = arrival.envelope
    business_type = env.business.business_doc_type if env.business else edxml.BusinessDocType.NEW
    if business_type == edxml.BusinessDocType.REVOKE:
        _recall(arrival, env)
        return
    if business_type == edxml.BusinessDocType.UPDATE and _update_in_place(arrival, env):
        return
    doc = _from_envelope(arrival)
    earlier = duplicate_of(arrival.agency_id, doc.main_file.sha256) if doc.main_file else None
    if earlier is not None and earlier.source != IncomingSource.HUB:
        # the same signed PDF came by e-mail first: keep one document, now linked to the hub
        _link_hub_arrival(earlier, doc)
        return
    doc.save()
    _history(doc, None, "receive", "")
    record(
        None,
        AuditAction.INCOMING_RECEIVED,
        doc,
        after={"sender": doc.sender_code, "document_id": doc.document_id, "verified": arrival.verified},
    )
    if business_type == edxml.BusinessDocType.REPLACE:
        _replace(arrival, env, doc)


def _link_hub_arrival(earlier: IncomingDocument, arrived: IncomingDocument) -> None:
    """Give a document first received by e-mail the hub metadata, so statuses reach the sender."""
    for f in (
        "sender_code",
        "document_id",
        "code_number",
        "code_notation",
        "issued_on",
        "received_package_id",
        "verification",
        "signer_name",
        "type_name",
        "document_type",
    ):
        setattr(earlier, f, getattr(arrived, f))
    earlier.save()
    _history(earlier, None, "receive", earlier.state, reason="Cùng văn bản cũng đến qua trục liên thông")


UPDATABLE = (
    "subject",
    "code_number",
    "code_notation",
    "issued_on",
    "signer_name",
    "sender_due_date",
    "type_name",
    "document_type",
    "urgency",
    "paper_copy",
)


def _update_in_place(arrival, env) -> bool:
    """An update (BussinessDocType 2) of a document we hold: its metadata (and file) change
    in place, the change is written in its history. False when we hold no such document."""
    target_id = (env.business.document_id if env.business else None) or env.document_id
    docs = list(
        IncomingDocument.objects.select_for_update().filter(
            agency_id=arrival.agency_id, sender_code=env.sender.organ_id, document_id=target_id
        )
    )
    if not docs:
        return False
    fresh = _from_envelope(arrival)
    for doc in docs:
        changed = [f for f in UPDATABLE if getattr(doc, f) != getattr(fresh, f)]
        for f in changed:
            setattr(doc, f, getattr(fresh, f))
        if fresh.main_file and (doc.main_file is None or doc.main_file.sha256 != fresh.main_file.sha256):
            doc.main_file, doc.verification = fresh.main_file, fresh.verification
            changed.append("main_file")
        doc.save()
        reason = (env.business.business_doc_reason or "Cập nhật văn bản điện tử") + (
            f" – thay đổi: {', '.join(changed)}" if changed else " – không có thay đổi"
        )
        _history(doc, None, "update", doc.state, reason=reason)
        record(None, AuditAction.INCOMING_UPDATED, doc, after={"changed": changed})
    return True


def _replace(arrival, env, new_doc: IncomingDocument) -> None:
    """A replacement (BussinessDocType 3): the documents it replaces are marked recalled
    (kept, with their register entries), pointing to the new one."""
    ids = [r.document_id for r in (env.business.replacements if env.business else []) if r.document_id]
    for doc in (
        IncomingDocument.objects.select_for_update()
        .filter(agency_id=arrival.agency_id, sender_code=env.sender.organ_id, document_id__in=ids)
        .exclude(pk=new_doc.pk)
    ):
        old = doc.state
        doc.state, doc.replaced_by = IncomingState.RECALLED, new_doc
        doc.save(update_fields=["state", "replaced_by", "updated_at"])
        _history(
            doc, None, "replace", old, reason=f"Được thay thế bởi văn bản {new_doc.so_ky_hieu or new_doc.document_id}"
        )
        record(
            None,
            AuditAction.INCOMING_RECALLED,
            doc,
            before={"state": old},
            after={"state": doc.state, "replaced_by": new_doc.pk},
        )


def _recall(arrival, env) -> None:
    target_id = (env.business.document_id if env.business else None) or env.document_id
    for doc in IncomingDocument.objects.select_for_update().filter(
        agency_id=arrival.agency_id, sender_code=env.sender.organ_id, document_id=target_id
    ):
        old = doc.state
        doc.state = IncomingState.RECALLED
        doc.save(update_fields=["state", "updated_at"])
        reason = (env.business.business_doc_reason if env.business else "") or "Nơi gửi thu hồi văn bản."
        _history(doc, None, "recall", old, reason=reason)
        record(None, AuditAction.INCOMING_RECALLED, doc, before={"state": old}, after={"state": doc.state})


@transaction.atomic
def upload_paper(
    user,
    *,
    sender_name: str,
    subject: str,
    data: bytes,
    name: str,
    code_number: str = "",
    code_notation: str = "",
    issued_on: dt.date | None = None,
    document_type: DocumentType | None = None,
    secrecy: SecrecyLevel | None = None,
    digitized: DigitizedScan | None = None,
) -> IncomingDocument:
    """A paper document that arrived ("bản giấy"), through the paper arrival pipeline:
    with the clerk's scan (``data``), with its digitized copy (``digitized``, made by
    :mod:`vanban.scanning`), or with no file yet. A secret one keeps no file."""
    meta = dict(
        user=user,
        name=name,
        sender_name=sender_name,
        subject=subject,
        code_number=code_number,
        code_notation=code_notation,
        issued_on=issued_on,
        document_type=document_type,
        secrecy=secrecy,
        digitized=digitized,
    )
    return PAPER_PIPELINE.run(Arrival("paper", data, meta=meta)).result


# --- handling --------------------------------------------------------------------------------


def _locked(doc: IncomingDocument) -> IncomingDocument:
    return flow.locked(flow.INCOMING_FLOW, doc)


def send_back(doc: IncomingDocument, code: str, user, description: str) -> None:
    """Queue the status for the sender (documents known to the hub: received through it,
    or first by e-mail and then linked to the hub's arrival)."""
    if not doc.sender_code or not doc.document_id or not code:
        return
    person = getattr(user, "person", None)
    staff = None
    if person is not None:
        staff = edxml.StaffInfo(
            department=person.unit.name if person.unit else None,
            staff=person.full_name,
            email=person.user.email or None,
        )
    connector.send_status(
        doc.agency,
        to=doc.sender_code,
        document_id=doc.document_id,
        status=edxml.StatusCode(code),
        description=description[:500],
        code=doc.so_ky_hieu or None,
        promulgation_date=doc.issued_on,
        staff=staff,
        actor=user,
    )


def _step(
    user, doc, action: str, audit_action, *, reason: str = "", description: str = "", after: dict | None = None
) -> IncomingDocument:
    return flow.advance(
        flow.INCOMING_FLOW,
        doc,
        action,
        actor=user,
        audit_action=audit_action,
        reason=reason,
        description=description,
        after=after,
    )


@transaction.atomic
def register(user, doc: IncomingDocument) -> IncomingDocument:
    doc = _locked(doc)
    person = person_of(user)
    INCOMING.check(doc, person, "register")
    today = timezone.localdate()
    reg = select_register(doc.agency, Register.KIND_INCOMING, doc.document_type, secret=doc.secrecy_id is not None)
    entry = take_number(reg, today, None, note=f"incoming:{doc.pk}")
    doc.register, doc.year, doc.arrival_number, doc.registered_at = reg, today.year, entry.number, timezone.now()
    return _step(
        user,
        doc,
        "register",
        AuditAction.INCOMING_REGISTERED,
        description=f"Văn thư: đã vào sổ văn bản đến, số đến {doc.so_den}",
        after={"so_den": doc.so_den, "register": reg.name},
    )


@transaction.atomic
def refuse(user, doc: IncomingDocument, reason: str) -> IncomingDocument:
    doc = _locked(doc)
    person = person_of(user)
    INCOMING.check(doc, person, "refuse")
    if not reason.strip():
        raise InvalidDocument(
            "Hãy ghi lý do từ chối (sai nơi nhận, không đọc được, chữ ký số không hợp lệ...).",
            "A reason is required.",
            code="reason_required",
        )
    doc.refused_reason = reason.strip()[:500]
    return _step(
        user,
        doc,
        "refuse",
        AuditAction.INCOMING_REFUSED,
        reason=doc.refused_reason,
        description=f"Văn thư: từ chối tiếp nhận – {doc.refused_reason}",
    )


def default_deadline(doc: IncomingDocument, start: dt.date) -> dt.date:
    """The sender's due date, else the rule for the urgency, else the default (working days)."""
    if doc.sender_due_date:
        return doc.sender_due_date
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    days = (
        rules["by_urgency"].get(doc.urgency.code, rules["default_working_days"])
        if doc.urgency
        else rules["default_working_days"]
    )
    return default_calendar().add_working_days(start, int(days))


@dataclass
class AssignmentData:
    lead_unit: Unit | None = None
    lead_person: Person | None = None
    helpers: list = field(default_factory=list)  # Units or Persons
    informed: list = field(default_factory=list)
    deadline: dt.date | None = None
    instructions: str = ""


@transaction.atomic
def assign(user, doc: IncomingDocument, data: AssignmentData) -> IncomingDocument:
    doc = _locked(doc)
    person = person_of(user)
    INCOMING.check(doc, person, "assign")
    if (data.lead_unit is None) == (data.lead_person is None):
        raise InvalidDocument(
            "Chọn đúng một đơn vị hoặc một người chủ trì.", "Choose exactly one lead.", code="one_lead"
        )
    for target in [data.lead_unit, data.lead_person, *data.helpers, *data.informed]:
        if target is not None and getattr(target, "agency_id", None) != doc.agency_id:
            raise InvalidDocument(
                "Người hoặc đơn vị được phân công phải thuộc cơ quan của bạn.",
                "Assignees must belong to your agency.",
                code="foreign_assignee",
            )
    if data.deadline and data.deadline < timezone.localdate():
        raise InvalidDocument(
            "Hạn xử lý không được trước ngày hôm nay.", "The deadline is in the past.", code="past_deadline"
        )
    doc.assignments.all().delete()
    rows = [Assignment(document=doc, role=AssignmentRole.LEAD, unit=data.lead_unit, person=data.lead_person)]
    for role, targets in ((AssignmentRole.HELPER, data.helpers), (AssignmentRole.INFORMED, data.informed)):
        for t in targets:
            rows.append(Assignment(document=doc, role=role, **({"unit": t} if isinstance(t, Unit) else {"person": t})))
    Assignment.objects.bulk_create(rows)
    doc.lead_person, doc.lead_unit = data.lead_person, data.lead_unit
    doc.deadline = data.deadline or default_deadline(doc, timezone.localdate())
    doc.instructions = data.instructions.strip()
    if data.lead_person:
        lead = data.lead_person.full_name
    else:
        assert data.lead_unit is not None  # the one_lead check above: exactly one lead is given
        lead = data.lead_unit.name
    handover.start_root(
        doc, person, to_person=data.lead_person, to_unit=data.lead_unit, to_name=lead, note=doc.instructions
    )
    return _step(
        user,
        doc,
        "assign",
        AuditAction.INCOMING_ASSIGNED,
        description=f"Lãnh đạo: giao {lead} chủ trì, hạn {doc.deadline:%d/%m/%Y}",
        after={
            "lead": lead,
            "deadline": doc.deadline.isoformat(),
            "helpers": [str(h) for h in data.helpers],
            "informed": [str(i) for i in data.informed],
        },
    )


def start(user, doc: IncomingDocument) -> IncomingDocument:
    return flow.perform(
        flow.INCOMING_FLOW,
        doc,
        "start",
        actor=user,
        audit_action=AuditAction.INCOMING_STARTED,
        description="Đang xử lý",
        change=lambda d, _: handover.mark_current(d, StepState.STARTED),
    )


@transaction.atomic
def note(user, doc: IncomingDocument, text: str) -> ProgressNote:
    doc = _locked(doc)
    person = person_of(user)
    INCOMING.check(doc, person, "note")
    if not text.strip():
        raise InvalidDocument("Nội dung tiến độ trống.", "Empty note.", code="empty_note")
    row = ProgressNote.objects.create(document=doc, author=person, text=text.strip()[:5000])
    _step(user, doc, "note", AuditAction.INCOMING_NOTED, after={"note": row.text[:500]})
    return row


@transaction.atomic
def finish(user, doc: IncomingDocument, result: str, answer=None) -> IncomingDocument:
    doc = _locked(doc)
    INCOMING.check(doc, person_of(user), "finish")
    if not result.strip():
        raise InvalidDocument("Hãy ghi kết quả xử lý.", "A result is required.", code="result_required")
    doc.result, doc.answer = result.strip(), answer
    handover.mark_current(doc, StepState.DONE)
    return _step(
        user,
        doc,
        "finish",
        AuditAction.INCOMING_FINISHED,
        description=f"Hoàn thành: {doc.result[:400]}",
        after={"answer": answer.so_ky_hieu if answer else None},
    )


def _answer_take_back(user, doc, action: str, audit_action, reason: str = "") -> IncomingDocument:
    doc = _locked(doc)
    INCOMING.check(doc, person_of(user), action)
    if not doc.take_back_requested_at or doc.take_back_answer:
        raise InvalidDocument(
            "Nơi gửi không yêu cầu lấy lại văn bản này, hoặc đã trả lời rồi.",
            "No pending take-back request.",
            code="no_take_back_request",
        )
    doc.take_back_answer = INCOMING.rows[action].status
    return _step(
        user,
        doc,
        action,
        audit_action,
        reason=reason,
        description=reason
        or ("Đồng ý cho lấy lại văn bản" if action == "agree_take_back" else "Từ chối cho lấy lại văn bản"),
    )


@transaction.atomic
def agree_take_back(user, doc: IncomingDocument) -> IncomingDocument:
    """The clerk agrees to the sender's request (15): the document is marked recalled; its
    register entry and history stay."""
    return _answer_take_back(user, doc, "agree_take_back", AuditAction.INCOMING_TAKE_BACK_AGREED)


@transaction.atomic
def refuse_take_back(user, doc: IncomingDocument, reason: str) -> IncomingDocument:
    if not reason.strip():
        raise InvalidDocument("Hãy ghi lý do từ chối cho lấy lại.", "A reason is required.", code="reason_required")
    return _answer_take_back(
        user, doc, "refuse_take_back", AuditAction.INCOMING_TAKE_BACK_REFUSED, reason=reason.strip()
    )


@transaction.atomic
def receive_email(user, raw: bytes) -> IncomingDocument:
    """A document that arrived by e-mail (.eml as saved by a mail client): its PDF
    attachment, sender and subject enter the same flow through the e-mail arrival
    pipeline. A PDF already received (by the hub or by e-mail) is not registered twice."""
    return EMAIL_PIPELINE.run(Arrival("email", raw, meta={"user": user})).result
