"""Digitized paper (bản số hóa) on incoming documents, through the flow engine.

- :func:`attach_digitized`: the digitized copy of a document that exists only on paper (or
  as a bare scan) joins it; the document now says "số hóa" (archive confidence level 02).
- :func:`certify_copy`: a certified electronic copy (bản sao điện tử) of the digitized
  document, signed with the copying agency's seal in the appearance Nghị định 30 gives for
  copies (no image; the agency's name and the signing time at the top right of page 1).

A secret document is never copied or digitized electronically: it is kept on paper.
The scans themselves are made by :mod:`vanban.scanning`, which hands over a
:class:`DigitizedScan` (digests of files already in the store); creating an incoming
document from one is :func:`vanban.registry.services.incoming.upload_paper`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vanban.audit import AuditAction
from vanban.registry import flow, keys
from vanban.registry.errors import InvalidDocument, SigningFailed
from vanban.registry.files import store
from vanban.registry.models import CertifiedCopy, IncomingDocument, StoredFile
from vanban.registry.states import ConfidenceLevel
from vanban.signing import SigningError, sign_copy

__all__ = ["DigitizedScan", "attach_digitized", "certify_copy"]


@dataclass(frozen=True)
class DigitizedScan:
    """A scan made into PDF/A with a text layer; both files are already in the store."""

    pdf_sha256: str
    pdf_size: int
    pdf_name: str
    original_sha256: str
    original_size: int
    original_name: str
    original_type: str


def _refuse_secret(doc: IncomingDocument, what_vi: str) -> None:
    if doc.secrecy is not None:
        raise InvalidDocument(
            f"Văn bản có độ mật “{doc.secrecy.name}” chỉ được quản lý bản giấy: không {what_vi}.",
            "A secret document is kept on paper only.",
            code="secret_document",
        )


def attach_digitized(user, doc: IncomingDocument, scan: DigitizedScan) -> IncomingDocument:
    """The digitized copy of a paper document (kept: the scan beside the PDF/A)."""

    def change(doc: IncomingDocument, _prepared) -> dict:
        _refuse_secret(doc, "gắn bản số hóa")
        if not doc.awaits_digitized_copy:
            raise InvalidDocument(
                "Chỉ gắn bản số hóa cho văn bản đến bản giấy chưa có bản số hóa.",
                "Only a paper document without a digitized copy takes one.",
                code="not_paper_only",
            )
        pdf = StoredFile.objects.create(
            sha256=scan.pdf_sha256, name=scan.pdf_name[:255], content_type="application/pdf", size=scan.pdf_size
        )
        doc.digitized_file = pdf
        doc.scan_original = StoredFile.objects.create(
            sha256=scan.original_sha256,
            name=scan.original_name[:255],
            content_type=scan.original_type,
            size=scan.original_size,
        )
        if doc.main_file_id is None:
            doc.main_file = pdf
        doc.confidence_level = ConfidenceLevel.DIGITIZED
        return {"digitized_sha256": scan.pdf_sha256, "original_sha256": scan.original_sha256}

    return flow.perform(
        flow.INCOMING_FLOW,
        doc,
        "attach_digitized",
        actor=user,
        audit_action=AuditAction.INCOMING_DIGITIZED,
        change=change,
        reason="Gắn bản số hóa từ bản giấy",
    )


def _copyable(doc: IncomingDocument) -> StoredFile:
    _refuse_secret(doc, "tạo bản sao điện tử")
    if doc.digitized_file is None:
        raise InvalidDocument(
            "Văn bản chưa có bản số hóa: hãy số hóa bản giấy trước khi tạo bản sao điện tử.",
            "The document has no digitized copy.",
            code="not_digitized",
        )
    return doc.digitized_file


def certify_copy(
    user, doc: IncomingDocument, key_file: bytes | None = None, password: bytes | None = None
) -> CertifiedCopy:
    """A certified electronic copy of the digitized document, sealed by the user's agency
    (the slow signing before any lock; the copy row, history and audit in one transaction)."""
    person = flow.person_of(user)
    made: list[CertifiedCopy] = []

    def prepare(doc: IncomingDocument) -> tuple[bytes, str]:
        source = _copyable(doc)
        with keys.agency_signer(person.agency, key_file, password) as signer:
            try:
                signed = sign_copy(source.read(), signer, person.agency.name)
            except SigningError as exc:
                raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc
            return signed, signer.certificate.subject.rfc4514_string()

    def change(doc: IncomingDocument, prepared) -> dict:
        _copyable(doc)
        signed, certificate = prepared
        name = f"ban-sao-{doc.so_ky_hieu.replace('/', '-') or doc.pk}.pdf"
        copy = CertifiedCopy.objects.create(
            document=doc,
            agency=person.agency,
            file=store(signed, name, "application/pdf"),
            made_by=person,
            certificate=certificate[:500],
            confidence_level=ConfidenceLevel.DIGITIZED,
        )
        made.append(copy)
        return {"copy": copy.pk, "sha256": copy.file.sha256, "confidence_level": copy.confidence_level}

    flow.perform(
        flow.INCOMING_FLOW,
        doc,
        "certify_copy",
        actor=user,
        audit_action=AuditAction.INCOMING_COPY_CERTIFIED,
        prepare=prepare,
        change=change,
        reason=f"Sao từ bản số hóa, ký số của {person.agency.name}",
    )
    return made[0]
