"""Registry fixtures: a test PKI made once per session (key files for the personas and
their agencies) and a ready-to-draft Sở Nội vụ with registers and keys on file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Keys:
    root_pem: Path
    files: dict  # name -> (p12 path, cert pem)


@pytest.fixture(scope="session")
def registry_pki(tmp_path_factory) -> Keys:
    from vanban.signing import TestPKI

    d = tmp_path_factory.mktemp("registry-pki")
    pki = TestPKI.create(d)
    files = {}
    for name, issue in {
        "snv": lambda: pki.issue_agency("000.00.02.H99", "Sở Nội vụ"),
        "skhcn": lambda: pki.issue_agency("000.00.03.H99", "Sở Khoa học và Công nghệ"),
        "minh": lambda: pki.issue_person("Trần Quang Minh", "000.00.02.H99", "Sở Nội vụ", "Giám đốc", "ec-p256"),
        "tuan": lambda: pki.issue_person("Vũ Anh Tuấn", "000.00.02.H99", "Sở Nội vụ", "Chuyên viên", "ec-p256"),
        "hoa": lambda: pki.issue_person("Lê Thị Hoa", "000.00.03.H99", "Sở Khoa học và Công nghệ", "", "ec-p256"),
    }.items():
        issued = issue()
        files[name] = (issued.write_pkcs12(d / f"{name}.p12"), issued.cert_pem().decode())
    return Keys(d / "root.pem", files)


@pytest.fixture
def office(personas, registry_pki, settings):
    """Sở Nội vụ ready for documents: registers, key files and images for its leader,
    officer and the agency itself."""
    from vanban.registry.setup import ensure_registers, register_key_file
    from vanban.signing import make_seal_image, make_signature_image

    settings.VANBAN_TRUST_ROOTS = str(registry_pki.root_pem)
    for agency in (personas.so_noi_vu, personas.so_khcn):
        ensure_registers(agency)
    p12, pem = registry_pki.files["snv"]
    register_key_file(personas.so_noi_vu, p12, pem, make_seal_image("Sở Nội vụ"))
    for key in ("minh", "tuan"):
        p12, pem = registry_pki.files[key]
        person = getattr(personas, key)
        register_key_file(person, p12, pem, make_signature_image(person.full_name))
    return personas


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    from vanban.signing import make_sample_pdf

    return make_sample_pdf(title="CÔNG VĂN", agency_name="SỞ NỘI VỤ", number="Số:      /SNV-CCVC",
                           position="GIÁM ĐỐC", signer_name="Trần Quang Minh").pdf
