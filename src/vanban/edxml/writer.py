"""Strict writing: model objects → the one canonical edXML form.

Root ``edXML`` with the edXML namespace as default; ``edXML:edXMLEnvelope`` declares
the ``edXML`` prefix and every header and body element carries it; header children in
the order of QCVN 102 §2; the standard's spelling ``Bussiness…``; dates
``yyyy/MM/dd`` and timestamps ``yyyy/MM/dd HH:mm:ss``; content ids ``cid:…``;
``AttachmentEncoded`` after the envelope, laid out as the VNPT SDK writes it, with
base64 in 76-character lines and the content's SHA-256 in ``vb:sha256`` (see
:mod:`vanban.edxml.attachments`). Output is UTF-8 bytes built directly as text, so
prefixes and declarations are exactly these.
"""

from __future__ import annotations

import datetime as dt
import re

from vanban.edxml import values
from vanban.edxml.attachments import VANBAN_NS, encode_content, sha256_hex
from vanban.edxml.errors import EdxmlError
from vanban.edxml.model import (
    Attachment,
    Business,
    Envelope,
    Organization,
    Package,
    ResponseFor,
    StaffInfo,
    StatusMessage,
)
from vanban.edxml.safexml import EDXML_NS

__all__ = ["build"]

_BAD_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;"})


def _esc(value: str, where: str) -> str:
    m = _BAD_CHARS.search(value)
    if m:
        raise EdxmlError(
            f"Giá trị của {where} chứa ký tự U+{ord(m.group()):04X} không được phép trong XML.",
            f"The value of {where} contains character U+{ord(m.group()):04X}, not allowed in XML.",
            code="invalid-text",
            location=where,
        )
    return value.translate(_ESC)


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.depth = 0

    def open(self, name: str, attrs: str = "") -> None:
        self.parts.append(f"{'  ' * self.depth}<edXML:{name}{attrs}>\n")
        self.depth += 1

    def close(self, name: str) -> None:
        self.depth -= 1
        self.parts.append(f"{'  ' * self.depth}</edXML:{name}>\n")

    def leaf(self, name: str, value: str | int | bool | dt.date | None) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int):
            text = str(int(value))
        elif isinstance(value, dt.datetime):
            text = values.format_timestamp(value)
        elif isinstance(value, dt.date):
            text = values.format_date(value)
        else:
            text = _esc(value, name)
        self.parts.append(f"{'  ' * self.depth}<edXML:{name}>{text}</edXML:{name}>\n")

    def raw(self, text: str) -> None:
        self.parts.append(text)


def _organization(o: _Out, tag: str, org: Organization) -> None:
    o.open(tag)
    o.leaf("OrganId", org.organ_id)
    o.leaf("OrganizationInCharge", org.organization_in_charge)
    o.leaf("OrganName", org.organ_name)
    o.leaf("OrganAdd", org.organ_add)
    o.leaf("Email", org.email)
    o.leaf("Telephone", org.telephone)
    o.leaf("Fax", org.fax)
    o.leaf("Website", org.website)
    o.close(tag)


def _staff(o: _Out, staff: StaffInfo | None) -> None:
    if staff is None:
        return
    o.open("StaffInfo")
    o.leaf("Department", staff.department)
    o.leaf("Staff", staff.staff)
    o.leaf("Email", staff.email)
    o.leaf("Mobile", staff.mobile)
    o.close("StaffInfo")


def _response_for(o: _Out, rf: ResponseFor) -> None:
    o.open("ResponseFor")
    o.leaf("OrganId", rf.organ_id)
    o.leaf("Code", rf.code)
    o.leaf("PromulgationDate", rf.promulgation_date)
    o.leaf("DocumentId", rf.document_id)
    o.close("ResponseFor")


def _business(o: _Out, b: Business) -> None:
    o.open("Bussiness")
    o.leaf("DocumentId", b.document_id)
    o.leaf("BussinessDocType", int(b.business_doc_type))
    o.leaf("BussinessDocReason", b.business_doc_reason)
    o.leaf("Paper", b.paper)
    if b.document_info is not None:
        info = b.document_info
        o.open("BussinessDocumentInfo")
        o.leaf("DocumentInfo", info.document_info)
        o.leaf("DocumentReceiver", info.document_receiver)
        if info.receivers:
            o.open("ReceiverList")
            for r in info.receivers:
                o.open("Receiver")
                o.leaf("OrganId", r.organ_id)
                o.leaf("ReceiverType", r.receiver_type)
                o.close("Receiver")
            o.close("ReceiverList")
        o.close("BussinessDocumentInfo")
    if b.replacements:
        o.open("ReplacementInfoList")
        for rep in b.replacements:
            o.open("ReplacementInfo")
            o.leaf("DocumentId", rep.document_id)
            o.open("OrganIdList")
            for oid in rep.organ_ids:
                o.leaf("OrganId", oid)
            o.close("OrganIdList")
            o.close("ReplacementInfo")
        o.close("ReplacementInfoList")
    _staff(o, b.staff_info)
    o.close("Bussiness")


def _envelope_header(o: _Out, e: Envelope) -> None:
    o.open("MessageHeader")
    _organization(o, "From", e.sender)
    for to in e.recipients:
        _organization(o, "To", to)
    if e.code is not None:
        o.open("Code")
        o.leaf("CodeNumber", e.code.code_number)
        o.leaf("CodeNotation", e.code.code_notation)
        o.close("Code")
    if e.promulgation_info is not None:
        o.open("PromulgationInfo")
        o.leaf("Place", e.promulgation_info.place)
        o.leaf("PromulgationDate", e.promulgation_info.promulgation_date)
        o.close("PromulgationInfo")
    if e.document_type is not None:
        o.open("DocumentType")
        o.leaf("Type", e.document_type.type)
        o.leaf("TypeDetail", e.document_type.type_detail)
        o.leaf("TypeName", e.document_type.type_name)
        o.close("DocumentType")
    o.leaf("Subject", e.subject)
    o.leaf("Content", e.content)
    if e.signer_info is not None:
        o.open("SignerInfo")
        o.leaf("Competence", e.signer_info.competence)
        o.leaf("Position", e.signer_info.position)
        o.leaf("FullName", e.signer_info.full_name)
        o.close("SignerInfo")
    o.leaf("DueDate", e.due_date)
    if e.to_places is not None:
        o.open("ToPlaces")
        for p in e.to_places:
            o.leaf("Place", p)
        o.close("ToPlaces")
    if e.other_info is not None:
        oi = e.other_info
        o.open("OtherInfo")
        o.leaf("Priority", oi.priority)
        o.leaf("SphereOfPromulgation", oi.sphere_of_promulgation)
        o.leaf("TyperNotation", oi.typer_notation)
        o.leaf("PromulgationAmount", oi.promulgation_amount)
        o.leaf("PageAmount", oi.page_amount)
        o.leaf("Direction", oi.direction)
        if oi.appendixes:
            o.open("Appendixes")
            for a in oi.appendixes:
                o.leaf("Appendix", a)
            o.close("Appendixes")
        o.close("OtherInfo")
    for rf in e.response_for:
        _response_for(o, rf)
    o.leaf("SteeringType", e.steering_type)
    o.leaf("DocumentId", e.document_id)
    o.close("MessageHeader")
    o.open("TraceHeaderList")
    for th in e.trace_headers:
        o.open("TraceHeader")
        o.leaf("OrganId", th.organ_id)
        o.leaf("Timestamp", th.timestamp)
        o.close("TraceHeader")
    if e.business is not None:
        _business(o, e.business)
    o.close("TraceHeaderList")


def _manifest(o: _Out, attachments: list[Attachment]) -> None:
    o.open("edXMLBody")
    o.open("edXMLManifest", ' version="1.0"')
    for a in attachments:
        o.open("Reference")
        o.leaf("ContentId", "cid:" + a.content_id)
        o.leaf("ContentType", a.content_type)
        o.leaf("Description", a.description)
        o.leaf("AttachmentName", a.name)
        o.close("Reference")
    o.close("edXMLManifest")
    o.close("edXMLBody")


def _attachments(o: _Out, attachments: list[Attachment], digests: bool) -> None:
    o.raw("  <AttachmentEncoded>\n")
    for a in attachments:
        digest = f' vb:sha256="{sha256_hex(a.content)}"' if digests else ""
        o.raw(f"    <Attachment{digest}>\n")
        o.raw(f"      <ContentId>cid:{_esc(a.content_id, 'ContentId')}</ContentId>\n")
        o.raw(f"      <AttachmentName>{_esc(a.name, 'AttachmentName')}</AttachmentName>\n")
        if a.description is not None:
            o.raw(f"      <Description>{_esc(a.description, 'Description')}</Description>\n")
        o.raw(f"      <ContentType>{_esc(a.content_type, 'ContentType')}</ContentType>\n")
        o.raw(
            f'      <edXML:ContentTransferEncoded xmlns:edXML="{EDXML_NS}">'
            f"{encode_content(a.content)}</edXML:ContentTransferEncoded>\n"
        )
        o.raw("    </Attachment>\n")
    o.raw("  </AttachmentEncoded>\n")


def build(obj: Package, *, digests: bool = True) -> bytes:
    """Write an :class:`Envelope` or :class:`StatusMessage` as canonical edXML bytes.

    ``digests=False`` leaves out the ``vb:sha256`` attribute, for a peer whose schema
    check refuses attributes outside the standard.
    """
    o = _Out()
    root_attrs = f' xmlns="{EDXML_NS}"'
    if digests and isinstance(obj, Envelope) and obj.attachments:
        root_attrs += f' xmlns:vb="{VANBAN_NS}"'
    o.raw(f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML{root_attrs}>\n')
    o.depth = 1
    o.open("edXMLEnvelope", f' xmlns:edXML="{EDXML_NS}"')
    o.open("edXMLHeader")
    if isinstance(obj, Envelope):
        _envelope_header(o, obj)
        o.close("edXMLHeader")
        _manifest(o, obj.attachments)
    elif isinstance(obj, StatusMessage):
        o.open("MessageHeader")
        _organization(o, "From", obj.sender)
        _response_for(o, obj.response_for)
        _staff(o, obj.staff_info)
        o.leaf("StatusCode", values.normalise_status_code(str(getattr(obj.status_code, "value", obj.status_code))))
        o.leaf("Description", obj.description)
        o.leaf("Timestamp", obj.timestamp)
        o.close("MessageHeader")
        o.close("edXMLHeader")
    else:
        raise TypeError(f"build() needs an Envelope or StatusMessage, not {type(obj).__name__}")
    o.close("edXMLEnvelope")
    if isinstance(obj, Envelope) and obj.attachments:
        _attachments(o, obj.attachments, digests)
    o.raw("</edXML>\n")
    return "".join(o.parts).encode("utf-8")
