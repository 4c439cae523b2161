"""The arrival pipeline for packages from the hub, as ordered steps (see
:mod:`vanban.arrival`): cheap parse → de-duplicate by identity key → verify the package
and every PDF signature (only what is new) → de-duplicate by content → secrecy → store
once → record (the arrival row, ``01`` to the sender). The registry then creates the
incoming document from the recorded arrival (:func:`vanban.connector.arrivals`).
A package carrying a PDF that :func:`vanban.pdfguard.check_pdf` refuses (a decompression
bomb, an encrypted file) is refused whole, before any PDF is read and before anything is stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from vanban import audit, secrecy
from vanban import storage as files
from vanban.arrival import Arrival, Pipeline, StopArrival
from vanban.audit.actions import AuditAction
from vanban.connector import conf, storage
from vanban.connector.errors import AttachmentRefused, PackageUnreadable
from vanban.connector.models import ReceivedPackage, ReceivedState
from vanban.connector.outbox import make_status, send_status
from vanban.edxml import BusinessDocType, EdxmlError, Envelope, StatusCode, check, identity_key, peek, to_dict
from vanban.pdfguard import PdfRefused, check_pdf

logger = logging.getLogger(__name__)

__all__ = ["HUB_PIPELINE", "receive_package", "business_key", "verify"]


def _btype(pkg: Envelope) -> int:
    return int(pkg.business.business_doc_type) if pkg.business else int(BusinessDocType.NEW)


def parse(arrival: Arrival) -> None:
    """Read the header only (attachments left undecoded)."""
    try:
        pkg = peek(arrival.data)
    except EdxmlError as exc:
        raise PackageUnreadable(f"Gói tin không đọc được: {exc.message_vi}", exc.message_en) from None
    if not isinstance(pkg, Envelope):
        raise PackageUnreadable("Không phải gói tin văn bản.", "Not an envelope.")
    arrival.package = pkg
    arrival.meta["sha256"] = hashlib.sha256(arrival.data).hexdigest()
    arrival.key = identity_key(pkg, arrival.meta["sha256"])


def _stored(agency, *, key: str = "", bkey: str = "") -> ReceivedPackage | None:
    cond = Q()
    if key:
        cond |= Q(dedupe_key=key)
    if bkey:
        cond |= Q(business_key=bkey)
    return ReceivedPackage.objects.filter(agency=agency).filter(cond).first() if cond else None


def deduplicate(arrival: Arrival) -> None:
    """The same package again (same identity key): nothing more to do."""
    existing = _stored(arrival.agency, key=arrival.key)
    if existing is not None:
        raise StopArrival("duplicate", result=existing)


def _is_pdf(att: Any) -> bool:
    return att.content_type == "application/pdf" or att.name.lower().endswith(".pdf") or att.content[:5] == b"%PDF-"


def guard_pdfs(pkg: Envelope) -> None:
    """Every PDF attached passes :func:`vanban.pdfguard.check_pdf` before anything reads it
    (the signature check, the secrecy scan, the registry); one that does not makes the whole
    package :class:`AttachmentRefused`: nothing is stored and the hub is told why."""
    limits = conf.pdf_limits()
    for att in pkg.attachments:
        if not _is_pdf(att):
            continue
        try:
            check_pdf(att.content, limits)
        except PdfRefused as exc:
            raise AttachmentRefused(
                f"Tệp đính kèm “{att.name}” bị từ chối: {exc.message_vi}",
                f"Attachment {att.name!r} refused: {exc.message_en}",
                details={"attachment": att.name, "pdf_code": exc.code},
            ) from None


def verify(data: bytes) -> tuple[Any, bool, dict[str, Any]]:
    """The package read in full, whether its signature is valid and from its sender, and
    the report (problems, XML signature, each PDF's signatures against the trust roots)."""
    trust = conf.trust_roots()
    result = check(data, trust) if trust else check(data)
    report: dict[str, Any] = {
        "problems": [p.to_dict() for p in result.errors],
        "signature": result.signature.to_dict() if result.signature else None,
        "pdf": [],
    }
    ok = bool(result.signature and result.signature.valid and result.signature.sender_matches)
    pkg = result.package
    if isinstance(pkg, Envelope):
        guard_pdfs(pkg)
    if isinstance(pkg, Envelope) and trust:
        from vanban.signing import load_trust_roots, validate_pdf

        roots = load_trust_roots([trust])
        for att in pkg.attachments:
            if _is_pdf(att):
                pdf = validate_pdf(att.content, roots)
                report["pdf"].append(
                    {"name": att.name, "verdict": pdf.verdict, "report": json.loads(pdf.to_json(indent=None))}
                )
    return pkg, ok, report


def verify_step(arrival: Arrival) -> None:
    try:
        pkg, ok, report = verify(arrival.data)
    except EdxmlError as exc:
        raise PackageUnreadable(f"Gói tin không đọc được: {exc.message_vi}", exc.message_en) from None
    if not isinstance(pkg, Envelope):
        raise PackageUnreadable("Không phải gói tin văn bản.", "Not an envelope.")
    arrival.package, arrival.verified, arrival.verification = pkg, ok, report


def business_key(pkg: Envelope) -> str:
    """(sender, number/notation, date, business type, content digest): the same document
    sent twice under two DocumentIds has one business key."""
    content = hashlib.sha256()
    content.update((pkg.subject or "").encode())
    for digest in sorted(a.sha256 for a in pkg.attachments):
        content.update(digest.encode())
    date = pkg.promulgation_info.promulgation_date if pkg.promulgation_info else None
    raw = f"{pkg.sender.organ_id}|{pkg.code or ''}|{date or ''}|{_btype(pkg)}|{content.hexdigest()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def deduplicate_content(arrival: Arrival) -> None:
    arrival.meta["business_key"] = business_key(arrival.package)
    existing = _stored(arrival.agency, bkey=arrival.meta["business_key"])
    if existing is not None:
        raise StopArrival("duplicate", result=existing)


def _secrecy_of(pkg: Envelope) -> secrecy.Finding | None:
    found = secrecy.in_envelope(pkg)
    for att in pkg.attachments:
        if found is not None:
            break
        if _is_pdf(att):
            found = secrecy.in_pdf(att.content)
    return found


def _row(arrival: Arrival, **extra: Any) -> ReceivedPackage:
    pkg: Envelope = arrival.package
    return ReceivedPackage.objects.create(
        agency=arrival.agency,
        sender_code=pkg.sender.organ_id,
        document_id=pkg.document_id or "",
        business_type=_btype(pkg),
        dedupe_key=arrival.key,
        business_key=arrival.meta["business_key"],
        subject=(pkg.subject or "")[:500],
        code_notation=str(pkg.code)[:60] if pkg.code else "",
        size=len(arrival.data),
        verification=arrival.verification,
        hub_package_id=arrival.meta.get("hub_package_id", ""),
        **extra,
    )


def _answer(arrival: Arrival, code: StatusCode, description: str) -> None:
    """Queue a status about the package back to its sender (in the caller's transaction)."""
    pkg: Envelope = arrival.package
    agency = arrival.agency
    send_status(
        agency,
        make_status(
            agency,
            original_sender=pkg.sender.organ_id,
            document_id=pkg.document_id or "",
            status_code=code,
            description=description[:500],
            code=str(pkg.code) if pkg.code else None,
            promulgation_date=pkg.promulgation_info.promulgation_date if pkg.promulgation_info else None,
        ),
    )


def _recorded_elsewhere(arrival: Arrival) -> None:
    """A concurrent pull recorded the same package first."""
    existing = _stored(arrival.agency, key=arrival.key, bkey=arrival.meta["business_key"])
    if existing is None:
        raise
    raise StopArrival("duplicate", result=existing)


def secrecy_step(arrival: Arrival) -> None:
    """A secret document arrived electronically: its content is not kept, the sender gets
    02 with the reason, and the hub is told (by the pull, after this commits)."""
    finding = _secrecy_of(arrival.package)
    if finding is None:
        return
    arrival.secrecy = finding
    arrival.verification = {
        **arrival.verification,
        "secrecy": {
            "level": finding.level,
            "level_name": finding.level_name,
            "where": finding.where,
            "message_vi": finding.message_vi(),
        },
    }
    try:
        with transaction.atomic():
            row = _row(arrival, sha256=arrival.meta["sha256"], verified=False, state=ReceivedState.SECRET)
            audit.record(
                None,
                AuditAction.CONNECTOR_PACKAGE_SECRET,
                row,
                object_label=f"{row.sender_code} {row.document_id}"[:255],
                after={"level": finding.level, "where": finding.where, "hub_package_id": row.hub_package_id},
            )
            _answer(arrival, StatusCode.REJECTED, finding.message_vi())
    except IntegrityError:
        _recorded_elsewhere(arrival)
    raise StopArrival("secret", finding.message_vi(), result=row)


def store(arrival: Arrival) -> None:
    """The signed package (the evidence) and each attachment, once, in the one store:
    the registry's documents refer to the attachments by digest, nothing is copied."""
    arrival.stored["package"] = storage.store(arrival.data)
    for att in arrival.package.attachments:
        arrival.stored[f"attachment:{att.content_id}"] = files.put_bytes(att.content)


def record(arrival: Arrival) -> None:
    """The arrival row, its audit event and (when the signature holds) ``01`` to the sender,
    in one transaction."""
    pkg: Envelope = arrival.package
    header = to_dict(pkg)
    header.pop("attachments", None)
    attachments = [
        {
            "content_id": a.content_id,
            "name": a.name,
            "content_type": a.content_type,
            "sha256": a.sha256,
            "size": len(a.content),
            "description": a.description,
        }
        for a in pkg.attachments
    ]
    try:
        with transaction.atomic():
            row = _row(
                arrival,
                sha256=arrival.stored["package"],
                verified=arrival.verified,
                header=header,
                attachments=attachments,
                state=ReceivedState.NEW if arrival.verified else ReceivedState.QUARANTINED,
            )
            audit.record(
                None,
                AuditAction.CONNECTOR_PACKAGE_RECEIVED,
                row,
                object_label=f"{row.sender_code} {row.document_id}"[:255],
                after={"verified": arrival.verified, "sha256": row.sha256, "hub_package_id": row.hub_package_id},
            )
            if arrival.verified:
                _answer(arrival, StatusCode.RECEIVED, "Văn thư: hệ thống đã nhận văn bản")
    except IntegrityError:
        _recorded_elsewhere(arrival)
    arrival.result = row


HUB_PIPELINE = Pipeline(
    "hub",
    [
        ("parse", parse),
        ("deduplicate", deduplicate),
        ("verify", verify_step),
        ("deduplicate_content", deduplicate_content),
        ("secrecy", secrecy_step),
        ("store", store),
        ("record", record),
    ],
)


def receive_package(agency, data: bytes, *, hub_package_id: str = "") -> tuple[ReceivedPackage, bool]:
    """Run a package from the hub through :data:`HUB_PIPELINE`. Returns (row, created):
    stored once per identity key and once per business key; a new one is answered ``01``,
    a secret one ``02`` (and not kept)."""
    arrival = HUB_PIPELINE.run(Arrival("hub", data, agency=agency, meta={"hub_package_id": hub_package_id}))
    return arrival.result, arrival.outcome in ("created", "secret")
