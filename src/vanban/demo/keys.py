"""Demo certificates: a test CA under <var>/pki, a key file, a certificate and a
signature (people) or seal (agencies) image for everyone in the demo province."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from vanban.directory.models import Agency, Person
from vanban.registry.models import SigningKey
from vanban.registry.setup import register_key_file
from vanban.signing import TestPKI, make_seal_image, make_signature_image


def pki_dir() -> Path:
    return Path(settings.VAR_DIR) / "pki"


def load_or_create_pki() -> TestPKI:
    directory = pki_dir()
    if (directory / "root.pem").exists():
        return TestPKI.load(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return TestPKI.create(directory)


def provision(agencies: list[Agency], province: str = "") -> int:
    """Give every listed agency and its people a key file and an image, once."""
    pki = load_or_create_pki()
    keys = pki_dir() / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    made = 0
    for agency in agencies:
        if not SigningKey.objects.filter(agency=agency, active=True).exists():
            issued = pki.issue_agency(agency.code, agency.name, province=province)
            path = issued.write_pkcs12(keys / f"{agency.code}.p12")
            register_key_file(agency, path, issued.cert_pem().decode(), make_seal_image(agency.name, code=agency.code))
            made += 1
        for person in Person.objects.filter(agency=agency).select_related("user"):
            if SigningKey.objects.filter(person=person, active=True).exists():
                continue
            issued = pki.issue_person(
                person.full_name, agency.code, agency.name, person.position, key_type="ec-p256", province=province
            )
            path = issued.write_pkcs12(keys / f"{person.user.username}.p12")
            register_key_file(person, path, issued.cert_pem().decode(), make_signature_image(person.full_name))
            made += 1
    return made
