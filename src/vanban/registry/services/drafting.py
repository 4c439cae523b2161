"""Drafting and review of outgoing documents: create, correct (edit), versions,
attachments, comments, submit, return, approve, cancel, and the missing-recipient check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from vanban.audit import AuditAction, record
from vanban.directory.models import DocumentType, Person, SecrecyLevel, Unit, UrgencyLevel
from vanban.registry import flow, transitions
from vanban.registry.errors import InvalidDocument
from vanban.registry.files import accept_attachment, accept_main_file
from vanban.registry.models import (
    Comment,
    DocumentAttachment,
    DocumentVersion,
    IncomingDocument,
    OutgoingDocument,
    Recipient,
)
from vanban.registry.services._common import apply, locked, person_of
from vanban.registry.states import RecipientKind

__all__ = [
    "DraftData",
    "DraftEdit",
    "RecipientData",
    "NO_RECIPIENT",
    "create_draft",
    "edit_draft",
    "missing_recipients",
    "require_recipients",
    "add_version",
    "add_attachment",
    "comment",
    "submit",
    "return_draft",
    "approve",
    "cancel",
]

DRAFTING_ROLES = {"chuyen-vien", "lanh-dao", "van-thu"}


@dataclass
class RecipientData:
    """A unit (``unit_id``), an agency (``agency_code``) or an outside party (``email``)."""

    unit_id: int | None = None
    agency_code: str = ""
    name: str = ""
    email: str = ""


@dataclass
class DraftData:
    subject: str
    document_type: DocumentType
    signer: Person
    main_file: bytes
    main_file_name: str
    competence: str = ""
    secrecy: SecrecyLevel | None = None
    urgency: UrgencyLevel | None = None
    unit: Unit | None = None
    copies: int = 1
    due_date: dt.date | None = None
    recipients: list[RecipientData] = field(default_factory=list)
    reply_to: IncomingDocument | None = None  # the incoming document this draft answers


@dataclass
class DraftEdit:
    """What the drafter may still correct while the draft is theirs (draft, returned)."""

    subject: str
    document_type: DocumentType
    signer: Person
    competence: str = ""
    urgency: UrgencyLevel | None = None
    due_date: dt.date | None = None
    recipients: list[RecipientData] = field(default_factory=list)


NO_RECIPIENT = "Văn bản chưa có nơi nhận."


def missing_recipients(document: OutgoingDocument) -> bool:
    """Whether the document has no recipient (it would go nowhere when issued)."""
    return not document.recipients.exists()


def require_recipients(document: OutgoingDocument) -> None:
    """Refuse a step (issue) of a document with no recipient."""
    if missing_recipients(document):
        raise InvalidDocument(
            f"{NO_RECIPIENT} Hãy bổ sung nơi nhận trước khi phát hành.",
            "The document has no recipient.",
            code="no_recipient",
        )


def _check_fields(person: Person, subject: str, signer: Person) -> str:
    """The checks creation and correction share; the subject as stored."""
    if not subject.strip():
        raise InvalidDocument("Hãy nhập trích yếu nội dung.", "The subject is required.", code="no_subject")
    if signer.agency_id != person.agency_id or not signer.has_role("lanh-dao"):
        raise InvalidDocument(
            "Người ký phải là lãnh đạo của cơ quan bạn.",
            "The signer must be a leader of your agency.",
            code="bad_signer",
        )
    return subject.strip()[:500]


def _recipients(document: OutgoingDocument, items: list[RecipientData]) -> list[Recipient]:
    from vanban.directory.queries import resolve_agency

    rows, seen = [], set()
    for item in items:
        if item.unit_id:
            unit = Unit.objects.filter(pk=item.unit_id, agency=document.agency).first()
            if unit is None:
                raise InvalidDocument(
                    "Đơn vị nhận không thuộc cơ quan của bạn.",
                    "Recipient unit is not in your agency.",
                    code="bad_recipient",
                )
            key: tuple[str, int | str] = ("unit", unit.pk)
            row = Recipient(document=document, kind=RecipientKind.UNIT, unit=unit, name=unit.name)
        elif item.agency_code:
            resolution = resolve_agency(item.agency_code)
            if resolution is None:
                raise InvalidDocument(
                    f"Không có cơ quan mã {item.agency_code} trong danh bạ.",
                    f"Unknown agency {item.agency_code}.",
                    code="unknown_agency",
                )
            agency = resolution.current
            if agency.pk == document.agency_id:
                raise InvalidDocument(
                    "Gửi cho đơn vị trong cơ quan thì chọn đơn vị, không chọn cơ quan mình.",
                    "Choose a unit to send inside your own agency.",
                    code="self_recipient",
                )
            key = ("agency", agency.pk)
            row = Recipient(document=document, kind=RecipientKind.AGENCY, agency=agency, name=agency.name)
        elif item.email:
            from django.core.exceptions import ValidationError
            from django.core.validators import validate_email

            try:
                validate_email(item.email)
            except ValidationError:
                raise InvalidDocument(
                    f"Địa chỉ thư điện tử “{item.email}” không hợp lệ.",
                    f"Invalid e-mail address {item.email}.",
                    code="bad_email",
                ) from None
            key = ("email", item.email.lower())
            row = Recipient(
                document=document, kind=RecipientKind.EXTERNAL, email=item.email, name=item.name or item.email
            )
        else:
            continue
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return Recipient.objects.bulk_create(rows)


@transaction.atomic
def create_draft(user, data: DraftData) -> OutgoingDocument:
    person = person_of(user)
    if not any(person.has_role(r) for r in DRAFTING_ROLES):
        raise InvalidDocument(
            "Bạn không có vai trò soạn thảo văn bản.", "You may not draft documents.", code="not_allowed"
        )
    subject = _check_fields(person, data.subject, data.signer)
    unit = data.unit or person.unit
    if unit is not None and unit.agency_id != person.agency_id:
        raise InvalidDocument(
            "Đơn vị soạn thảo không thuộc cơ quan của bạn.", "The drafting unit is not in your agency.", code="bad_unit"
        )
    if data.reply_to is not None:
        _check_reply_to(person, data.reply_to)
    pdf, source, pages = accept_main_file(data.main_file, data.main_file_name)
    document = OutgoingDocument.objects.create(
        agency=person.agency,
        unit=unit,
        drafter=person,
        document_type=data.document_type,
        subject=subject,
        secrecy=data.secrecy,
        urgency=data.urgency,
        signer=data.signer,
        competence=data.competence.strip(),
        copies=max(1, data.copies),
        pages=pages,
        due_date=data.due_date,
        paper_copy=data.document_type.paper_copy_required,
        reply_to=data.reply_to,
    )
    DocumentVersion.objects.create(
        document=document, number=1, file=pdf, source=source, author=person, note="Dự thảo lần đầu"
    )
    recipients = _recipients(document, data.recipients)
    flow.changed(flow.OUTGOING_FLOW, document)
    record(
        user,
        AuditAction.OUTGOING_CREATED,
        document,
        after={
            "subject": document.subject,
            "type": data.document_type.code,
            "signer": data.signer.full_name,
            "recipients": [r.name for r in recipients],
            "file_sha256": pdf.sha256,
            **({"reply_to": data.reply_to.pk} if data.reply_to is not None else {}),
        },
    )
    return document


def _check_reply_to(person: Person, incoming: IncomingDocument) -> None:
    """A reply answers an incoming document of the drafter's agency that they may see."""
    from vanban.registry.queries import visible_incoming

    if not visible_incoming(person).filter(pk=incoming.pk).exists():
        raise InvalidDocument(
            "Không tìm thấy văn bản đến cần trả lời (hoặc bạn không được xem văn bản đó).",
            "The incoming document to answer is not visible to the drafter.",
            code="reply_to_not_visible",
        )


def _facts(document: OutgoingDocument) -> dict:
    """What a correction may change, as the audit row records it."""
    return {
        "subject": document.subject,
        "type": document.document_type.code,
        "signer": document.signer.full_name,
        "competence": document.competence,
        "urgency": document.urgency.code if document.urgency else "",
        "due_date": document.due_date.isoformat() if document.due_date else "",
        "recipients": sorted(r.name for r in document.recipients.all()),
    }


def edit_draft(user, document: OutgoingDocument, data: DraftEdit) -> OutgoingDocument:
    """Correct a draft (draft or returned, by whom the table allows): the same checks as
    creation, the recipients replaced, a history row and the audit event, no state change."""
    before: dict = {}

    def change(doc: OutgoingDocument, _prepared: object) -> dict:
        person = person_of(user)
        subject = _check_fields(person, data.subject, data.signer)
        before.update(_facts(doc))
        doc.subject = subject
        doc.document_type = data.document_type
        doc.signer = data.signer
        doc.competence = data.competence.strip()[:100]
        doc.urgency = data.urgency
        doc.due_date = data.due_date
        doc.paper_copy = data.document_type.paper_copy_required
        doc.recipients.all().delete()
        _recipients(doc, data.recipients)
        after = _facts(doc)
        return {k: v for k, v in after.items() if before.get(k) != v}

    with transaction.atomic():
        doc = locked(document)
        flow.guard(flow.OUTGOING_FLOW, doc, "edit", actor=user)
        details = change(doc, None)
        return flow.advance(
            flow.OUTGOING_FLOW,
            doc,
            "edit",
            actor=user,
            audit_action=AuditAction.OUTGOING_EDITED,
            reason="Sửa " + ", ".join(_FACT_NAMES[k] for k in details) if details else "",
            before={k: before[k] for k in details},
            after=details,
        )


_FACT_NAMES = {
    "subject": "trích yếu",
    "type": "loại văn bản",
    "signer": "người ký",
    "competence": "thẩm quyền ký",
    "urgency": "độ khẩn",
    "due_date": "hạn trả lời",
    "recipients": "nơi nhận",
}


@transaction.atomic
def add_version(user, document: OutgoingDocument, data: bytes, name: str, note: str = "") -> DocumentVersion:
    document = locked(document)
    person = person_of(user)
    transitions.check(document, person, "add_version")
    pdf, source, pages = accept_main_file(data, name)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion.objects.create(
        document=document, number=number, file=pdf, source=source, author=person, note=note[:500]
    )
    document.pages = pages
    document.save(update_fields=["pages", "updated_at"])
    apply(
        document,
        user,
        "add_version",
        AuditAction.OUTGOING_VERSION_ADDED,
        reason=note,
        after={"version": number, "file_sha256": pdf.sha256},
    )
    return version


@transaction.atomic
def add_attachment(user, document: OutgoingDocument, data: bytes, name: str) -> DocumentAttachment:
    document = locked(document)
    person = person_of(user)
    transitions.check(document, person, "add_version")
    stored = accept_attachment(data, name)
    att = DocumentAttachment.objects.create(document=document, file=stored)
    apply(
        document,
        user,
        "add_version",
        AuditAction.OUTGOING_VERSION_ADDED,
        after={"attachment": name, "file_sha256": stored.sha256},
    )
    return att


@transaction.atomic
def comment(user, document: OutgoingDocument, text: str) -> Comment:
    document = locked(document)
    person = person_of(user)
    transitions.check(document, person, "comment")
    if not text.strip():
        raise InvalidDocument("Ý kiến trống.", "Empty comment.", code="empty_comment")
    row = Comment.objects.create(
        document=document, version=document.current_version, author=person, text=text.strip()[:5000]
    )
    apply(document, user, "comment", AuditAction.OUTGOING_COMMENTED, after={"comment": row.text[:500]})
    return row


def _simple(action: str, audit_action, reason_required: bool = False):
    """A step that only moves the document (and asks for a reason when the table's action
    needs one), through the flow engine."""

    def step(user, document: OutgoingDocument, reason: str = "") -> OutgoingDocument:
        def change(_document: OutgoingDocument, _prepared: object) -> None:
            if reason_required and not reason.strip():
                raise InvalidDocument("Hãy ghi lý do.", "A reason is required.", code="reason_required")

        return flow.perform(
            flow.OUTGOING_FLOW,
            document,
            action,
            actor=user,
            audit_action=audit_action,
            change=change,
            reason=reason.strip(),
        )

    step.__name__ = action
    return step


submit = _simple("submit", AuditAction.OUTGOING_SUBMITTED)
return_draft = _simple("return", AuditAction.OUTGOING_RETURNED, reason_required=True)
approve = _simple("approve", AuditAction.OUTGOING_APPROVED)
cancel = _simple("cancel", AuditAction.OUTGOING_CANCELLED, reason_required=True)
