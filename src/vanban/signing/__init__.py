"""Digital signatures: PAdES on PDFs (signer, then agency seal), test PKI, signers
(key file, PKCS#11 token, remote) and validation. Pure library: never imports Django.

The common case is a function (:func:`sign_pdf`, :func:`seal_pdf`,
:func:`sign_attachment`, :func:`sign_copy`, :func:`validate_pdf`, and
:func:`add_long_term_validation` for PAdES B-LTA when a document is archived;
:func:`add_number_fields` before the signer signs and :func:`fill_number_fields` when the
document is numbered, so the number and date are written under both signatures); staged signing
(:func:`prepare_signature` → ``data_to_sign`` → :meth:`PreparedSignature.embed`) is for
keys on a token or behind a remote service. Facts and field layout: ``docs/signing.md``.
"""

from vanban.signing._time import iso_vn, now_vn
from vanban.signing.errors import SigningError
from vanban.signing.identity import (
    AGENCY_CODE_PREFIX,
    agency_code_from_certificate,
    agency_subject,
    certificate_kind,
    person_subject,
)
from vanban.signing.images import check_png, make_seal_image, make_signature_image
from vanban.signing.longterm import add_long_term_validation
from vanban.signing.numberfields import (
    DATE_FIELD,
    NUMBER_FIELD,
    NumberPlace,
    add_number_fields,
    document_date_text,
    fill_number_fields,
    find_number_places,
    has_number_fields,
)
from vanban.signing.pdf import (
    PreparedSignature,
    SignatureBox,
    default_signature_box,
    prepare_signature,
    seal_box_for,
    seal_pdf,
    sign_attachment,
    sign_copy,
    sign_pdf,
    signature_boxes,
)
from vanban.signing.pki import IssuedCertificate, TestPKI, load_pem_identity, load_pkcs12
from vanban.signing.remote import RemoteSigner, RemoteSigningService
from vanban.signing.sample import SampleDocument, make_sample_pdf
from vanban.signing.signers import KeyFileSigner, PKCS11Signer, Signer, read_token_certificate, verify_signature
from vanban.signing.timestamps import HttpTimeStamper
from vanban.signing.validation import (
    Problem,
    SignatureCheck,
    ValidationResult,
    load_trust_roots,
    validate_pdf,
)

__all__ = [
    "AGENCY_CODE_PREFIX",
    "agency_code_from_certificate",
    "agency_subject",
    "person_subject",
    "certificate_kind",
    "SigningError",
    "TestPKI",
    "IssuedCertificate",
    "load_pkcs12",
    "load_pem_identity",
    "make_signature_image",
    "make_seal_image",
    "check_png",
    "Signer",
    "KeyFileSigner",
    "PKCS11Signer",
    "read_token_certificate",
    "verify_signature",
    "RemoteSigner",
    "RemoteSigningService",
    "HttpTimeStamper",
    "SignatureBox",
    "PreparedSignature",
    "prepare_signature",
    "sign_pdf",
    "seal_pdf",
    "sign_attachment",
    "sign_copy",
    "signature_boxes",
    "seal_box_for",
    "default_signature_box",
    "validate_pdf",
    "add_number_fields",
    "fill_number_fields",
    "find_number_places",
    "has_number_fields",
    "document_date_text",
    "NumberPlace",
    "NUMBER_FIELD",
    "DATE_FIELD",
    "add_long_term_validation",
    "load_trust_roots",
    "ValidationResult",
    "SignatureCheck",
    "Problem",
    "make_sample_pdf",
    "SampleDocument",
    "iso_vn",
    "now_vn",
]
