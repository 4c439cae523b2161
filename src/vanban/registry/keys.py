"""Signers for people (the signer's signature) and agencies (the seal): a key file kept
by the server or a PKCS#11 token (``SigningKey`` rows), or a PKCS#12 file the person
uploads for this one signature (never stored). The certificate must name the person's
or the agency's identifier code."""

from __future__ import annotations

import unicodedata

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.oid import NameOID

from vanban.directory.models import Agency, Person
from vanban.keystore import read_key
from vanban.registry.errors import SigningFailed
from vanban.registry.models import SigningKey
from vanban.secretbox import SecretBoxError
from vanban.signing import KeyFileSigner, PKCS11Signer, RemoteSigner, Signer, SigningError
from vanban.signing.identity import agency_code_from_certificate, certificate_kind, subject_field


def _remote_box() -> bytes:
    from django.conf import settings

    from vanban.secretbox import derive_key

    return derive_key(settings.SECRET_KEY, b"vanban.registry.remote-signing-token")


def seal_service_token(plain: str) -> str:
    """The remote signing account's token as kept at rest (AES-256-GCM, key from SECRET_KEY)."""
    from vanban.secretbox import seal_text

    return seal_text(plain, _remote_box()) if plain else ""


def _service_token(row: SigningKey) -> str | None:
    from vanban.secretbox import unseal_text

    return (unseal_text(row.service_token, _remote_box()) or None) if row.service_token else None


def remote_signer(url: str, key_id: str, token: str | None) -> Signer:
    from django.conf import settings

    return RemoteSigner(
        url,
        key_id,
        token=token,
        approval_timeout=float(getattr(settings, "VANBAN_REMOTE_SIGNING_APPROVAL_SECONDS", 120)),
    )


def _from_row(row: SigningKey, password: bytes | None) -> Signer:
    try:
        if row.kind == SigningKey.KIND_REMOTE:
            return remote_signer(row.service_url, row.key_label, _service_token(row))
        if row.kind == SigningKey.KIND_PKCS11:
            return PKCS11Signer(
                module=row.module,
                token_label=row.token_label,
                key_label=row.key_label,
                pin=password.decode() if password else None,
            )
        return KeyFileSigner.from_pkcs12(read_key(row.path), password or None)
    except (SigningError, SecretBoxError) as exc:
        raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc


def _from_upload(data: bytes, password: bytes | None) -> Signer:
    try:
        return KeyFileSigner.from_pkcs12(data, password or None)
    except SigningError as exc:
        raise SigningFailed(exc.message_vi, exc.message_en, code=exc.code) from exc


def _check_owner(cert: x509.Certificate, code: str, kind: str) -> None:
    if agency_code_from_certificate(cert) != code:
        raise SigningFailed(
            f"Chứng thư số này không thuộc cơ quan {code}.",
            f"This certificate does not belong to agency {code}.",
            code="certificate_not_owner",
        )
    if certificate_kind(cert) != kind:
        kind_vi = "của cơ quan" if kind == "agency" else "cá nhân"
        raise SigningFailed(
            f"Cần chứng thư số {kind_vi} cho bước ký này.",
            f"A {kind} certificate is needed for this step.",
            code="certificate_kind",
        )


def person_signer(
    person: Person, key_file: bytes | None = None, password: bytes | None = None, *, remote: bool = False
) -> Signer:
    """The person's signer: the uploaded file, else their remote signing account
    (``remote``), else the key the server keeps for them; its certificate checked as theirs."""
    if key_file:
        signer = _from_upload(key_file, password)
    else:
        rows = SigningKey.objects.filter(person=person, active=True)
        if remote:
            row = rows.filter(kind=SigningKey.KIND_REMOTE).first()
        else:
            row = rows.exclude(kind=SigningKey.KIND_REMOTE).first()
        if row is None and remote:
            raise SigningFailed(
                "Bạn chưa có tài khoản ký số từ xa trên hệ thống: hãy nhờ quản trị cơ quan đăng ký.",
                "No remote signing account on file for you.",
                code="no_remote_account",
            )
        if row is None:
            raise SigningFailed(
                "Chưa có khóa ký số của bạn trên hệ thống: hãy chọn tệp khóa (.p12) hoặc thiết bị ký số.",
                "No signing key on file for you: upload a PKCS#12 file.",
                code="no_key",
            )
        signer = _from_row(row, password)
    check_person_certificate(person, signer.certificate)
    return signer


def check_person_certificate(person: Person, cert: x509.Certificate) -> None:
    """A personal certificate of the person's agency, and the person's own
    (``certificate_not_owner``, ``certificate_kind``, ``certificate_not_holder``)."""
    _check_owner(cert, person.agency.code, "person")
    _check_holder(cert, person)


def _same_name(a: str, b: str) -> bool:
    return " ".join(unicodedata.normalize("NFC", a).casefold().split()) == " ".join(
        unicodedata.normalize("NFC", b).casefold().split()
    )


def _check_holder(cert: x509.Certificate, person: Person) -> None:
    """The certificate is the person's own: one recorded for them (its public key), or, when
    none is, one naming them (CN = their full name). A colleague's certificate of the same
    agency is refused: the page would show a valid signature by someone else."""
    recorded = [row.certificate_pem for row in SigningKey.objects.filter(person=person).exclude(certificate_pem="")]
    public = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if recorded:
        keys = {
            x509.load_pem_x509_certificate(pem.encode())
            .public_key()
            .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
            for pem in recorded
        }
        if public in keys:
            return
    elif _same_name(subject_field(cert, NameOID.COMMON_NAME), person.full_name):
        return
    holder = subject_field(cert, NameOID.COMMON_NAME) or "không rõ"
    raise SigningFailed(
        f"Chứng thư số này cấp cho {holder}, không phải của {person.full_name}: mỗi người chỉ ký bằng "
        "chứng thư số của chính mình.",
        f"This certificate is {holder}'s, not {person.full_name}'s.",
        code="certificate_not_holder",
    )


def agency_signer(agency: Agency, key_file: bytes | None = None, password: bytes | None = None) -> Signer:
    if key_file:
        signer = _from_upload(key_file, password)
    else:
        row = SigningKey.objects.filter(agency=agency, active=True).first()
        if row is None:
            raise SigningFailed(
                f"Chưa có khóa ký số của {agency.name} trên hệ thống: hãy chọn tệp khóa (.p12).",
                "No agency signing key on file: upload a PKCS#12 file.",
                code="no_key",
            )
        signer = _from_row(row, password)
    check_agency_certificate(agency, signer.certificate)
    return signer


def check_agency_certificate(agency: Agency, cert: x509.Certificate) -> None:
    """An agency certificate (never a person's) of this agency (``certificate_not_owner``,
    ``certificate_kind``): the only one the seal is made with, wherever its key is."""
    _check_owner(cert, agency.code, "agency")


def image_of(owner) -> bytes | None:
    """The signature (person) or seal (agency) PNG kept with the owner's key, if any."""
    field = "person" if isinstance(owner, Person) else "agency"
    row = (
        SigningKey.objects.filter(**{field: owner, "active": True}).exclude(image=None).select_related("image").first()
    )
    return row.image.read() if row is not None and row.image is not None else None
