"""Shared fixtures for the edXML tests: a test PKI and model packages. The real interop
samples come from the ``interop`` fixture and ``interop_sample`` parameter of tests/conftest.py.

The PKI is session-scoped: a root CA "Ban Cơ yếu thử nghiệm", agency certificates for
Văn phòng Chính phủ (G22, RSA-2048) and UBND tỉnh Nghệ An (H41, ECDSA P-256), and an
outsider root that anchors nothing we sign (for the wrong-anchor test).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from vanban.edxml import (
    Attachment,
    Business,
    BusinessDocType,
    DocumentCode,
    DocumentType,
    Envelope,
    Organization,
    OtherInfo,
    PromulgationInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
)
from vanban.signing.identity import agency_subject

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 1, 15, 9, 0, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Party:
    """One key holder of the test PKI, with its files."""

    name: str
    key: object
    cert: x509.Certificate
    key_pem: Path
    cert_pem: Path
    p12: Path


@dataclass(frozen=True)
class Pki:
    root_pem: Path
    other_root_pem: Path
    trust_dir: Path
    g22: Party  # Văn phòng Chính phủ, RSA
    h41: Party  # UBND tỉnh Nghệ An, ECDSA
    outsider: Party  # signed by the other root


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _root(cn: str, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=30))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )


def _leaf(
    subject: x509.Name, key: object, ca_cert: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    pub = key.public_key()  # type: ignore[attr-defined]
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _party(tmp: Path, name: str, key: object, cert: x509.Certificate) -> Party:
    key_pem = tmp / f"{name}.key.pem"
    cert_pem = tmp / f"{name}.cert.pem"
    p12 = tmp / f"{name}.p12"
    key_pem.write_bytes(
        key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(name.encode(), key, cert, None, serialization.NoEncryption())  # type: ignore[arg-type]
    )
    return Party(name, key, cert, key_pem, cert_pem, p12)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    tmp = tmp_path_factory.mktemp("pki")
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _root("Ban Cơ yếu thử nghiệm - Root CA", root_key)
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _root("Outsider Root CA", other_key)
    root_pem = tmp / "root.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    other_pem = tmp / "other-root.pem"
    other_pem.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    trust_dir = tmp / "trust"
    trust_dir.mkdir()
    (trust_dir / "root.pem").write_bytes(root_pem.read_bytes())
    g22_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    g22 = _party(
        tmp, "g22", g22_key, _leaf(agency_subject("000.00.00.G22", "Văn phòng Chính phủ"), g22_key, root, root_key)
    )
    h41_key = ec.generate_private_key(ec.SECP256R1())
    h41 = _party(
        tmp,
        "h41",
        h41_key,
        _leaf(agency_subject("000.00.00.H41", "UBND tỉnh Nghệ An", "Nghệ An"), h41_key, root, root_key),
    )
    out_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    outsider = _party(
        tmp,
        "outsider",
        out_key,
        _leaf(agency_subject("000.00.00.G22", "Văn phòng Chính phủ (giả)"), out_key, other, other_key),
    )
    return Pki(root_pem, other_pem, trust_dir, g22, h41, outsider)


def make_envelope(attachments: list[Attachment] | None = None) -> Envelope:
    """A complete new-document envelope from Văn phòng Chính phủ to two provinces."""
    return Envelope(
        sender=Organization(
            organ_id="000.00.00.G22",
            organization_in_charge="Chính phủ",
            organ_name="Văn phòng Chính phủ",
            organ_add="Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội",
            email="vanthu@chinhphu.vn",
            telephone="0243 8043100",
            fax="0243 8043101",
            website="chinhphu.vn",
        ),
        recipients=[
            Organization(organ_id="000.00.00.H41", organ_name="UBND tỉnh Nghệ An"),
            Organization(organ_id="000.00.12.H53", organ_name="Sở Nội vụ tỉnh Tây Ninh"),
        ],
        code=DocumentCode("7816", "VPCP-TTĐT"),
        promulgation_info=PromulgationInfo("Hà Nội", dt.date(2025, 9, 30)),
        document_type=DocumentType(1, 18, "Công văn"),
        subject="V/v kết nối, liên thông phần mềm quản lý văn bản",
        content="V/v kết nối, liên thông phần mềm quản lý văn bản",
        signer_info=SignerInfo("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "Phó Chủ nhiệm", "Nguyễn Văn A"),
        due_date=dt.date(2025, 10, 15),
        to_places=["Như trên", "Lưu: VT, TTĐT"],
        other_info=OtherInfo(
            priority=1,
            sphere_of_promulgation="Liên thông văn bản quốc gia",
            typer_notation="TVC",
            promulgation_amount=2,
            page_amount=3,
            direction=False,
            appendixes=["Phụ lục I"],
        ),
        response_for=[
            ResponseFor("000.00.00.H41", "12/UBND-VX", dt.date(2025, 9, 1), "000.00.00.H41,2025/09/01,12/UBND-VX")
        ],
        steering_type=1,
        document_id="000.00.00.G22,2025/09/30,7816/VPCP-TTĐT",
        trace_headers=[TraceHeader("000.00.00.G22", dt.datetime(2025, 9, 30, 10, 15, 0))],
        business=Business(
            business_doc_type=BusinessDocType.NEW,
            business_doc_reason="Văn bản điện tử mới",
            paper=0,
            staff_info=StaffInfo("Văn thư", "Trần Thị B", "vanthu@chinhphu.vn", "0912000001"),
        ),
        attachments=attachments
        if attachments is not None
        else [
            Attachment(
                "7816.pdf",
                "7816-VPCP-TTDT.pdf",
                "application/pdf",
                b"%PDF-1.7\n" + bytes(range(256)) * 20,
                "Công văn 7816",
            ),
        ],
    )


def make_status(code: StatusCode = StatusCode.ACCEPTED) -> StatusMessage:
    return StatusMessage(
        sender=Organization("000.00.00.H41", organ_name="UBND tỉnh Nghệ An"),
        response_for=ResponseFor(
            "000.00.00.G22", "7816/VPCP-TTĐT", dt.date(2025, 9, 30), "000.00.00.G22,2025/09/30,7816/VPCP-TTĐT"
        ),
        status_code=code,
        timestamp=dt.datetime(2025, 10, 1, 8, 30, 0),
        staff_info=StaffInfo("Văn thư", "Lê Văn C", "vanthu@nghean.gov.vn", "0912000002"),
        description="Văn thư: đã vào sổ văn bản đến",
    )


@pytest.fixture
def envelope() -> Envelope:
    return make_envelope()


@pytest.fixture
def status() -> StatusMessage:
    return make_status()
