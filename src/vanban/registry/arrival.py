"""The arrival pipelines of documents that do not come through the hub, on the same steps
and :mod:`vanban.arrival` machinery as the hub's (:mod:`vanban.connector.arrival`):

- **e-mail** (a ``.eml`` the clerk drops): parse → de-duplicate (the same PDF bytes
  already received, by the hub or by e-mail) → verify the PDF's signatures → secrecy (a
  secret document never comes electronically) → store once → create the incoming document;
- **paper** (entered by the clerk, with a plain scan, with the digitized copy made by
  :mod:`vanban.scanning`, or with no file yet): check the fields → secrecy (a secret
  document is registered on paper only: no scan of it is kept on the system) → store →
  create the incoming document (a digitized one says so: confidence level 02).
"""

from __future__ import annotations

import email
import hashlib
from email import policy
from email.message import Message
from email.utils import parseaddr
from pathlib import Path

from django.conf import settings

from vanban import secrecy
from vanban.arrival import Arrival, Pipeline
from vanban.audit import AuditAction, record
from vanban.registry import flow
from vanban.registry.errors import InvalidDocument
from vanban.registry.files import MAX_UPLOAD_BYTES, accept_main_file, pdf_page_count
from vanban.registry.models import IncomingDocument, StoredFile
from vanban.registry.states import ConfidenceLevel, IncomingSource

__all__ = ["EMAIL_PIPELINE", "PAPER_PIPELINE", "duplicate_of"]


def duplicate_of(agency_id: int, sha256: str) -> IncomingDocument | None:
    """An incoming document of the agency whose PDF has these exact bytes (the same signed
    document arriving again, e.g. by the hub and by e-mail)."""
    return IncomingDocument.objects.filter(agency_id=agency_id, main_file__sha256=sha256).first()


def _clerk(what_vi: str, what_en: str):
    def authorize(arrival: Arrival) -> None:
        person = flow.person_of(arrival.meta["user"])
        if not person.has_role("van-thu"):
            raise InvalidDocument(f"Chỉ văn thư {what_vi}.", f"Only clerks {what_en}.", code="not_allowed")
        arrival.agency = person.agency

    return authorize


MAX_MIME_DEPTH = 32  # parts inside parts: a real message has a handful


def _mime_depth(message: Message) -> int:
    """How deep the message's parts are nested (walked without recursion)."""
    deepest, stack = 0, [(message, 1)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        if part.is_multipart() and depth <= MAX_MIME_DEPTH:
            stack.extend((child, depth + 1) for child in part.get_payload() if isinstance(child, Message))
    return deepest


_EMAIL_PARSER_FAILURES = (AttributeError, LookupError, TypeError, ValueError)
"""What :mod:`email` raises on headers it cannot parse (its own bugs, e.g. a group where an
address belongs raises AttributeError): found by fuzzing (tests/fuzz_regressions/email)."""


def parse_email(arrival: Arrival) -> None:
    if len(arrival.data) > MAX_UPLOAD_BYTES:
        raise InvalidDocument("Thư quá lớn (tối đa 50 MB).", "Message too large.", code="too_large")
    try:
        message = email.message_from_bytes(arrival.data, policy=policy.default)
        depth: int | None = _mime_depth(message)
    except RecursionError:  # the parser itself gave up: nested far deeper than any real message
        depth = None
    if depth is None or depth > MAX_MIME_DEPTH:
        raise InvalidDocument(
            f"Thư có các phần lồng nhau quá sâu (hơn {MAX_MIME_DEPTH} cấp) nên không đọc được; hãy đề nghị nơi gửi gửi lại.",
            "The message's parts are nested too deeply.",
            code="nested_too_deep",
        )
    try:
        pdfs = [
            (part.get_filename() or "van-ban.pdf", part.get_content())
            for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf" or (part.get_filename() or "").lower().endswith(".pdf")
        ]
        # headers are parsed when read: the standard library's parser fails on some damaged ones
        display, address = parseaddr(str(message.get("From", "")))
        subject = str(message.get("Subject", ""))
    except _EMAIL_PARSER_FAILURES as exc:
        raise InvalidDocument(
            "Thư bị hỏng (phần đầu thư hoặc tệp đính kèm không đọc được); hãy đề nghị nơi gửi gửi lại.",
            f"The message is damaged and cannot be read: {type(exc).__name__}.",
            code="unreadable_email",
        ) from exc
    if not pdfs:
        raise InvalidDocument("Thư không có tệp PDF đính kèm.", "The message has no PDF attachment.", code="no_pdf")
    name, data = pdfs[0]
    arrival.package = message
    arrival.meta.update(
        pdf=data if isinstance(data, bytes) else data.encode(),
        pdf_name=name,
        sender_name=(display or address or "Không rõ")[:255],
        address=address,
        subject=(subject or "(không có tiêu đề)")[:500],
    )
    arrival.key = hashlib.sha256(arrival.meta["pdf"]).hexdigest()


def deduplicate(arrival: Arrival) -> None:
    existing = duplicate_of(arrival.agency.pk, arrival.key)
    if existing is not None:
        raise InvalidDocument(
            f"Văn bản này đã nhận rồi (số đến {existing.so_den or 'chưa vào sổ'}, nguồn: "
            f"{existing.get_source_display().lower()}); không nhận lần nữa.",
            "This document was already received.",
            code="duplicate",
        )


def guard_pdf(arrival: Arrival) -> None:
    """The one pre-flight check (:func:`vanban.pdfguard.check_pdf`) before any reader sees
    the e-mailed PDF: a decompression bomb is refused here with its reason."""
    pdf_page_count(arrival.meta["pdf"])


def verify_pdf(arrival: Arrival) -> None:
    """The PDF's signatures against the trust roots, when the office has them."""
    root = Path(settings.VANBAN_TRUST_ROOTS)
    paths = sorted(root.glob("*.pem")) if root.is_dir() else ([root] if root.exists() else [])
    if not paths:
        return
    import json

    from vanban.signing import load_trust_roots, validate_pdf

    result = validate_pdf(arrival.meta["pdf"], load_trust_roots(paths))
    arrival.verification = {
        "pdf": [
            {
                "name": arrival.meta["pdf_name"],
                "verdict": result.verdict,
                "report": json.loads(result.to_json(indent=None)),
            }
        ]
    }


def refuse_secret(arrival: Arrival) -> None:
    found = secrecy.in_pdf(arrival.meta["pdf"])
    if found is not None:
        raise InvalidDocument(
            f"{found.message_vi()} Văn bản mật không được nhận qua thư điện tử: hãy đề nghị nơi gửi chuyển bản giấy.",
            "A secret document never arrives electronically.",
            code="secret_document",
        )


def store_email_pdf(arrival: Arrival) -> None:
    pdf, _, _ = accept_main_file(arrival.meta["pdf"], arrival.meta["pdf_name"])
    arrival.meta["file"] = pdf
    arrival.stored["pdf"] = pdf.sha256


def create_from_email(arrival: Arrival) -> None:
    user, meta = arrival.meta["user"], arrival.meta
    doc = IncomingDocument.objects.create(
        agency=arrival.agency,
        source=IncomingSource.EMAIL,
        sender_name=meta["sender_name"],
        subject=meta["subject"],
        main_file=meta["file"],
        verification=arrival.verification,
    )
    flow.history(flow.INCOMING_FLOW, doc, "receive", "", actor=user, reason=f"Thư từ {meta['address']}"[:1000])
    record(user, AuditAction.INCOMING_RECEIVED, doc, after={"source": "thu-dien-tu", "from": meta["address"]})
    arrival.result = doc


EMAIL_PIPELINE = Pipeline(
    "email",
    [
        ("authorize", _clerk("nhận văn bản qua thư điện tử", "enter e-mailed documents")),
        ("parse", parse_email),
        ("deduplicate", deduplicate),
        ("guard", guard_pdf),
        ("verify", verify_pdf),
        ("secrecy", refuse_secret),
        ("store", store_email_pdf),
        ("create", create_from_email),
    ],
)


def check_paper_fields(arrival: Arrival) -> None:
    meta = arrival.meta
    if not meta["sender_name"].strip() or not meta["subject"].strip():
        raise InvalidDocument(
            "Hãy nhập cơ quan gửi và trích yếu.", "Sender and subject are required.", code="missing_fields"
        )


def paper_secrecy(arrival: Arrival) -> None:
    """A secret paper document (the clerk's choice, or the stamp the scan showed) is
    registered on paper only: no file of it is kept on the system."""
    if arrival.meta.get("secrecy") is not None:
        arrival.meta["digitized"] = None
        arrival.data = b""


def store_scan(arrival: Arrival) -> None:
    meta = arrival.meta
    meta["file"] = meta["scan_original"] = None
    scan = meta.get("digitized")
    if scan is not None:
        # already in the store (vanban.scanning put them there): rows over the same bytes
        meta["file"] = StoredFile.objects.create(
            sha256=scan.pdf_sha256, name=scan.pdf_name[:255], content_type="application/pdf", size=scan.pdf_size
        )
        meta["scan_original"] = StoredFile.objects.create(
            sha256=scan.original_sha256,
            name=scan.original_name[:255],
            content_type=scan.original_type,
            size=scan.original_size,
        )
    elif arrival.data:
        meta["file"], _, _ = accept_main_file(arrival.data, meta["name"])
    if meta["file"] is not None:
        arrival.stored["pdf"] = meta["file"].sha256


def create_from_paper(arrival: Arrival) -> None:
    user, meta = arrival.meta["user"], arrival.meta
    dtype = meta.get("document_type")
    digitized = meta.get("digitized") is not None
    doc = IncomingDocument.objects.create(
        agency=arrival.agency,
        source=IncomingSource.PAPER,
        sender_name=meta["sender_name"].strip()[:255],
        subject=meta["subject"].strip()[:500],
        code_number=meta.get("code_number", "")[:20],
        code_notation=meta.get("code_notation", "")[:60],
        issued_on=meta.get("issued_on"),
        document_type=dtype,
        type_name=dtype.name if dtype else "",
        main_file=meta["file"],
        digitized_file=meta["file"] if digitized else None,
        scan_original=meta["scan_original"],
        confidence_level=ConfidenceLevel.DIGITIZED if digitized else "",
        secrecy=meta.get("secrecy"),
        paper_copy=True,
    )
    flow.history(flow.INCOMING_FLOW, doc, "receive", "", actor=user)
    after = {"source": "ban-giay", "sender": doc.sender_name, "digitized": digitized}
    if doc.secrecy is not None:
        after["secrecy"] = doc.secrecy.name
    record(user, AuditAction.INCOMING_RECEIVED, doc, after=after)
    arrival.result = doc


PAPER_PIPELINE = Pipeline(
    "paper",
    [
        ("authorize", _clerk("nhập văn bản đến bản giấy", "enter paper documents")),
        ("fields", check_paper_fields),
        ("secrecy", paper_secrecy),
        ("store", store_scan),
        ("create", create_from_paper),
    ],
)
