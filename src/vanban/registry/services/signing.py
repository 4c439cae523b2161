"""The signer's digital signature and the agency seal on an outgoing document.

The PDF work (and a token or remote signer's round trip) happens before the transaction;
the transaction then re-checks the guard on the locked row and stores the result, so a
slow signature never holds the database and a concurrent change is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from vanban.audit import AuditAction
from vanban.registry import keys, transitions
from vanban.registry.errors import RegistryError, SigningFailed, TransitionRefused
from vanban.registry.files import store
from vanban.registry.models import OutgoingDocument
from vanban.registry.services._common import apply, locked, person_of
from vanban.signing import (
    PreparedSignature,
    SigningError,
    add_number_fields,
    default_signature_box,
    prepare_signature,
    seal_box_for,
    sign_attachment,
    sign_pdf,
    signature_boxes,
)

__all__ = [
    "sign_document",
    "seal_document",
    "prepare_seal",
    "record_seal",
    "sign_documents",
    "BatchSigning",
    "record_signature",
    "signature_options",
]


def _timestamp_url() -> str | None:
    """The RFC 3161 service for the signer's and the seal's signatures (PAdES B-T), if set."""
    return getattr(settings, "VANBAN_SIGNING_TSA_URL", "") or None


def _fresh(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_related("agency", "signer", "drafter").get(pk=document.pk)


def sign_document(
    user,
    document: OutgoingDocument,
    key_file: bytes | None = None,
    password: bytes | None = None,
    remote: bool = False,
) -> OutgoingDocument:
    """The designated signer signs the current version (visible signature image) with a key
    file (uploaded, or kept by the server) or, with ``remote``, their remote signing account
    (the provider asks them to approve on the phone; this waits for it)."""
    document = _fresh(document)
    person = person_of(user)
    transitions.check(document, person, "sign")
    version = document.current_version
    assert version is not None  # create_draft makes version 1 and versions are never deleted
    with keys.person_signer(person, key_file, password, remote=remote) as signer:
        try:
            signed = sign_pdf(
                add_number_fields(version.file.read()),  # the places numbering fills in later
                signer,
                **signature_options(document, person),
            )
        except SigningError as exc:
            raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc
    via = "upload" if key_file else ("remote" if remote else "server")
    return record_signature(user, document, version, signed, signer.certificate, via)


def signature_options(document: OutgoingDocument, person) -> dict:
    """How the signer's signature looks and is stamped, the same whoever holds the key."""
    return {
        "image": keys.image_of(person),
        "reason": "Ký ban hành văn bản",
        "location": document.agency.place or None,
        "timestamp_url": _timestamp_url(),
    }


def record_signature(
    user, document: OutgoingDocument, version, signed: bytes, certificate, via: str
) -> OutgoingDocument:
    """The signed PDF of ``version`` stored and the "sign" transition applied, in one
    transaction that re-checks the guard on the locked row and refuses a version changed
    while the key was signing. ``via`` says where the key was, for the audit event:
    ``server``, ``upload``, ``remote`` or ``usb-token``."""
    person = person_of(user)
    with transaction.atomic():
        document = locked(document)
        transitions.check(document, person, "sign")
        current = document.current_version
        if current is None or current.pk != version.pk:
            raise TransitionRefused(
                "Dự thảo vừa có phiên bản mới; hãy xem lại trước khi ký.",
                "A new version arrived while signing.",
                code="version_changed",
            )
        stored = store(signed, f"{version.file.name.rsplit('.', 1)[0]}-da-ky.pdf", "application/pdf")
        document.signed_file = stored
        document.save(update_fields=["signed_file", "updated_at"])
        apply(
            document,
            user,
            "sign",
            AuditAction.OUTGOING_SIGNED,
            after={
                "version": version.number,
                "signed_sha256": stored.sha256,
                "certificate": certificate.subject.rfc4514_string(),
                "key": via,
            },
        )
    return document


def seal_document(
    user, document: OutgoingDocument, key_file: bytes | None = None, password: bytes | None = None
) -> OutgoingDocument:
    """The clerk applies the agency's signature (the seal) over the signer's, and the
    agency signature on each attachment in a separate file (text: số, ký hiệu + time)."""
    document = _fresh(document)
    person = person_of(user)
    transitions.check(document, person, "seal")
    attachments = list(document.attachments.select_related("file"))
    with keys.agency_signer(document.agency, key_file, password) as signer:
        try:
            prepared = prepare_seal(
                document, signer.certificate, signer.chain, signer.digest_algorithm, signer.signature_size()
            )
            sealed = prepared.embed(signer.sign_raw(prepared.data_to_sign, prepared.digest_algorithm))
            signed_attachments = [
                sign_attachment(a.file.read(), signer, document.so_ky_hieu, timestamp_url=_timestamp_url())
                for a in attachments
            ]
        except SigningError as exc:
            raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc
    return record_seal(
        user,
        document,
        sealed,
        list(zip(attachments, signed_attachments)),
        signer.certificate,
        "upload" if key_file else "server",
    )


def prepare_seal(
    document: OutgoingDocument, certificate, chain: list, digest_algorithm: str = "sha256", signature_size: int = 512
) -> PreparedSignature:
    """The seal prepared over the numbered, signed PDF for the agency ``certificate`` (whoever
    holds its key: the server, an uploaded file, a USB token): the seal image over the left
    third of the signer's signature, the agency's place, the lock, the timestamp service.
    Raises :class:`~vanban.signing.SigningError`."""
    assert document.signed_file is not None  # "seal" starts from numbered, after "sign" stored the signed file
    pdf = document.signed_file.read()
    image = keys.image_of(document.agency)
    box = None
    if image is not None:
        boxes = signature_boxes(pdf)
        box = seal_box_for(boxes[-1][1] if boxes else default_signature_box(pdf))
    return prepare_signature(
        pdf,
        certificate,
        chain,
        kind="seal",
        image=image,
        box=box,
        reason="Văn thư đóng dấu cơ quan",
        location=document.agency.place or None,
        lock_document=True,
        timestamp_url=_timestamp_url(),
        digest_algorithm=digest_algorithm,
        signature_size=signature_size,
    )


def record_seal(
    user, document: OutgoingDocument, sealed: bytes, attachments: list, certificate, via: str
) -> OutgoingDocument:
    """The sealed PDF (and each attachment's signed file, ``[(attachment, bytes)]``) stored
    and the "seal" transition applied, in one transaction that re-checks the guard on the
    locked row. ``via`` says where the agency's key was: ``server``, ``upload``, ``usb-token``."""
    person = person_of(user)
    with transaction.atomic():
        document = locked(document)
        transitions.check(document, person, "seal")
        stored = store(sealed, f"{document.so_ky_hieu.replace('/', '-')}.pdf", "application/pdf")
        document.signed_file = stored
        document.save(update_fields=["signed_file", "updated_at"])
        for att, data in attachments:
            att.signed_file = store(data, att.file.name, "application/pdf")
            att.save(update_fields=["signed_file"])
        apply(
            document,
            user,
            "seal",
            AuditAction.OUTGOING_SEALED,
            after={
                "sealed_sha256": stored.sha256,
                "attachments": len(attachments),
                "certificate": certificate.subject.rfc4514_string(),
                "key": via,
            },
        )
    return document


@dataclass
class BatchSigning:
    """What a batch signing did: the documents signed, and each one not signed with why."""

    signed: list[OutgoingDocument] = field(default_factory=list)
    failed: list[tuple[OutgoingDocument, str]] = field(default_factory=list)


def sign_documents(
    user,
    documents: list[OutgoingDocument],
    key_file: bytes | None = None,
    password: bytes | None = None,
    remote: bool = False,
) -> BatchSigning:
    """Ký số hàng loạt: the signer signs several documents with one key entry (its password
    or PIN asked once); each is signed, checked and audited on its own, as
    :func:`sign_document` does, and one refused does not stop the others."""
    result = BatchSigning()
    for document in documents:
        try:
            result.signed.append(sign_document(user, document, key_file, password, remote=remote))
        except RegistryError as exc:
            result.failed.append((document, exc.message_vi))
    return result
