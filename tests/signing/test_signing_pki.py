"""The test PKI: layout of subjects, key types, files on disk, CRL."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from vanban.signing import TestPKI, agency_code_from_certificate, certificate_kind, load_pkcs12
from vanban.signing.errors import SigningError

PROVINCE = "Ủy ban nhân dân tỉnh Thử Nghiệm"
PROVINCE_CODE = "000.00.12.H53"


def test_root_is_written_and_loads_back(pki: TestPKI, pki_dir: Path) -> None:
    assert (pki_dir / "root.pem").exists() and (pki_dir / "root-key.pem").exists()
    loaded = TestPKI.load(pki_dir)
    assert loaded.root_cert == pki.root_cert
    assert loaded.root_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "CA thử nghiệm"


def test_agency_certificate_carries_code_and_name(agency) -> None:
    cert = agency.cert
    assert agency_code_from_certificate(cert) == PROVINCE_CODE
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == PROVINCE
    assert certificate_kind(cert) == "agency"
    assert isinstance(agency.key, rsa.RSAPrivateKey) and agency.key.key_size == 2048


def test_person_certificate_names_person_position_and_agency(vice_chair) -> None:
    cert = vice_chair.cert
    subj = cert.subject
    assert subj.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Trần Thị Bình"
    assert subj.get_attributes_for_oid(NameOID.TITLE)[0].value == "Phó Chủ tịch"
    assert subj.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == PROVINCE
    assert agency_code_from_certificate(cert) == PROVINCE_CODE
    assert certificate_kind(cert) == "person"
    assert isinstance(vice_chair.key, ec.EllipticCurvePrivateKey)


def test_rsa3072_and_key_usage(pki: TestPKI) -> None:
    ident = pki.issue_agency("000.02.12.H53", "Sở Tài chính tỉnh Thử Nghiệm", "rsa3072")
    assert ident.key.key_size == 3072  # type: ignore[union-attr]
    ku = ident.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment
    assert ident.chain == [pki.root_cert]


def test_pkcs12_round_trip_unencrypted_and_with_password(chairman) -> None:
    back = load_pkcs12(chairman.to_pkcs12())
    assert back.cert == chairman.cert and back.chain == chairman.chain
    locked = chairman.to_pkcs12(b"mat-khau")
    assert load_pkcs12(locked, b"mat-khau").cert == chairman.cert
    with pytest.raises(SigningError) as err:
        load_pkcs12(locked, b"sai")
    assert err.value.code == "bad_key_file"


def test_unknown_key_type_is_a_signing_error(pki: TestPKI) -> None:
    with pytest.raises(SigningError) as err:
        pki.issue_agency("000.03.12.H53", "X", "dsa1024")
    assert err.value.code == "bad_key_type"


def test_crl_lists_revoked_certificates(pki: TestPKI, revoked_person, chairman) -> None:
    crl = pki.crl()
    assert crl.get_revoked_certificate_by_serial_number(revoked_person.cert.serial_number)
    assert crl.get_revoked_certificate_by_serial_number(chairman.cert.serial_number) is None


def test_load_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SigningError) as err:
        TestPKI.load(tmp_path)
    assert err.value.code == "pki_missing"
