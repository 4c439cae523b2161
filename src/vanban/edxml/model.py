"""Typed objects for the edXML document envelope and status message (QCVN 102:2016).

Field names follow the standard's element names in snake case (``OrganizationInCharge``
→ ``organization_in_charge``), except ``From``/``To`` which are ``sender`` and
``recipients``. Optional text is ``None`` when the element is absent and ``""`` when it
is present but empty, so reading and re-writing a package keeps that difference.
Dates are :class:`datetime.date`, timestamps naive :class:`datetime.datetime`
(Vietnam local time, as the standard writes them). ``signature`` and ``notes`` are
filled by the reader and are not part of equality: they describe the bytes read,
not the document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum, IntEnum

__all__ = [
    "StatusCode",
    "BusinessDocType",
    "Priority",
    "SteeringType",
    "Organization",
    "DocumentCode",
    "PromulgationInfo",
    "DocumentType",
    "SignerInfo",
    "OtherInfo",
    "ResponseFor",
    "TraceHeader",
    "StaffInfo",
    "Receiver",
    "BusinessDocumentInfo",
    "ReplacementInfo",
    "Business",
    "Attachment",
    "SignatureInfo",
    "ParseNote",
    "Envelope",
    "StatusMessage",
    "Package",
]


class StatusCode(str, Enum):
    """Status codes of a status message (QCVN 102 §7); values are the wire strings."""

    RECEIVED = "01"
    REJECTED = "02"
    ACCEPTED = "03"
    ASSIGNED = "04"
    PROCESSING = "05"
    COMPLETED = "06"
    RECALL_REQUESTED = "13"
    CHANGE_ACCEPTED = "15"
    CHANGE_REJECTED = "16"

    @property
    def label_vi(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STATUS_LABELS[self][1]


_STATUS_LABELS: dict[StatusCode, tuple[str, str]] = {
    StatusCode.RECEIVED: ("Đã đến", "Received"),
    StatusCode.REJECTED: ("Từ chối tiếp nhận", "Rejected"),
    StatusCode.ACCEPTED: ("Đã tiếp nhận", "Accepted"),
    StatusCode.ASSIGNED: ("Phân công xử lý", "Assigned"),
    StatusCode.PROCESSING: ("Đang xử lý", "Processing"),
    StatusCode.COMPLETED: ("Hoàn thành", "Completed"),
    StatusCode.RECALL_REQUESTED: ("Yêu cầu lấy lại văn bản", "Recall requested"),
    StatusCode.CHANGE_ACCEPTED: ("Đồng ý lấy lại / cập nhật", "Recall/update accepted"),
    StatusCode.CHANGE_REJECTED: ("Từ chối lấy lại / cập nhật", "Recall/update refused"),
}


class BusinessDocType(IntEnum):
    """``BussinessDocType``: what the envelope does."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


class Priority(IntEnum):
    """``OtherInfo/Priority`` (độ khẩn)."""

    NORMAL = 0
    URGENT = 1  # khẩn
    VERY_URGENT = 2  # thượng khẩn
    FLASH = 3  # hỏa tốc
    FLASH_TIMED = 4  # hỏa tốc hẹn giờ


class SteeringType(IntEnum):
    """``SteeringType``: 0 không chỉ đạo, 1 chỉ đạo, 2 chỉ đạo có báo cáo."""

    NONE = 0
    STEER = 1
    STEER_REPORT = 2


@dataclass
class Organization:
    """``From`` / ``To``: an agency, identified by its ``OrganId`` (mã định danh)."""

    organ_id: str
    organization_in_charge: str | None = None
    organ_name: str | None = None
    organ_add: str | None = None
    email: str | None = None
    telephone: str | None = None
    fax: str | None = None
    website: str | None = None


@dataclass
class DocumentCode:
    """``Code``: số (``CodeNumber``) and ký hiệu (``CodeNotation``)."""

    code_number: str
    code_notation: str

    def __str__(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


@dataclass
class PromulgationInfo:
    """``PromulgationInfo``: place name (địa danh) and date of promulgation."""

    place: str | None = None
    promulgation_date: dt.date | None = None


@dataclass
class DocumentType:
    """``DocumentType``: group (1 hành chính, 2 QPPL), detailed code, name."""

    type: int | None = None
    type_detail: int | None = None
    type_name: str | None = None


@dataclass
class SignerInfo:
    """``SignerInfo``: thẩm quyền, chức vụ, họ tên of the signer."""

    competence: str | None = None
    position: str | None = None
    full_name: str | None = None


@dataclass
class OtherInfo:
    """``OtherInfo``: urgency, sphere, typist, copy and page counts, appendixes.

    ``extensions`` keeps children the standard does not define (local name -> text), as
    some products add them (a secrecy level, for instance); they are read, never written."""

    priority: int | None = None
    sphere_of_promulgation: str | None = None
    typer_notation: str | None = None
    promulgation_amount: int | None = None
    page_amount: int | None = None
    direction: bool | None = None
    appendixes: list[str] = field(default_factory=list)
    extensions: dict[str, str] = field(default_factory=dict)


@dataclass
class ResponseFor:
    """``ResponseFor``: the earlier document this one answers or reports on."""

    organ_id: str | None = None
    code: str | None = None
    promulgation_date: dt.date | None = None
    document_id: str | None = None


@dataclass
class TraceHeader:
    """``TraceHeader``: one hop (agency and time)."""

    organ_id: str | None = None
    timestamp: dt.datetime | None = None


@dataclass
class StaffInfo:
    """``StaffInfo``: the clerk or officer who acted."""

    department: str | None = None
    staff: str | None = None
    email: str | None = None
    mobile: str | None = None


@dataclass
class Receiver:
    """``ReceiverList/Receiver`` of an update."""

    organ_id: str | None = None
    receiver_type: int | None = None


@dataclass
class BusinessDocumentInfo:
    """``BussinessDocumentInfo`` of an update envelope."""

    document_info: int | None = None
    document_receiver: int | None = None
    receivers: list[Receiver] = field(default_factory=list)


@dataclass
class ReplacementInfo:
    """``ReplacementInfo``: a replaced document and the agencies that must replace it."""

    document_id: str | None = None
    organ_ids: list[str] = field(default_factory=list)


@dataclass
class Business:
    """``Bussiness`` (standard spelling): new / revoke / update / replace information."""

    business_doc_type: int
    document_id: str | None = None
    business_doc_reason: str | None = None
    paper: int | None = None
    staff_info: StaffInfo | None = None
    document_info: BusinessDocumentInfo | None = None
    replacements: list[ReplacementInfo] = field(default_factory=list)


@dataclass
class Attachment:
    """One attached file: manifest ``Reference`` plus ``AttachmentEncoded/Attachment``.

    ``content_id`` is stored without ``cid:``; ``content`` is the decoded payload as
    carried (for the SDK samples, a ZIP: see :func:`vanban.edxml.unzip_attachment`).
    """

    content_id: str
    name: str
    content_type: str
    content: bytes
    description: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class SignatureInfo:
    """What the reader saw of an XML signature (not a verification result)."""

    present: bool
    namespace_ok: bool
    signature_method: str | None = None
    digest_method: str | None = None
    reference_uris: tuple[str, ...] = ()
    subject_name: str | None = None
    has_certificate: bool = False
    placeholder: bool = False


@dataclass(frozen=True)
class ParseNote:
    """A quirk the reader tolerated (or recovered from), kept for ``show``/``validate``."""

    code: str
    location: str
    message_vi: str
    message_en: str
    line: int | None = None


@dataclass
class Envelope:
    """A document package (gói tin văn bản): header, business info, attachments."""

    sender: Organization
    recipients: list[Organization] = field(default_factory=list)
    code: DocumentCode | None = None
    promulgation_info: PromulgationInfo | None = None
    document_type: DocumentType | None = None
    subject: str | None = None
    content: str | None = None
    signer_info: SignerInfo | None = None
    due_date: dt.date | None = None
    to_places: list[str] | None = None
    other_info: OtherInfo | None = None
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: int | None = None
    document_id: str | None = None
    trace_headers: list[TraceHeader] = field(default_factory=list)
    business: Business | None = None
    attachments: list[Attachment] = field(default_factory=list)
    signature: SignatureInfo | None = field(default=None, compare=False, repr=False)
    notes: list[ParseNote] = field(default_factory=list, compare=False, repr=False)

    kind = "envelope"


@dataclass
class StatusMessage:
    """A status message (gói tin trạng thái) about an earlier document."""

    sender: Organization
    response_for: ResponseFor
    status_code: str
    timestamp: dt.datetime | None = None
    staff_info: StaffInfo | None = None
    description: str | None = None
    signature: SignatureInfo | None = field(default=None, compare=False, repr=False)
    notes: list[ParseNote] = field(default_factory=list, compare=False, repr=False)

    kind = "status"

    @property
    def status(self) -> StatusCode | None:
        """The code as :class:`StatusCode`, or None for a code the standard lacks."""
        try:
            return StatusCode(self.status_code)
        except ValueError:
            return None


Package = Envelope | StatusMessage
