"""Digital signatures: PAdES on PDFs (signer, then agency seal), test PKI, signers
(key file, PKCS#11 token, remote) and validation. Pure library: never imports Django."""

from vanban.signing.identity import (
    AGENCY_CODE_PREFIX,
    agency_code_from_certificate,
    agency_subject,
    person_subject,
)

__all__ = [
    "AGENCY_CODE_PREFIX",
    "agency_code_from_certificate",
    "agency_subject",
    "person_subject",
]
