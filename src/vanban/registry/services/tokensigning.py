"""Signing with a key the server never reaches: a USB token on the signer's computer, used
by the page through the local signing agent (``vanban signing-agent``).

Two steps, two requests: :func:`prepare_token_signatures` checks the guard and the
certificate the token holds (the person's own, as for server keys), prepares each PDF and
keeps it (a :class:`~vanban.registry.models.PendingSignature` row) and gives the page the
digests to sign; :func:`finish_token_signatures` takes the values back, checks each against
the certificate, embeds it and applies the same "sign" transition as
:func:`~vanban.registry.services.signing.sign_document`, one transaction and one audit event
per document. A batch is one request each way, so the agent asks the PIN once.

The văn thư seals the same way with the agency's token: :func:`prepare_token_seal` checks
the certificate is this agency's own (an agency certificate, never a person's, as for the
server's key) and prepares the seal exactly as
:func:`~vanban.registry.services.signing.seal_document` does (:func:`prepare_seal`);
:func:`finish_token_seal` embeds the value and applies the same "seal" transition
(:func:`record_seal`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from cryptography import x509
from django.utils import timezone

from vanban.registry import keys, transitions
from vanban.registry.errors import RegistryError, SigningFailed
from vanban.registry.models import OutgoingDocument, PendingSignature
from vanban.registry.services._common import person_of
from vanban.registry.services.signing import (
    BatchSigning,
    prepare_seal,
    record_seal,
    record_signature,
    signature_options,
)
from vanban.signing import PreparedSignature, SigningError, add_number_fields, prepare_signature

__all__ = [
    "TokenDigest",
    "TokenBatch",
    "prepare_token_signatures",
    "finish_token_signatures",
    "prepare_token_seal",
    "finish_token_seal",
    "PENDING_LIFETIME",
]

PENDING_LIFETIME = timedelta(minutes=15)
"""How long a prepared signature waits for the token's value."""


@dataclass(frozen=True)
class TokenDigest:
    """What the page hands the agent for one document: the digest of the signed attributes."""

    token: str
    document: OutgoingDocument
    digest: bytes
    digest_algorithm: str


@dataclass
class TokenBatch:
    """The digests prepared, and each document not prepared with why."""

    prepared: list[TokenDigest] = field(default_factory=list)
    failed: list[tuple[OutgoingDocument, str]] = field(default_factory=list)


def _certificates(certificate_pem: str, chain_pem: list[str]) -> tuple[x509.Certificate, list[x509.Certificate]]:
    try:
        cert = x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
        chain = [x509.load_pem_x509_certificate(p.encode("ascii")) for p in chain_pem]
    except (ValueError, UnicodeEncodeError) as exc:
        raise SigningFailed(
            "Thiết bị ký số gửi lên chứng thư số không đọc được.",
            f"The token's certificate cannot be read: {exc}",
            code="bad_certificate",
        ) from exc
    return cert, chain


def _signature_size(cert: x509.Certificate) -> int:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    pub = cert.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        return pub.key_size // 8
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return 2 * ((pub.curve.key_size + 7) // 8) + 9
    return 512


def _prepare_one(person, document: OutgoingDocument, cert, chain) -> TokenDigest:
    document = OutgoingDocument.objects.select_related("agency").get(pk=document.pk)
    transitions.check(document, person, "sign")
    version = document.current_version
    assert version is not None  # create_draft makes version 1
    try:
        prepared = prepare_signature(
            add_number_fields(version.file.read()),
            cert,
            chain,
            kind="signer",
            signature_size=_signature_size(cert),
            **signature_options(document, person),
        )
        state = prepared.to_bytes()
    except SigningError as exc:
        raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc
    row = PendingSignature.objects.create(
        token=secrets.token_urlsafe(24), person=person, document=document, version=version, state=state
    )
    return TokenDigest(row.token, document, prepared.digest_to_sign, prepared.digest_algorithm)


def prepare_token_signatures(
    user, documents: list[OutgoingDocument], certificate_pem: str, chain_pem: list[str] | None = None
) -> TokenBatch:
    """Prepare each document for the token's certificate (``certificate_not_holder`` and the
    other certificate refusals stop them all; a document not waiting for this signer is named)."""
    person = person_of(user)
    cert, chain = _certificates(certificate_pem, chain_pem or [])
    keys.check_person_certificate(person, cert)
    PendingSignature.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    batch = TokenBatch()
    for document in documents:
        try:
            batch.prepared.append(_prepare_one(person, document, cert, chain))
        except RegistryError as exc:
            batch.failed.append((document, exc.message_vi))
    return batch


def _pending(person, token: str, kind: str) -> tuple[PendingSignature, PreparedSignature]:
    row = (
        PendingSignature.objects.select_related("document", "version")
        .filter(token=token, person=person, created_at__gte=timezone.now() - PENDING_LIFETIME)
        .first()
    )
    prepared = PreparedSignature.from_bytes(bytes(row.state)) if row is not None else None
    if row is None or prepared is None or prepared.kind != kind:
        raise SigningFailed(
            "Phiên ký đã hết hạn hoặc không phải của bạn; hãy ký lại.",
            "No such pending signature (expired, finished, another person's, or another step's).",
            code="pending_unknown",
        )
    return row, prepared


def _embedded(prepared: PreparedSignature, value: bytes) -> bytes:
    try:
        prepared.check_value(value)  # the certificate checked at prepare; the key must match it
        return prepared.embed(value)
    except SigningError as exc:
        raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc


def _finish_one(user, person, token: str, value: bytes) -> OutgoingDocument:
    row, prepared = _pending(person, token, "signer")
    signed = _embedded(prepared, value)
    document = record_signature(user, row.document, row.version, signed, prepared.certificate, "usb-token")
    row.delete()
    return document


def finish_token_signatures(user, values: dict[str, bytes]) -> BatchSigning:
    """Embed each value (pending token → signature) and sign each document on its own."""
    person = person_of(user)
    result = BatchSigning()
    for token, value in values.items():
        try:
            result.signed.append(_finish_one(user, person, token, value))
        except RegistryError as exc:
            row = PendingSignature.objects.filter(token=token, person=person).select_related("document").first()
            if row is None:
                raise
            result.failed.append((row.document, exc.message_vi))
    return result


def prepare_token_seal(
    user, document: OutgoingDocument, certificate_pem: str, chain_pem: list[str] | None = None
) -> TokenDigest:
    """The seal prepared for the agency's token: the certificate must be an agency
    certificate of the document's agency (``certificate_kind`` for a person's,
    ``certificate_not_owner`` for another agency's); the guard is the "seal" step's."""
    person = person_of(user)
    cert, chain = _certificates(certificate_pem, chain_pem or [])
    document = OutgoingDocument.objects.select_related("agency").get(pk=document.pk)
    transitions.check(document, person, "seal")
    keys.check_agency_certificate(document.agency, cert)
    if document.attachments.exists():
        raise SigningFailed(
            "Văn bản có phụ lục kèm theo: phụ lục cần ký số của cơ quan từng tệp, hãy đóng dấu bằng khóa của "
            "cơ quan trên hệ thống hoặc tệp khóa (.p12).",
            "The document has attachments; the token seal signs the main PDF only.",
            code="token_seal_attachments",
        )
    PendingSignature.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    version = document.current_version
    assert version is not None  # create_draft makes version 1
    try:
        prepared = prepare_seal(document, cert, chain, signature_size=_signature_size(cert))
    except SigningError as exc:
        raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc
    row = PendingSignature.objects.create(
        token=secrets.token_urlsafe(24), person=person, document=document, version=version, state=prepared.to_bytes()
    )
    return TokenDigest(row.token, document, prepared.digest_to_sign, prepared.digest_algorithm)


def finish_token_seal(user, token: str, value: bytes) -> OutgoingDocument:
    """Embed the agency token's value in the prepared seal and apply the "seal" step."""
    person = person_of(user)
    row, prepared = _pending(person, token, "seal")
    sealed = _embedded(prepared, value)
    document = record_seal(user, row.document, sealed, [], prepared.certificate, "usb-token")
    row.delete()
    return document
