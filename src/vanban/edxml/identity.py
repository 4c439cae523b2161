"""The identity key of a package: two packages with the same key are the same package
(the hub accepts it once, an office stores it once). One function, used by the hub and by
the office's connector alike."""

from __future__ import annotations

from vanban.edxml.model import BusinessDocType, Envelope, StatusMessage

__all__ = ["identity_key"]


def identity_key(pkg: Envelope | StatusMessage, sha256: str) -> str:
    """Envelope: (sender, DocumentId) for a new document; a revoke/update/replace also keys
    on its business type and content (two different updates of one document are two
    packages). Status: (sender, addressee, document, code, timestamp)."""
    if isinstance(pkg, Envelope):
        btype = pkg.business.business_doc_type if pkg.business else BusinessDocType.NEW
        key = f"env|{pkg.sender.organ_id}|{pkg.document_id}|{int(btype)}"
        return key if btype == BusinessDocType.NEW else f"{key}|{sha256}"
    rf = pkg.response_for
    ts = pkg.timestamp.isoformat() if pkg.timestamp else sha256
    return f"st|{pkg.sender.organ_id}|{rf.organ_id}|{rf.document_id}|{pkg.status_code}|{ts}"
