"""Demo certificates: a test CA under <var>/pki, a key file, a certificate and a
signature (people) or seal (agencies) image for everyone in the demo province.

Every key the demo writes (the CA's and the issued PKCS#12 files) is sealed with the
server's key-encryption key (:mod:`vanban.keystore`), in folders private to the user."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from vanban.directory.models import Agency, Person
from vanban.keystore import current_kek, write_key
from vanban.registry.models import SigningKey
from vanban.registry.setup import register_key_file
from vanban.secretbox import ensure_private_dir, open_sealed, seal
from vanban.signing import TestPKI, make_seal_image, make_signature_image


def pki_dir() -> Path:
    return Path(settings.VAR_DIR) / "pki"


def _seal(data: bytes) -> bytes:
    return seal(data, current_kek())


def _open(data: bytes) -> bytes:
    return open_sealed(data, current_kek(), name=str(pki_dir() / "root-key.pem"))


def load_or_create_pki() -> TestPKI:
    directory = pki_dir()
    if (directory / "root.pem").exists():
        return TestPKI.load(directory, unprotect=_open, protect=_seal)
    ensure_private_dir(directory)
    return TestPKI.create(directory, protect=_seal)


def provision(agencies: list[Agency], province: str = "") -> int:
    """Give every listed agency and its people a key file and an image, once."""
    pki = load_or_create_pki()
    keys = ensure_private_dir(pki_dir() / "keys")
    made = 0
    for agency in agencies:
        if not SigningKey.objects.filter(agency=agency, active=True).exists():
            issued = pki.issue_agency(agency.code, agency.name, province=province)
            path = write_key(keys / f"{agency.code}.p12", issued.to_pkcs12())
            register_key_file(agency, path, issued.cert_pem().decode(), make_seal_image(agency.name, code=agency.code))
            made += 1
        for person in Person.objects.filter(agency=agency).select_related("user"):
            if SigningKey.objects.filter(person=person, active=True).exists():
                continue
            issued = pki.issue_person(
                person.full_name, agency.code, agency.name, person.position, key_type="ec-p256", province=province
            )
            path = write_key(keys / f"{person.user.username}.p12", issued.to_pkcs12())
            register_key_file(person, path, issued.cert_pem().decode(), make_signature_image(person.full_name))
            made += 1
    return made
