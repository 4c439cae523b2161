"""A signing key file (PKCS#12) registered for a person or for the agency seal by the
agency's administrator: opened with its password to check it (the certificate names the
agency's identifier code, is of the right kind, and for a person carries their name), kept
sealed under the server's key-encryption key, then recorded (older keys of the owner put out
of use) with one audit event. The password is never stored: the signer types it when signing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from vanban.audit import AuditAction, record
from vanban.directory.models import Agency, Person
from vanban.directory.services import can_manage_agency
from vanban.keystore import write_key
from vanban.registry.errors import RegistryError
from vanban.registry.keys import _check_owner, _from_upload, _same_name
from vanban.registry.models import SigningKey
from vanban.registry.setup import register_key_file
from vanban.secretbox import ensure_private_dir
from vanban.signing import SigningError, check_png

__all__ = ["KeyRefused", "register_uploaded_key", "register_remote_account", "keys_dir"]


class KeyRefused(RegistryError):
    code = "key_refused"


def keys_dir() -> Path:
    """Where the server keeps the key files it holds (private to its user)."""
    return Path(settings.VAR_DIR) / "pki" / "keys"


def register_uploaded_key(
    actor, owner: Person | Agency, data: bytes, password: str, image_png: bytes | None = None
) -> SigningKey:
    agency = owner if isinstance(owner, Agency) else owner.agency
    if not can_manage_agency(actor, agency):
        raise KeyRefused(
            "Bạn không có quyền đăng ký khóa ký số cho cơ quan này.",
            "You may not register keys for this agency.",
            code="key_not_yours",
        )
    if not data:
        raise KeyRefused("Hãy chọn tệp khóa (.p12).", "Choose a PKCS#12 file.", code="key_file_missing")
    signer = _from_upload(data, password.encode() if password else None)  # SigningFailed: a message
    kind = "person" if isinstance(owner, Person) else "agency"
    _check_owner(signer.certificate, agency.code, kind)
    if isinstance(owner, Person):
        from cryptography.x509.oid import NameOID

        from vanban.signing.identity import subject_field

        holder = subject_field(signer.certificate, NameOID.COMMON_NAME)
        if not _same_name(holder, owner.full_name):
            raise KeyRefused(
                f"Chứng thư số này cấp cho {holder or 'không rõ'}, không phải của {owner.full_name}.",
                f"This certificate is {holder}'s, not {owner.full_name}'s.",
                code="certificate_not_holder",
            )
    if image_png:
        try:
            check_png(image_png)
        except SigningError as exc:
            raise KeyRefused(exc.message_vi, exc.message_en, code=exc.code) from exc
    from cryptography.hazmat.primitives.serialization import Encoding

    cert_pem = signer.certificate.public_bytes(Encoding.PEM).decode()
    name = f"{kind}-{owner.pk}-{hashlib.sha256(data).hexdigest()[:16]}.p12"
    path = write_key(ensure_private_dir(keys_dir()) / name, data)  # before the transaction: slow, a file
    with transaction.atomic():
        key = register_key_file(owner, path, cert_pem, image_png or None)
        record(
            actor,
            AuditAction.SIGNING_KEY_REGISTERED,
            key,
            after={
                "owner": kind,
                "owner_id": owner.pk,
                "path": str(path),
                "certificate": signer.certificate.subject.rfc4514_string(),
            },
        )
    return key


def register_remote_account(actor, person: Person, service_url: str, key_id: str, token: str = "") -> SigningKey:
    """Record a person's account at a remote signing provider (the key stays there; the
    person approves each signature on their phone): the provider is asked for the key's
    certificate, which must be the person's (as for a key file); the account's token is
    kept sealed (:func:`vanban.registry.keys.seal_service_token`); older remote accounts of
    the person are put out of use."""
    from vanban.registry.keys import check_person_certificate, remote_signer, seal_service_token

    if not can_manage_agency(actor, person.agency):
        raise KeyRefused(
            "Bạn không có quyền đăng ký khóa ký số cho cơ quan này.",
            "You may not register keys for this agency.",
            code="key_not_yours",
        )
    try:
        signer = remote_signer(service_url, key_id, token or None)
    except SigningError as exc:
        raise KeyRefused(exc.message_vi, exc.message_en, code=exc.code) from exc
    check_person_certificate(person, signer.certificate)  # SigningFailed: the person's own certificate
    from cryptography.hazmat.primitives.serialization import Encoding

    with transaction.atomic():
        SigningKey.objects.filter(person=person, kind=SigningKey.KIND_REMOTE).update(active=False)
        key = SigningKey.objects.create(
            person=person,
            kind=SigningKey.KIND_REMOTE,
            service_url=service_url,
            key_label=key_id,
            service_token=seal_service_token(token),
            certificate_pem=signer.certificate.public_bytes(Encoding.PEM).decode(),
        )
        record(
            actor,
            AuditAction.SIGNING_KEY_REGISTERED,
            key,
            after={
                "owner": "person",
                "owner_id": person.pk,
                "remote": service_url,
                "key_id": key_id,
                "certificate": signer.certificate.subject.rfc4514_string(),
            },
        )
    return key
