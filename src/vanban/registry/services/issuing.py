"""Numbering (cấp số, vào sổ) and issuing (phát hành) of outgoing documents.

Issuing follows the rules kept as data: a document with a secrecy level that may not
travel electronically (every độ mật) is recorded as a paper issue with the reason and
nothing goes out electronically; a type that still needs paper is issued electronically
and flagged "gửi kèm bản giấy". Units of the agency receive it at once; other agencies
through an outbox row written in the same transaction (the connector sends it); outside
organisations and people by e-mail with the signed PDF, after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from vanban import connector
from vanban.audit import AuditAction
from vanban.edxml import StatusCode
from vanban.registry import flow, transitions
from vanban.registry.envelope import build_envelope, document_id_for
from vanban.registry.errors import NumberingError, RegistryError, SigningFailed
from vanban.registry.files import store
from vanban.registry.models import OutgoingDocument, Recipient, Register, RegisterEntry
from vanban.registry.numbering import (
    build_notation,
    format_number,
    peek_number,
    select_register,
    take_number,
    use_reserved,
)
from vanban.registry.services._common import apply, locked, person_of
from vanban.registry.services.drafting import require_recipients
from vanban.registry.states import DeliveryState, RecipientKind
from vanban.registry.sync import reference_for
from vanban.signing import SigningError, document_date_text, fill_number_fields, has_number_fields

logger = logging.getLogger(__name__)


class IssuingRefused(RegistryError):
    code = "issuing_refused"


__all__ = ["number_document", "issue", "request_recall"]


@dataclass(frozen=True)
class _Stamped:
    """The signed PDF with a guessed number and date written in (made before the lock)."""

    register: Register
    number: int
    notation: str
    day: dt.date
    pdf: bytes | None  # None: the PDF has no number fields (signed before they existed)


def _stamp(document: OutgoingDocument, pdf: bytes, number: int, notation: str, day: dt.date) -> bytes:
    try:
        return fill_number_fields(
            pdf,
            f"Số: {format_number(number)}/{notation}",
            document_date_text(day, document.agency.place),
        )
    except SigningError as exc:
        raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc


def _prepare_number(document: OutgoingDocument, reserved: RegisterEntry | None = None) -> _Stamped:
    """Slow work before the lock: the PDF stamped with the number the register would give
    now, or the held number chosen (numbering re-stamps under the lock only if another
    document took it meanwhile)."""
    today = timezone.localdate()
    register = _register_for(document) if reserved is None else _held_register(document, reserved, today)
    notation = build_notation(document.document_type, document.agency, document.unit, today.year)
    assert document.signed_file is not None  # "number" starts from signed, which stored the signed file
    signed = document.signed_file.read()
    if not has_number_fields(signed):
        return _Stamped(register, 0, notation, today, None)
    guess = peek_number(register, today) if reserved is None else reserved.number
    return _Stamped(register, guess, notation, today, _stamp(document, signed, guess, notation, today))


def _held_register(document: OutgoingDocument, reserved: RegisterEntry, today: dt.date) -> Register:
    """The register of a held number, when it may number this document: an outgoing register
    of the document's agency, of its secrecy (a secret register for a secret document), this
    year's series."""
    entry = RegisterEntry.objects.select_related("register_year__register").get(pk=reserved.pk)
    register = entry.register_year.register
    if (
        register.agency_id != document.agency_id
        or register.kind != Register.KIND_OUTGOING
        or register.secret != (document.secrecy is not None)
        or entry.register_year.year != today.year
    ):
        raise NumberingError(
            f"Số {format_number(entry.number)} được giữ trong sổ khác hoặc năm khác, không dùng cho văn bản này được.",
            "The held number belongs to another register or year.",
            code="held_number_elsewhere",
        )
    return register


def _register_for(document: OutgoingDocument) -> Register:
    return select_register(
        document.agency, Register.KIND_OUTGOING, document.document_type, secret=document.secrecy is not None
    )


def number_document(user, document: OutgoingDocument, reserved: RegisterEntry | None = None) -> OutgoingDocument:
    """Give the signed document its number in the year's outgoing register (or the held
    number ``reserved``, giữ số) and write the number, notation and date (“Quảng Ninh, ngày
    02 tháng 12 năm 2026”) into the signed PDF as a form-filling update, so the agency seal
    that follows covers them."""
    document = OutgoingDocument.objects.select_related("agency", "document_type", "unit", "signed_file").get(
        pk=document.pk
    )

    def change(document: OutgoingDocument, prepared: _Stamped | None) -> dict:
        assert prepared is not None
        today = timezone.localdate()
        register = prepared.register  # type, secrecy and agency are fixed once approved
        entry = take_number(register, today, document) if reserved is None else use_reserved(reserved, document)
        notation = build_notation(document.document_type, document.agency, document.unit, today.year)
        document.register = register
        document.year = today.year
        document.number = entry.number
        document.notation = notation
        document.issued_on = today
        document.place = document.agency.place
        document.document_id = document_id_for(document)
        stamped = prepared.pdf is not None
        if stamped:
            pdf = prepared.pdf
            if (prepared.number, prepared.notation, prepared.day) != (entry.number, notation, today):
                assert document.signed_file is not None
                pdf = _stamp(document, document.signed_file.read(), entry.number, notation, today)  # number taken
            assert pdf is not None and document.signed_file is not None
            name = document.signed_file.name.rsplit(".", 1)[0]
            document.signed_file = store(pdf, f"{name}-so.pdf", "application/pdf")
        return {
            "so_ky_hieu": document.so_ky_hieu,
            "register": register.name,
            "year": today.year,
            "pdf_stamped": stamped,
            **({"signed_sha256": document.signed_file.sha256} if stamped and document.signed_file else {}),
        }

    return flow.perform(
        flow.OUTGOING_FLOW,
        document,
        "number",
        actor=user,
        audit_action=AuditAction.OUTGOING_NUMBERED,
        prepare=lambda doc: _prepare_number(doc, reserved),
        change=change,
    )


def _send_email(recipient_ids: list[int], document_id: int) -> None:
    document = OutgoingDocument.objects.select_related("agency", "signed_file").get(pk=document_id)
    assert document.signed_file is not None  # issued documents were sealed, which stores the signed file
    pdf = document.signed_file.read()
    for recipient in Recipient.objects.filter(pk__in=recipient_ids):
        message = EmailMessage(
            subject=f"[{document.agency.name}] Văn bản số {document.so_ky_hieu}: {document.subject[:150]}",
            body=(
                f"{document.agency.name} gửi văn bản số {document.so_ky_hieu} ngày "
                f"{document.issued_on:%d/%m/%Y} về việc: {document.subject}\n\n"
                "Văn bản điện tử kèm theo đã được ký số; bản điện tử có giá trị như bản gốc."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
        )
        message.attach(f"{document.so_ky_hieu.replace('/', '-')}.pdf", pdf, "application/pdf")
        try:
            message.send()
            state, note = DeliveryState.EMAILED, ""
        except Exception as exc:  # SMTP errors of every kind: recorded, shown to the clerk
            logger.warning("e-mail to recipient %s failed: %s", recipient.pk, type(exc).__name__)
            state, note = DeliveryState.FAILED, f"Gửi thư không thành công: {exc}"[:500]
        Recipient.objects.filter(pk=recipient.pk).update(delivery=state, delivery_note=note)


def _signed_envelope(document: OutgoingDocument) -> bytes | None:
    """The envelope for the recipient agencies, XML-signed with the agency's key (slow:
    reads the signed PDFs and signs; done before any lock). None when no agency receives it
    electronically."""
    if document.secrecy is not None and not document.secrecy.electronic_allowed:
        return None
    if not document.recipients.filter(kind=RecipientKind.AGENCY).exists():
        return None
    try:
        return connector.sign_envelope(document.agency, build_envelope(document))
    except connector.ConnectorError as exc:
        raise IssuingRefused(
            f"Chưa phát hành được cho cơ quan khác: {exc.message_vi}",
            f"Cannot issue to other agencies: {exc.message_en}",
            code="no_hub_account",
        ) from exc


def issue(user, document: OutgoingDocument) -> OutgoingDocument:
    """Issue the sealed document: units at once, other agencies through the connector's
    outbox (the envelope signed before the transaction), outside recipients by e-mail."""
    person = person_of(user)
    document = OutgoingDocument.objects.select_related("agency", "secrecy").get(pk=document.pk)
    transitions.check(document, person, "issue")
    require_recipients(document)  # an issued document with no recipient would go nowhere
    package = _signed_envelope(document)
    with transaction.atomic():
        document = locked(document)
        transitions.check(document, person, "issue")
        require_recipients(document)
        return _issue(user, document, package)


def _issue(user, document: OutgoingDocument, package: bytes | None) -> OutgoingDocument:
    recipients = list(document.recipients.select_related("agency", "unit"))
    if document.secrecy is not None and not document.secrecy.electronic_allowed:
        document.paper_issue = True
        document.paper_issue_reason = (
            f"Văn bản có độ mật “{document.secrecy.name}” không được gửi qua mạng; đã ghi nhận phát hành bản giấy."
        )
        document.save(update_fields=["paper_issue", "paper_issue_reason", "updated_at"])
        Recipient.objects.filter(document=document).update(delivery=DeliveryState.PAPER, delivery_note="Gửi bản giấy")
        apply(
            document,
            user,
            "issue",
            AuditAction.OUTGOING_ISSUED,
            reason=document.paper_issue_reason,
            after={"paper_issue": True},
        )
        return document

    units = [r.pk for r in recipients if r.kind == RecipientKind.UNIT]
    agencies = [r for r in recipients if r.kind == RecipientKind.AGENCY]
    agency_codes = []
    for r in agencies:
        assert r.agency is not None  # an agency recipient always names its agency (drafting sets it, PROTECT keeps it)
        agency_codes.append(r.agency.code)
    emails = [r.pk for r in recipients if r.kind == RecipientKind.EXTERNAL]
    Recipient.objects.filter(pk__in=units).update(delivery=DeliveryState.DELIVERED)
    outbox_id = None
    if agencies:
        if package is None:  # the recipients changed since it was signed
            raise IssuingRefused(
                "Nơi nhận vừa thay đổi; hãy phát hành lại.", "The recipients changed while issuing.", code="changed"
            )
        queued = connector.send_document(
            document.agency,
            reference=reference_for(document),
            document_id=document.document_id,
            recipients=agency_codes,
            envelope=package,
            signed=True,
            actor=user,
        )
        outbox_id = queued.outbox_id
        Recipient.objects.filter(pk__in=[r.pk for r in agencies]).update(delivery=DeliveryState.QUEUED)
    if emails:
        transaction.on_commit(lambda: _send_email(emails, document.pk))
    apply(
        document,
        user,
        "issue",
        AuditAction.OUTGOING_ISSUED,
        after={
            "units": len(units),
            "agencies": agency_codes,
            "emails": len(emails),
            "outbox": outbox_id,
            "paper_copy": document.paper_copy,
        },
    )
    return document


@transaction.atomic
def request_recall(user, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """Ask every recipient agency to give the document back (status 13 through the hub);
    each answers 15 (agreed) or 16 (refused), shown on the document."""
    document = locked(document)
    person = person_of(user)
    transitions.check(document, person, "request_recall")
    if document.recall_requested_at:
        raise IssuingRefused(
            "Đã gửi yêu cầu lấy lại văn bản này rồi.", "Recall already requested.", code="recall_already_requested"
        )
    if not reason.strip():
        raise IssuingRefused("Hãy ghi lý do lấy lại văn bản.", "A reason is required.", code="reason_required")
    if not document.recipients.filter(kind=RecipientKind.AGENCY).exists():
        raise IssuingRefused(
            "Văn bản không gửi cho cơ quan nào qua trục nên không cần yêu cầu lấy lại.",
            "No agency received it through the hub.",
            code="no_agency_recipient",
        )
    document.recall_requested_at = timezone.now()
    document.recall_reason = reason.strip()[:500]
    document.save(update_fields=["recall_requested_at", "recall_reason", "updated_at"])
    connector.send_status(
        document.agency,
        to=document.agency.code,
        document_id=document.document_id,
        status=StatusCode.RECALL_REQUESTED,
        description=document.recall_reason,
        code=document.so_ky_hieu,
        promulgation_date=document.issued_on,
        actor=user,
    )
    apply(document, user, "request_recall", AuditAction.OUTGOING_RECALL_REQUESTED, reason=document.recall_reason)
    return document
