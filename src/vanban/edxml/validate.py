"""Validation: the project's XSD (``schema/edxml.xsd``) plus semantic checks.

:func:`validate` reads the bytes safely, notes every quirk the tolerant reader had to
accept (warnings) or could not accept (errors), checks a normalised copy of the tree
against the schema (elements put in the standard's order, ``Business…`` spelled
``Bussiness…``, a ``Signature`` without namespace moved into xmldsig), then checks what
a schema cannot: identifier codes (Quyết định 20/2020), dates that exist and are not in
the future, status codes, required business information, duplicate recipients,
attachment references and digests. Unreadable or hostile bytes raise
:class:`~vanban.edxml.errors.EdxmlError` instead, so callers can tell "invalid" from
"not a package at all".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources

from lxml import etree

from vanban.agencycode import check_agency_code
from vanban.edxml import values
from vanban.edxml.errors import EdxmlError, Problem, Severity
from vanban.edxml.model import BusinessDocType, Envelope, Package, ParseNote, StatusCode, StatusMessage
from vanban.edxml.reader import DEFAULT_MAX_TEXT, read_package
from vanban.edxml.safexml import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_SIZE,
    DSIG_NS,
    EDXML_NS,
    element_path,
    parse_xml,
)

__all__ = ["validate", "validate_package", "validate_tree", "read_for_validation", "schema"]

_ERROR_NOTES = {
    "attachment-base64",
    "attachment-missing",
    "attachment-no-content",
    "digest-mismatch",
    "invalid-date",
    "invalid-timestamp",
    "invalid-integer",
    "missing-organ-id",
    "missing-sender",
    "missing-response-for",
    "missing-business-type",
    "nested-organization",
}

_ORDER: dict[str, list[str]] = {
    "edXML": ["edXMLEnvelope", "AttachmentEncoded"],
    "edXMLEnvelope": ["edXMLHeader", "edXMLBody"],
    "edXMLHeader": ["MessageHeader", "TraceHeaderList", "Signature"],
    "From": ["OrganId", "OrganizationInCharge", "OrganName", "OrganAdd", "Email", "Telephone", "Fax", "Website"],
    "Code": ["CodeNumber", "CodeNotation"],
    "PromulgationInfo": ["Place", "PromulgationDate"],
    "DocumentType": ["Type", "TypeDetail", "TypeName"],
    "SignerInfo": ["Competence", "Position", "FullName"],
    "OtherInfo": [
        "Priority",
        "SphereOfPromulgation",
        "TyperNotation",
        "PromulgationAmount",
        "PageAmount",
        "Direction",
        "Appendixes",
    ],
    "ResponseFor": ["OrganId", "Code", "PromulgationDate", "DocumentId"],
    "StaffInfo": ["Department", "Staff", "Email", "Mobile"],
    "TraceHeaderList": ["TraceHeader", "Bussiness"],
    "TraceHeader": ["OrganId", "Timestamp"],
    "Bussiness": [
        "DocumentId",
        "BussinessDocType",
        "BussinessDocReason",
        "Paper",
        "BussinessDocumentInfo",
        "ReplacementInfoList",
        "StaffInfo",
    ],
    "BussinessDocumentInfo": ["DocumentInfo", "DocumentReceiver", "ReceiverList"],
    "Receiver": ["OrganId", "ReceiverType"],
    "ReplacementInfo": ["DocumentId", "OrganIdList"],
    "Reference": ["ContentId", "ContentType", "Description", "AttachmentName"],
    "Attachment": ["ContentId", "AttachmentName", "Description", "ContentType", "ContentTransferEncoded"],
}
_ORDER["To"] = _ORDER["From"]
_ENVELOPE_HEADER = [
    "From",
    "To",
    "Code",
    "PromulgationInfo",
    "DocumentType",
    "Subject",
    "Content",
    "SignerInfo",
    "DueDate",
    "ToPlaces",
    "OtherInfo",
    "ResponseFor",
    "SteeringType",
    "DocumentId",
]
_STATUS_HEADER = ["From", "ResponseFor", "StaffInfo", "StatusCode", "Description", "Timestamp"]
_RENAME = {
    "Business": "Bussiness",
    "BusinessDocType": "BussinessDocType",
    "BusinessDocReason": "BussinessDocReason",
    "BusinessDocumentInfo": "BussinessDocumentInfo",
}
_DOCID = re.compile(r"^(?P<organ>[^,]+),(?P<date>[^,]+),(?P<code>.+)$")


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The project's XSD for edXML, compiled once."""
    ref = resources.files("vanban.edxml").joinpath("schema/edxml.xsd")
    return etree.XMLSchema(etree.fromstring(ref.read_bytes()))


def _problem(
    where: str, code: str, vi: str, en: str, sev: Severity = Severity.ERROR, line: int | None = None
) -> Problem:
    return Problem(where, code, vi, en, sev, line)


_RANKS = {name: {n: i for i, n in enumerate(order)} for name, order in _ORDER.items()}
_RANKS["MessageHeader/status"] = {n: i for i, n in enumerate(_STATUS_HEADER)}
_RANKS["MessageHeader"] = {n: i for i, n in enumerate(_ENVELOPE_HEADER)}


_NORMALISE_TAGS = ["{}*"] + [
    "{*}" + n for n in sorted({*_RANKS, *_RENAME, "Signature", "DigitalSignature", "Status"} - {"MessageHeader/status"})
]


def _split(tag: str) -> tuple[str | None, str]:
    if tag[0] == "{":
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag.rpartition(":")[2]


_CANONICAL_SHAPES: set[tuple[object, ...]] = set()
"""Tree shapes (each element's tag and child count, in document order) that needed no
change: a busy receiver sees the same few shapes again and again."""


def _normalise(root: etree._Element) -> list[Problem]:
    """Rename and reorder ``root`` in place so the XSD judges content, not order."""
    shape = tuple(x for el in root.iter() for x in (el.tag, len(el)))
    if shape in _CANONICAL_SHAPES:
        return []
    out = _normalise_tree(root)
    if not out and shape == tuple(x for el in root.iter() for x in (el.tag, len(el))):
        if len(_CANONICAL_SHAPES) >= 256:
            _CANONICAL_SHAPES.clear()
        _CANONICAL_SHAPES.add(shape)
    return out


def _normalise_tree(root: etree._Element) -> list[Problem]:
    out: list[Problem] = []
    reordered: set[str] = set()
    # Only elements that can need a change: no namespace, renamed, ordered, Signature.
    for el in list(root.iter(*_NORMALISE_TAGS)):
        ns, name = _split(el.tag)
        if name == "Signature" and ns != DSIG_NS:
            for d in el.iter(etree.Element):
                d.tag = f"{{{DSIG_NS}}}{_split(d.tag)[1]}"
            continue
        if ns == DSIG_NS:
            continue
        parent = el.getparent()
        if name == "DigitalSignature" and len(el) == 0 and not (el.text or "").strip() and parent is not None:
            parent.remove(el)  # the empty placeholder: reported once as unsigned, not as a schema error too
            continue
        if name == "Status" and parent is not None and _split(parent.tag)[1] == "edXMLHeader":
            name = "MessageHeader"  # one vendor's name for a status header (reported by the reader)
            el.tag = f"{{{EDXML_NS}}}{name}"
        if name in _RENAME:
            name = _RENAME[name]
            el.tag = f"{{{EDXML_NS}}}{name}"
        elif ns is None:
            el.tag = f"{{{EDXML_NS}}}{name}"
        rank = _RANKS.get(name)
        if rank is None or len(el) < 2:
            continue
        kids = list(el.iterchildren(etree.Element))
        if name == "MessageHeader" and any(_split(c.tag)[1] == "StatusCode" for c in kids):
            rank = _RANKS["MessageHeader/status"]
        last = len(rank)
        keys = []
        for c in kids:
            n = _split(c.tag)[1]
            keys.append(rank.get(_RENAME.get(n, n), last))
        if all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1)):
            continue
        keyed = [kids[i] for i in sorted(range(len(kids)), key=keys.__getitem__)]  # stable
        if name not in reordered:
            reordered.add(name)
            out.append(
                _problem(
                    element_path(el),
                    "element-order",
                    f"Các phần tử con của {name} không theo thứ tự của chuẩn (đã đọc được).",
                    f"The children of {name} are not in the standard's order (read anyway).",
                    Severity.WARNING,
                    el.sourceline,
                )
            )
        for c in kids:
            el.remove(c)
        el.extend(keyed)
    return out


_XSD_VI = (
    ("This element is not expected", "Phần tử không được phép ở vị trí này"),
    ("Missing child element", "Thiếu phần tử con bắt buộc"),
    ("maxLength", "Giá trị dài quá giới hạn"),
    ("minLength", "Giá trị không được để trống"),
    ("is not a valid value", "Giá trị không hợp lệ"),
    ("is not accepted by the pattern", "Giá trị không đúng định dạng"),
    ("is not an element of the set", "Giá trị không thuộc danh sách cho phép"),
    ("attribute", "Thuộc tính không hợp lệ"),
)


_NAMESPACE = re.compile(r"\{[^{}\s]*[:/][^{}\s]*\}")  # "{http://...}", never a pattern's "{4}"


def _xsd_path(path: str, root: etree._Element | None = None) -> str:
    path = _NAMESPACE.sub("", path or "")
    path = re.sub(r"\b[A-Za-z_][\w.-]*:", "", path)
    path = path.replace("*[local-name()='", "").replace("']", "")
    path = "/edXML" + path[2:] if path.startswith("/*/") else path
    return _named(path, root) if root is not None and "*[" in path else path


def _named(path: str, root: etree._Element) -> str:
    """``/edXML/*[3]`` as ``/edXML/Boundary``: each ``*[n]`` named by the element it points at."""
    parts = path.strip("/").split("/")
    if not parts or parts[0] != "edXML":
        return path
    el, out = root, ["edXML"]
    for part in parts[1:]:
        m = re.fullmatch(r"(\*|[\w.-]+)(?:\[(\d+)\])?", part)
        if m is None:
            return path
        name, index = m.group(1), int(m.group(2) or 1)
        kids = [c for c in el.iterchildren(etree.Element) if name == "*" or _split(c.tag)[1] == name]
        if len(kids) < index:
            return path
        el = kids[index - 1]
        if name == "*":
            local_name = _split(el.tag)[1]
            same = [c for c in el.itersiblings(etree.Element, preceding=True) if _split(c.tag)[1] == local_name]
            part = local_name + (f"[{len(same) + 1}]" if same else "")
        out.append(part)
    return "/" + "/".join(out)


def _xsd_problems(root: etree._Element) -> list[Problem]:
    xsd = schema()
    if xsd.validate(root):
        return []
    out = []
    for entry in xsd.error_log:
        msg = _NAMESPACE.sub("", entry.message)
        vi = next((v for k, v in _XSD_VI if k in msg), "Không đúng lược đồ XSD edXML")
        out.append(
            _problem(
                _xsd_path(entry.path, root),
                "xsd",
                f"{vi} (lược đồ edXML): {msg}",
                f"Schema: {msg}",
                line=entry.line,
            )
        )
    return out


def _note_problem(n: ParseNote) -> Problem:
    sev = Severity.ERROR if n.code in _ERROR_NOTES else Severity.WARNING
    return Problem(n.location, n.code, n.message_vi, n.message_en, sev, n.line)


def _agency(where: str, value: str | None, what_vi: str, what_en: str) -> list[Problem]:
    if value is None:
        return []
    return [
        _problem(where, f"organ-id-{p.code}", f"{what_vi}: {p.message_vi}", f"{what_en}: {p.message_en}")
        for p in check_agency_code(value)
    ]


def _dates(where: str, value: dt.date | None, today: dt.date, what_vi: str, what_en: str) -> list[Problem]:
    if value is not None and value > today:
        return [
            _problem(
                where,
                "date-in-future",
                f"{what_vi} {values.format_date(value)} ở tương lai.",
                f"{what_en} {values.format_date(value)} is in the future.",
            )
        ]
    return []


def _document_id(where: str, doc_id: str | None, sender: str | None) -> list[Problem]:
    if not doc_id:
        return []
    m = _DOCID.match(doc_id)
    if not m:
        return []
    out = []
    day, _ = values.read_date(m.group("date"))
    if day is None:
        out.append(
            _problem(
                where,
                "document-id-date",
                f"DocumentId “{doc_id}” chứa ngày không tồn tại “{m.group('date')}”.",
                f"DocumentId '{doc_id}' contains an impossible date '{m.group('date')}'.",
                Severity.WARNING,
            )
        )
    return out


def _envelope_checks(e: Envelope, today: dt.date) -> list[Problem]:
    mh = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
    out: list[Problem] = []
    out += _agency(f"{mh}/From/OrganId", e.sender.organ_id, "Mã định danh cơ quan gửi", "Sender identifier code")
    if not e.recipients:
        out.append(
            _problem(
                f"{mh}/To",
                "missing-recipient",
                "Gói tin không có cơ quan nhận (To).",
                "The package has no recipient (To).",
            )
        )
    seen: set[str] = set()
    for i, to in enumerate(e.recipients, 1):
        where = f"{mh}/To[{i}]/OrganId"
        out += _agency(where, to.organ_id, "Mã định danh cơ quan nhận", "Recipient identifier code")
        if to.organ_id in seen:
            out.append(
                _problem(
                    where,
                    "duplicate-recipient",
                    f"Cơ quan nhận {to.organ_id} bị lặp.",
                    f"Recipient {to.organ_id} is listed twice.",
                )
            )
        seen.add(to.organ_id)
    if e.code is None:
        out.append(
            _problem(
                f"{mh}/Code",
                "missing-code",
                "Thiếu số và ký hiệu văn bản (Code).",
                "The document number and notation (Code) are missing.",
            )
        )
    elif e.code.code_number and not e.code.code_number.isdigit():
        out.append(
            _problem(
                f"{mh}/Code/CodeNumber",
                "code-number-not-numeric",
                f"Số văn bản “{e.code.code_number}” không phải là số.",
                f"Document number '{e.code.code_number}' is not numeric.",
                Severity.WARNING,
            )
        )
    if e.promulgation_info is None or e.promulgation_info.promulgation_date is None:
        out.append(
            _problem(
                f"{mh}/PromulgationInfo",
                "missing-promulgation-date",
                "Thiếu ngày ban hành.",
                "The promulgation date is missing.",
            )
        )
    else:
        out += _dates(
            f"{mh}/PromulgationInfo/PromulgationDate",
            e.promulgation_info.promulgation_date,
            today,
            "Ngày ban hành",
            "Promulgation date",
        )
        if e.due_date is not None and e.due_date < e.promulgation_info.promulgation_date:
            out.append(
                _problem(
                    f"{mh}/DueDate",
                    "due-before-promulgation",
                    "Hạn xử lý trước ngày ban hành.",
                    "The due date is before the promulgation date.",
                    Severity.WARNING,
                )
            )
    if e.document_type is None:
        out.append(
            _problem(
                f"{mh}/DocumentType",
                "missing-document-type",
                "Thiếu loại văn bản (DocumentType).",
                "The document type is missing.",
            )
        )
    elif e.document_type.type not in (1, 2):
        out.append(
            _problem(
                f"{mh}/DocumentType/Type",
                "document-type-group",
                f"DocumentType/Type “{e.document_type.type}” phải là 1 (hành chính) hoặc 2 (QPPL).",
                f"DocumentType/Type '{e.document_type.type}' must be 1 (administrative) or 2 (legal).",
                Severity.WARNING,
            )
        )
    if not e.subject:
        out.append(
            _problem(f"{mh}/Subject", "missing-subject", "Thiếu trích yếu (Subject).", "The subject is missing.")
        )
    if e.signer_info is None:
        out.append(
            _problem(
                f"{mh}/SignerInfo", "missing-signer", "Thiếu thông tin người ký (SignerInfo).", "SignerInfo is missing."
            )
        )
    if e.other_info is None:
        out.append(_problem(f"{mh}/OtherInfo", "missing-other-info", "Thiếu OtherInfo.", "OtherInfo is missing."))
    if not e.document_id:
        out.append(_problem(f"{mh}/DocumentId", "missing-document-id", "Thiếu DocumentId.", "DocumentId is missing."))
    out += _document_id(f"{mh}/DocumentId", e.document_id, e.sender.organ_id)
    for i, rf in enumerate(e.response_for, 1):
        out += _agency(
            f"{mh}/ResponseFor[{i}]/OrganId",
            rf.organ_id,
            "Mã định danh trong ResponseFor",
            "Identifier code in ResponseFor",
        )
    thl = "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList"
    if not e.trace_headers:
        out.append(
            _problem(thl, "missing-trace-header", "Thiếu TraceHeader (vết chuyển gói tin).", "TraceHeader is missing.")
        )
    for i, th in enumerate(e.trace_headers, 1):
        out += _agency(
            f"{thl}/TraceHeader[{i}]/OrganId",
            th.organ_id,
            "Mã định danh trong TraceHeader",
            "Identifier code in TraceHeader",
        )
    b = e.business
    if b is not None:
        where = f"{thl}/Bussiness"
        if b.business_doc_type not in (0, 1, 2, 3):
            out.append(
                _problem(
                    f"{where}/BussinessDocType",
                    "business-type",
                    f"BussinessDocType “{b.business_doc_type}” phải là 0, 1, 2 hoặc 3.",
                    f"BussinessDocType '{b.business_doc_type}' must be 0, 1, 2 or 3.",
                )
            )
        if b.business_doc_type in (1, 2, 3) and not b.document_id:
            out.append(
                _problem(
                    f"{where}/DocumentId",
                    "business-document-id",
                    "Thu hồi / cập nhật / thay thế cần DocumentId của văn bản liên quan.",
                    "Revoke / update / replace needs the DocumentId of the document concerned.",
                    Severity.WARNING,
                )
            )
        out += _document_id(f"{where}/DocumentId", b.document_id, None)
        if b.business_doc_type == BusinessDocType.UPDATE and b.document_info is None:
            out.append(
                _problem(
                    where,
                    "business-update-info",
                    "Gói cập nhật thiếu BussinessDocumentInfo.",
                    "An update lacks BussinessDocumentInfo.",
                    Severity.WARNING,
                )
            )
        if b.business_doc_type == 3 and not b.replacements:
            out.append(
                _problem(
                    where,
                    "business-replacement-info",
                    "Gói thay thế thiếu ReplacementInfoList.",
                    "A replacement lacks ReplacementInfoList.",
                    Severity.WARNING,
                )
            )
        if b.document_info is not None:
            for i, r in enumerate(b.document_info.receivers, 1):
                out += _agency(
                    f"{where}/BussinessDocumentInfo/ReceiverList/Receiver[{i}]/OrganId",
                    r.organ_id,
                    "Mã định danh trong ReceiverList",
                    "Identifier code in ReceiverList",
                )
        for i, rep in enumerate(b.replacements, 1):
            out += _document_id(f"{where}/ReplacementInfoList/ReplacementInfo[{i}]/DocumentId", rep.document_id, None)
            for j, oid in enumerate(rep.organ_ids, 1):
                out += _agency(
                    f"{where}/ReplacementInfoList/ReplacementInfo[{i}]/OrganIdList/OrganId[{j}]",
                    oid,
                    "Mã định danh trong ReplacementInfo",
                    "Identifier code in ReplacementInfo",
                )
    cids: set[str] = set()
    for i, a in enumerate(e.attachments, 1):
        where = f"/edXML/AttachmentEncoded/Attachment[{i}]"
        if a.content_id in cids or not a.content_id:
            out.append(
                _problem(
                    f"{where}/ContentId",
                    "attachment-content-id",
                    f"ContentId “{a.content_id}” trống hoặc bị lặp.",
                    f"ContentId '{a.content_id}' is empty or repeated.",
                )
            )
        cids.add(a.content_id)
        if not a.name:
            out.append(
                _problem(
                    f"{where}/AttachmentName",
                    "attachment-name",
                    "Tệp đính kèm không có tên.",
                    "An attachment has no name.",
                )
            )
    return out


def _status_checks(s: StatusMessage, today: dt.date) -> list[Problem]:
    mh = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
    out = _agency(f"{mh}/From/OrganId", s.sender.organ_id, "Mã định danh cơ quan gửi", "Sender identifier code")
    rf = s.response_for
    out += _agency(
        f"{mh}/ResponseFor/OrganId", rf.organ_id, "Mã định danh trong ResponseFor", "Identifier code in ResponseFor"
    )
    if not rf.document_id:
        out.append(
            _problem(
                f"{mh}/ResponseFor/DocumentId",
                "missing-document-id",
                "Thiếu DocumentId của văn bản được báo trạng thái.",
                "The DocumentId of the document reported on is missing.",
            )
        )
    out += _dates(
        f"{mh}/ResponseFor/PromulgationDate", rf.promulgation_date, today, "Ngày ban hành", "Promulgation date"
    )
    out += _document_id(f"{mh}/ResponseFor/DocumentId", rf.document_id, rf.organ_id)
    codes = ", ".join(c.value for c in StatusCode)
    if not s.status_code:
        out.append(
            _problem(
                f"{mh}/StatusCode", "missing-status-code", "Thiếu mã trạng thái (StatusCode).", "StatusCode is missing."
            )
        )
    elif s.status is None:
        out.append(
            _problem(
                f"{mh}/StatusCode",
                "status-code",
                f"Mã trạng thái “{s.status_code}” không có trong chuẩn ({codes}).",
                f"Status code '{s.status_code}' is not in the standard ({codes}).",
            )
        )
    if s.timestamp is None:
        out.append(
            _problem(f"{mh}/Timestamp", "missing-timestamp", "Thiếu thời điểm (Timestamp).", "Timestamp is missing.")
        )
    return out


def validate_package(pkg: Package, *, today: dt.date | None = None) -> list[Problem]:
    """Semantic checks on model objects (no schema): what :func:`validate` adds to the XSD."""
    today = today or dt.date.today()
    if isinstance(pkg, Envelope):
        return _envelope_checks(pkg, today)
    return _status_checks(pkg, today)


def validate(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_text: int = DEFAULT_MAX_TEXT,
    today: dt.date | None = None,
) -> list[Problem]:
    """Every problem of an edXML package, errors and warnings, with element paths.

    Raises :class:`EdxmlError` when the bytes are not a readable package (malformed,
    hostile, wrong root).
    """
    notes: list[ParseNote] = []
    root = parse_xml(data, max_size=max_size, max_depth=max_depth, notes=notes)
    pkg, problems = read_for_validation(root, notes, max_text=max_text)
    if pkg is None:
        return problems
    return validate_tree(root, pkg, today=today)


def read_for_validation(
    root: etree._Element, notes: list[ParseNote], *, max_text: int = DEFAULT_MAX_TEXT, decode: bool = True
) -> tuple[Package | None, list[Problem]]:
    """Read the package as :func:`validate` does: digests reported, not raised.

    A package without envelope or header is a problem (``bad-structure``), returned with
    ``None``; anything else unreadable raises :class:`EdxmlError`.
    """
    try:
        return read_package(root, notes=notes, verify_digests=False, max_text=max_text, decode=decode), []
    except EdxmlError as exc:
        if exc.code in ("bad-structure",):
            return None, [_problem(exc.location or "/edXML", exc.code, exc.message_vi, exc.message_en, line=exc.line)]
        raise


def validate_tree(root: etree._Element, pkg: Package, *, today: dt.date | None = None) -> list[Problem]:
    """The problems of a package already read from ``root``.

    Normalises ``root`` in place for the schema (reorders, renames): verify a signature
    on the tree before calling this, not after.
    """
    problems = [_note_problem(n) for n in pkg.notes]
    problems += _normalise(root)
    problems += _xsd_problems(root)
    problems += validate_package(pkg, today=today)
    return problems
