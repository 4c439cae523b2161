"""Who is calling the hub.

Tokens are ``<credential id>.<secret>`` where the secret is 32 random bytes
(base64url). Only SHA-256 of the secret is stored: with 256 bits of entropy a slow
password hash (PBKDF2) adds nothing against guessing and would cost tens of
milliseconds on every request; the comparison is constant-time.

In production a reverse proxy may terminate mutual TLS and pass the verified client
certificate (``VANBAN_HUB_TLS_CLIENT_HEADER``, e.g. ``X-SSL-Client-Cert``, URL-encoded PEM,
with ``X-SSL-Client-Verify: SUCCESS``); the agency is then the certificate's
``UID=MDD:<code>``. The hub must then be reachable only through that proxy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import urllib.parse
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.exchange import cache, errors
from vanban.exchange.models import HubCredential


@dataclass(frozen=True)
class Caller:
    """An authenticated agency or peer hub."""

    credential_id: str
    agency_code: str | None = None
    peer_code: str | None = None
    via: str = ""  # a VDXP system id when the agency came through the national hub's protocol

    @property
    def is_agency(self) -> bool:
        return self.agency_code is not None

    @property
    def label(self) -> str:
        if self.via and self.agency_code:
            return f"{self.agency_code} (vdxp:{self.via})"
        return self.agency_code or f"hub:{self.peer_code}"

    # the audit log reads these two
    @property
    def username(self) -> str:
        return self.label

    is_authenticated = False


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def issue_credential(actor, *, agency=None, peer_code: str = "", label: str = "") -> tuple[HubCredential, str]:
    """A new credential and its token (shown once; only a hash is kept)."""
    if (agency is None) == (not peer_code):
        raise errors.HubError(
            "Cần đúng một trong: cơ quan hoặc mã trục.", "Give exactly one of an agency or a peer hub code."
        )
    cred_id = base64.b32encode(os.urandom(10)).decode().lower()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        cred = HubCredential.objects.create(
            id=cred_id, agency=agency, peer_code=peer_code, secret_sha256=_digest(secret), label=label
        )
        audit.record(
            actor,
            AuditAction.HUB_CREDENTIAL_ISSUED,
            cred,
            after={"agency": agency.code if agency else None, "peer_code": peer_code, "label": label},
        )
    return cred, f"{cred_id}.{secret}"


def revoke_credential(actor, cred_id: str) -> HubCredential:
    with transaction.atomic():
        cred = HubCredential.objects.select_for_update().filter(pk=cred_id).first()
        if cred is None:
            raise errors.HubError("Không có khóa này.", "No such credential.", code="not_found", http_status=404)
        if cred.revoked_at is None:
            cred.revoked_at = timezone.now()
            cred.save(update_fields=["revoked_at"])
            audit.record(actor, AuditAction.HUB_CREDENTIAL_REVOKED, cred)
        cache.credentials.invalidate()
    return cred


def _load_credential(cred_id: str) -> tuple[str, Caller | None] | None:
    """(stored digest, the caller it stands for or None when its agency is closed), or None."""
    cred = HubCredential.objects.select_related("agency").filter(pk=cred_id, revoked_at__isnull=True).first()
    if cred is None:
        return None
    if cred.agency is not None:
        return cred.secret_sha256, (Caller(cred.id, agency_code=cred.agency.code) if cred.agency.active else None)
    return cred.secret_sha256, Caller(cred.id, peer_code=cred.peer_code)


def authenticate_token(token: str) -> Caller | None:
    """The caller a token stands for. Valid credentials are kept a few seconds
    (:mod:`vanban.exchange.cache`); the secret is compared on every request."""
    cred_id, _, secret = token.strip().partition(".")
    if not cred_id or not secret or len(cred_id) > 24:
        return None
    found = cache.credentials.get(cred_id, lambda: _load_credential(cred_id), store=lambda value: value is not None)
    if found is None or not hmac.compare_digest(found[0], _digest(secret)):
        return None
    return found[1]


def tls_header_name() -> str | None:
    from vanban.exchange.conf import _get

    return _get("VANBAN_HUB_TLS_CLIENT_HEADER")


def authenticate_client_certificate(request) -> Caller | None:
    """The agency named by a client certificate a trusted TLS proxy verified."""
    header = tls_header_name()
    if not header:
        return None
    meta = "HTTP_" + header.upper().replace("-", "_")
    pem = request.META.get(meta)
    if not pem or request.META.get("HTTP_X_SSL_CLIENT_VERIFY") != "SUCCESS":
        return None
    from cryptography import x509

    from vanban.directory.models import Agency
    from vanban.signing.identity import agency_code_from_certificate

    try:
        cert = x509.load_pem_x509_certificate(urllib.parse.unquote(pem).encode())
    except ValueError:
        return None
    code = agency_code_from_certificate(cert)
    if not code or not Agency.objects.filter(code=code, active=True).exists():
        return None
    return Caller(f"tls:{cert.serial_number:x}", agency_code=code)
