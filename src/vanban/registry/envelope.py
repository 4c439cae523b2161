"""The edXML envelope of an issued outgoing document (QCVN 102:2016), built from the
document's register data; the connector signs and sends it."""

from __future__ import annotations

from django.utils import timezone

from vanban import edxml
from vanban.registry.models import OutgoingDocument
from vanban.registry.states import RecipientKind


def _org(agency) -> edxml.Organization:
    return edxml.Organization(
        organ_id=agency.code,
        organ_name=agency.name,
        organization_in_charge=agency.parent.name if agency.parent_id else None,
        organ_add=agency.address or None,
        email=agency.email or None,
        telephone=agency.phone or None,
    )


def document_id_for(document: OutgoingDocument) -> str:
    """``{sender code},{yyyy/MM/dd},{số}/{ký hiệu}`` as the samples write it (edxml.md §4)."""
    return f"{document.agency.code},{document.issued_on:%Y/%m/%d},{document.so_ky_hieu}"


def _response_for(document: OutgoingDocument) -> list[edxml.ResponseFor]:
    """``ResponseFor`` of a reply to a document that came through the hub (edxml.md §3): the
    answered document's sender, number and notation, date and DocumentId."""
    answered = document.reply_to
    if answered is None or not answered.document_id:
        return []
    return [
        edxml.ResponseFor(
            organ_id=answered.sender_code or None,
            code=answered.so_ky_hieu or None,
            promulgation_date=answered.issued_on,
            document_id=answered.document_id,
        )
    ]


def build_envelope(document: OutgoingDocument) -> bytes:
    agency = document.agency
    dtype = document.document_type
    signed = document.signed_file
    if signed is None:
        raise ValueError(f"document {document.pk} is not signed: there is nothing to send")
    recipients = [r.agency for r in document.recipients.filter(kind=RecipientKind.AGENCY).select_related("agency")]
    attachments = [
        edxml.Attachment(
            content_id="main",
            name=signed.name,
            content_type="application/pdf",
            content=signed.read(),
            description=document.subject[:500],
        )
    ]
    for i, att in enumerate(document.attachments.select_related("signed_file", "file"), start=1):
        f = att.signed_file or att.file
        attachments.append(
            edxml.Attachment(
                content_id=f"att{i}", name=f.name, content_type="application/pdf", content=f.read(), description=f.name
            )
        )
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    drafter = document.drafter
    envelope = edxml.Envelope(
        sender=_org(agency),
        recipients=[_org(a) for a in recipients],
        code=edxml.DocumentCode(code_number=f"{document.number:02d}", code_notation=document.notation),
        promulgation_info=edxml.PromulgationInfo(place=document.place or None, promulgation_date=document.issued_on),
        document_type=edxml.DocumentType(
            type=dtype.edxml_type, type_detail=dtype.edxml_type_detail, type_name=dtype.name
        ),
        subject=document.subject,
        content=document.subject,
        signer_info=edxml.SignerInfo(
            competence=document.competence or None,
            position=document.signer.position or None,
            full_name=document.signer.full_name,
        ),
        due_date=document.due_date,
        response_for=_response_for(document),
        to_places=[r.name for r in document.recipients.all()],
        other_info=edxml.OtherInfo(
            priority=document.urgency.edxml_priority if document.urgency else 0,
            promulgation_amount=document.copies,
            page_amount=document.pages,
        ),
        steering_type=0,
        document_id=document.document_id,
        trace_headers=[edxml.TraceHeader(organ_id=agency.code, timestamp=now)],
        business=edxml.Business(
            business_doc_type=edxml.BusinessDocType.NEW,
            business_doc_reason="Văn bản điện tử mới",
            paper=1 if document.paper_copy else 0,
            staff_info=edxml.StaffInfo(
                department=drafter.unit.name if drafter.unit else None,
                staff=drafter.full_name,
                email=drafter.user.email or None,
            ),
        ),
        attachments=attachments,
    )
    return edxml.build(envelope)
