"""XML signatures: sign with the agency key, verify against a trust store, xmlsec1 agrees."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from vanban.edxml import Envelope, build, load_identity, parse, sign, verify

from .conftest import Pki


@pytest.fixture(scope="module")
def signed_rsa(pki: Pki) -> bytes:
    from .conftest import make_envelope

    return sign(build(make_envelope()), load_identity(pki.g22.p12))


def test_rsa_signature_verifies_and_names_the_agency(pki: Pki, signed_rsa: bytes) -> None:
    result = verify(signed_rsa, pki.root_pem)
    assert result.valid and result.code == "valid"
    assert result.agency_code == "000.00.00.G22" and result.sender_matches is True
    assert "Văn phòng Chính phủ" in (result.signer_subject or "")
    assert result.signature_method and result.signature_method.endswith("rsa-sha256")


def test_signature_sits_in_the_header_after_trace_list(signed_rsa: bytes) -> None:
    text = signed_rsa.decode()
    assert text.index("</edXML:TraceHeaderList>") < text.index("<ds:Signature") < text.index("</edXML:edXMLHeader>")
    assert 'URI=""' in text
    pkg = parse(signed_rsa)
    assert pkg.signature is not None and pkg.signature.namespace_ok


def test_ecdsa_pem_key_signature(pki: Pki) -> None:
    from .conftest import make_envelope

    env = make_envelope()
    env.sender.organ_id = "000.00.00.H41"
    signed = sign(build(env), load_identity(pki.h41.key_pem, pki.h41.cert_pem))
    result = verify(signed, pki.trust_dir)
    assert result.valid and result.sender_matches is True
    assert result.signature_method and result.signature_method.endswith("ecdsa-sha256")


def test_certificate_of_another_agency_is_flagged(pki: Pki, signed_rsa: bytes) -> None:
    from .conftest import make_envelope

    signed = sign(build(make_envelope()), load_identity(pki.h41.p12))
    result = verify(signed, pki.root_pem)
    assert result.valid and result.sender_matches is False and result.code == "sender-mismatch"


def test_wrong_anchor_is_untrusted(pki: Pki, signed_rsa: bytes) -> None:
    result = verify(signed_rsa, pki.other_root_pem)
    assert not result.valid and result.code == "untrusted-certificate"


def test_outsider_chain_is_untrusted(pki: Pki) -> None:
    from .conftest import make_envelope

    signed = sign(build(make_envelope()), load_identity(pki.outsider.p12))
    assert verify(signed, pki.root_pem).code == "untrusted-certificate"


@pytest.mark.parametrize(
    "old,new",
    [
        (b"<edXML:Subject>V/v", b"<edXML:Subject>v/v"),
        (b"<edXML:OrganId>000.00.12.H53", b"<edXML:OrganId>000.00.13.H53"),
        (b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>1<"),
    ],
)
def test_changed_header_element_is_detected(pki: Pki, signed_rsa: bytes, old: bytes, new: bytes) -> None:
    assert old in signed_rsa
    result = verify(signed_rsa.replace(old, new, 1), pki.root_pem)
    assert not result.valid and result.code == "signature-invalid"


def test_changed_attachment_byte_is_detected(pki: Pki, signed_rsa: bytes) -> None:
    start = signed_rsa.index(b"ContentTransferEncoded")
    pos = signed_rsa.index(b">", start) + 10
    ch = signed_rsa[pos : pos + 1]
    tampered = signed_rsa[:pos] + (b"A" if ch != b"A" else b"B") + signed_rsa[pos + 1 :]
    result = verify(tampered, pki.root_pem)
    assert not result.valid and result.code == "signature-invalid"


def test_unsigned_package(pki: Pki) -> None:
    from .conftest import make_envelope

    result = verify(build(make_envelope()), pki.root_pem)
    assert not result.valid and result.code == "unsigned"


def test_sample_placeholder_signature_does_not_verify(pki: Pki, interop: Path) -> None:
    data = (interop / "edxml-samples/truclienthong-example/edoc_update.edxml").read_bytes()
    result = verify(data, pki.root_pem)
    assert not result.valid and result.code in ("bad-certificate", "untrusted-certificate", "signature-invalid")


def test_signature_without_namespace_still_verifies(pki: Pki, signed_rsa: bytes) -> None:
    # A producer that drops the xmldsig namespace: strip the ds prefix and its declaration.
    text = signed_rsa.decode()
    stripped = text.replace(' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"', "").replace("ds:", "")
    result = verify(stripped.encode(), pki.root_pem)
    # It is found and checked as an xmldsig signature (not "unsigned"); it cannot pass,
    # because SignedInfo was canonicalised with the ds: prefix that was stripped.
    assert result.code == "signature-invalid"
    assert result.signature_method and result.signature_method.endswith("rsa-sha256")


@pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="Debian's xmlsec1 not installed")
@pytest.mark.parametrize("party", ["g22", "h41"])
def test_xmlsec1_verifies_our_signatures(pki: Pki, tmp_path: Path, party: str) -> None:
    from .conftest import make_envelope

    p = getattr(pki, party)
    signed = sign(build(make_envelope()), load_identity(p.p12))
    path = tmp_path / "signed.edxml"
    path.write_bytes(signed)
    ok = subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(pki.root_pem), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    tampered = tmp_path / "tampered.edxml"
    tampered.write_bytes(signed.replace(b"<edXML:Subject>V/v", b"<edXML:Subject>v/v"))
    bad = subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(pki.root_pem), str(tampered)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0


def _legacy_sign(pki: Pki, *, default_ns: bool) -> bytes:
    """Sign like the VNPT SDK: RSA-SHA1 with a SHA-1 digest."""
    from cryptography.hazmat.primitives import serialization
    from lxml import etree
    from signxml import XMLSigner

    from .conftest import make_envelope

    class LegacySigner(XMLSigner):
        def check_deprecated_methods(self) -> None:  # the SDKs still sign with SHA-1
            return None

    root = etree.fromstring(build(make_envelope()))
    header = root[0][0]
    ph = etree.SubElement(
        header,
        "{http://www.w3.org/2000/09/xmldsig#}Signature",
        Id="placeholder",
        nsmap={None: "http://www.w3.org/2000/09/xmldsig#"} if default_ns else None,
    )
    assert ph is not None
    signer = LegacySigner(
        signature_algorithm="rsa-sha1",
        digest_algorithm="sha1",
        c14n_algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    )
    if default_ns:
        signer.namespaces = {None: "http://www.w3.org/2000/09/xmldsig#"}
    ident = load_identity(pki.g22.p12)
    cert = ident.certificate.public_bytes(serialization.Encoding.PEM).decode()
    return etree.tostring(signer.sign(root, key=ident.key, cert=[cert]))


def test_legacy_rsa_sha1_is_accepted(pki: Pki) -> None:
    result = verify(_legacy_sign(pki, default_ns=False), pki.root_pem)
    assert result.valid and result.legacy_algorithm


def test_pkcs12_with_password(pki: Pki, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = tmp_path / "pw.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"g22", pki.g22.key, pki.g22.cert, None, serialization.BestAvailableEncryption(b"mat-khau")
        )
    )  # type: ignore[arg-type]
    ident = load_identity(p12, password="mat-khau")
    assert ident.certificate == pki.g22.cert


def test_parse_ignores_signature_for_equality(signed_rsa: bytes) -> None:
    from .conftest import make_envelope

    pkg = parse(signed_rsa)
    assert isinstance(pkg, Envelope) and pkg == make_envelope()


def test_a_remembered_chain_is_not_trusted_after_its_certificate_expires(pki: Pki, signed_rsa: bytes) -> None:
    """The trust store remembers chains it accepted, but only within their validity."""
    import datetime as dt

    from vanban.edxml.dsig import TrustStore

    store = TrustStore.from_path(pki.root_pem)
    assert verify(signed_rsa, store).valid
    assert verify(signed_rsa, store).valid  # remembered
    expired = pki.g22.cert.not_valid_after_utc + dt.timedelta(days=1)
    result = verify(signed_rsa, store, at=expired)
    assert not result.valid and result.code == "untrusted-certificate"
