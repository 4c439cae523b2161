"""check(): one parse shared by read + validate + verify, same answers as the three calls."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from vanban.edxml import (
    CheckResult,
    DepthLimitError,
    EdxmlError,
    ForbiddenDtdError,
    SizeLimitError,
    TruncatedXmlError,
    build,
    check,
    dsig,
    load_identity,
    parse,
    sign,
    validate,
    verify,
)
from vanban.edxml.safexml import parse_xml

from .conftest import Pki, make_envelope, make_status

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"


def _same_as_separate_calls(data: bytes, trust: Path) -> CheckResult:
    """check() must give what parse(), validate() and verify() give on the same bytes."""
    try:
        expected_problems = validate(data)
    except EdxmlError as exc:
        with pytest.raises(type(exc)):
            check(data, trust)
        return CheckResult(None)
    result = check(data, trust)
    assert result.problems == expected_problems
    assert result.signature is not None
    assert result.signature.to_dict() == verify(data, trust).to_dict()
    try:
        pkg = parse(data)
    except EdxmlError:
        return result  # e.g. a digest mismatch: parse raises, check reports it
    assert result.package == pkg
    assert result.package is not None and result.package.notes == pkg.notes
    assert result.package.signature == pkg.signature
    return result


def test_real_samples_match_the_separate_calls(pki: Pki, interop_sample: Path) -> None:
    _same_as_separate_calls(interop_sample.read_bytes(), pki.root_pem)


@pytest.mark.parametrize("party", ["g22", "h41"])
def test_signed_package_matches_and_is_valid(pki: Pki, party: str) -> None:
    env = make_envelope()
    if party == "h41":
        env.sender.organ_id = "000.00.00.H41"
    signed = sign(build(env), load_identity(getattr(pki, party).p12))
    result = _same_as_separate_calls(signed, pki.root_pem)
    assert result.valid and result.errors == []
    assert result.signature is not None and result.signature.code == "valid"
    assert result.package == env


def test_status_message_and_no_trust() -> None:
    data = build(make_status())
    result = check(data)
    assert result.signature is None and result.package == make_status()
    assert result.problems == validate(data) and result.valid


def test_unsigned_with_trust(pki: Pki) -> None:
    result = check(build(make_envelope()), pki.root_pem)
    assert result.signature is not None and result.signature.code == "unsigned"
    assert not result.valid and result.errors == []


def test_tampered_attachment_is_detected(pki: Pki) -> None:
    signed = sign(build(make_envelope()), load_identity(pki.g22.p12))
    start = signed.index(b"ContentTransferEncoded")
    pos = signed.index(b">", start) + 10
    tampered = signed[:pos] + (b"A" if signed[pos : pos + 1] != b"A" else b"B") + signed[pos + 1 :]
    result = _same_as_separate_calls(tampered, pki.root_pem)
    assert result.signature is not None and result.signature.code == "signature-invalid"
    assert "digest-mismatch" in {p.code for p in result.errors}  # vb:sha256 catches it too
    assert not result.valid
    assert result.package is not None and result.package.attachments[0].content  # still decoded


def test_tampered_header_is_detected(pki: Pki) -> None:
    signed = sign(build(make_envelope()), load_identity(pki.g22.p12))
    result = check(signed.replace(b"<edXML:Subject>V/v", b"<edXML:Subject>v/v"), pki.root_pem)
    assert result.signature is not None and result.signature.code == "signature-invalid"


def test_out_of_order_package_is_verified_before_normalising(pki: Pki) -> None:
    # validate() reorders the shared tree for the XSD: the signature must be checked first.
    signed = sign(build(make_envelope()), load_identity(pki.g22.p12))
    root = etree.fromstring(signed)
    mh = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader")
    assert mh is not None
    mh.append(mh[0])  # From to the end: reordered, so the signature no longer matches
    data = etree.tostring(root)
    result = _same_as_separate_calls(data, pki.root_pem)
    assert "element-order" in {p.code for p in result.problems}
    assert result.signature is not None and result.signature.code == "signature-invalid"


@pytest.mark.parametrize(
    "data,error",
    [
        (
            f'<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXML xmlns="{NS}">&x;</edXML>'.encode(),
            ForbiddenDtdError,
        ),
        (f'<edXML xmlns="{NS}">'.encode() + b"<a>" * 200 + b"</a>" * 200 + b"</edXML>", DepthLimitError),
        (b"", TruncatedXmlError),
        (b'<edXML xmlns="' + NS.encode() + b'"><edXMLEnvelope>', TruncatedXmlError),
    ],
)
def test_hostile_input_raises(pki: Pki, data: bytes, error: type[EdxmlError]) -> None:
    with pytest.raises(error):
        check(data, pki.root_pem)


def test_size_limit(pki: Pki) -> None:
    with pytest.raises(SizeLimitError):
        check(build(make_status()), pki.root_pem, max_size=100)


def test_fast_path_agrees_with_signxml(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> None:
    """The profile we sign is checked without signxml; both must agree on every variant."""
    signed = sign(build(make_envelope()), load_identity(pki.h41.p12))
    variants = {
        "untouched": signed,
        "header": signed.replace(b"<edXML:Subject>V/v", b"<edXML:Subject>v/v"),
        "signed-info": signed.replace(b"<ds:DigestValue>", b"<ds:DigestValue>AAAA", 1),
        "whitespace-after-signature": signed.replace(b"</ds:Signature>", b"</ds:Signature>\n  "),
        "comment-in-digest": signed.replace(b"<ds:DigestValue>", b"<ds:DigestValue><!--x-->", 1),
    }
    leaf = load_identity(pki.h41.p12).certificate
    for name, data in variants.items():
        root = parse_xml(data)
        sig = next(root.iter(f"{{{DS}}}Signature"))
        before = etree.tostring(root)
        try:
            fast = dsig._fast_verify(root, sig, leaf)
        except dsig._Invalid:
            fast = False
        else:
            assert fast is True, name  # inside the profile: no fallback
        assert etree.tostring(root) == before, name  # the shared tree is left as it was
        try:
            dsig._signxml_verify(parse_xml(data), leaf)
            slow = True
        except Exception:
            slow = False
        assert fast == slow, name
    assert check(signed, pki.root_pem).valid

    def no_signxml(*args: object) -> None:
        raise AssertionError("signxml fallback used for the standard profile")

    monkeypatch.setattr(dsig, "_signxml_verify", no_signxml)
    assert check(signed, pki.root_pem).valid


def test_trust_path_is_loaded_once(pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust = tmp_path / "root.pem"
    trust.write_bytes(pki.root_pem.read_bytes())
    signed = sign(build(make_envelope()), load_identity(pki.g22.p12))
    assert check(signed, trust).valid
    calls: list[object] = []
    real = dsig.TrustStore.from_path
    monkeypatch.setattr(dsig.TrustStore, "from_path", classmethod(lambda cls, *p: calls.append(p) or real(*p)))
    assert check(signed, trust).valid and verify(signed, trust).valid
    assert calls == []
    trust.write_bytes(pki.other_root_pem.read_bytes() + b"\n")  # changed file: reloaded
    result = check(signed, trust)
    assert calls and result.signature is not None and result.signature.code == "untrusted-certificate"


# --- a Signature without the xmldsig namespace declaration ----------------------------------

_TEMPLATE = (
    f'<Signature xmlns="{DS}"><SignedInfo>'
    '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
    '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<Reference URI=""><Transforms>'
    '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>'
    '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>'
    "</SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature>"
)


@pytest.fixture(scope="module")
def sdk_style_signed(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Signed by Debian's xmlsec1 with ``<Signature xmlns="…xmldsig#">``, then the
    declaration dropped, as the SDK samples show it: ``<Signature>`` in the edXML
    default namespace. Generated per run from the test PKI (no committed key)."""
    if shutil.which("xmlsec1") is None:
        pytest.skip("Debian's xmlsec1 not installed")
    tmp = tmp_path_factory.mktemp("xmlsec")
    unsigned = build(make_envelope())
    anchor = b"</edXML:TraceHeaderList>"
    assert unsigned.count(anchor) == 1
    template = tmp / "template.edxml"
    template.write_bytes(unsigned.replace(anchor, anchor + _TEMPLATE.encode()))
    out = tmp / "signed.edxml"
    run = subprocess.run(
        [
            "xmlsec1",
            "--sign",
            "--privkey-pem",
            f"{pki.g22.key_pem},{pki.g22.cert_pem}",
            "--output",
            str(out),
            str(template),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    signed = out.read_bytes()
    ok = subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(pki.root_pem), str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    decl = f'<Signature xmlns="{DS}">'.encode()
    assert signed.count(decl) == 1
    return signed.replace(decl, b"<Signature>")


def test_signature_in_edxml_namespace_is_found_and_verified(pki: Pki, sdk_style_signed: bytes) -> None:
    root = etree.fromstring(sdk_style_signed)
    sig = next(root.iter(f"{{{NS}}}Signature"))  # really in the edXML namespace now
    assert sig.getparent() is not None and etree.QName(sig.getparent()).localname == "edXMLHeader"
    result = verify(sdk_style_signed, pki.root_pem)
    assert result.valid and result.code == "valid", result.message_en
    assert result.agency_code == "000.00.00.G22" and result.sender_matches is True
    checked = _same_as_separate_calls(sdk_style_signed, pki.root_pem)
    assert checked.valid
    assert "signature-namespace" in {p.code for p in checked.problems}
    pkg = parse(sdk_style_signed)
    assert pkg.signature is not None and pkg.signature.present and not pkg.signature.namespace_ok


@pytest.mark.parametrize(
    "old,new",
    [
        (b"<edXML:Subject>V/v", b"<edXML:Subject>v/v"),
        (b"<edXML:OrganId>000.00.12.H53", b"<edXML:OrganId>000.00.13.H53"),
    ],
)
def test_signature_in_edxml_namespace_tampered(pki: Pki, sdk_style_signed: bytes, old: bytes, new: bytes) -> None:
    assert old in sdk_style_signed
    tampered = sdk_style_signed.replace(old, new, 1)
    result = verify(tampered, pki.root_pem)
    assert not result.valid and result.code == "signature-invalid"
    checked = check(tampered, pki.root_pem)
    assert checked.signature is not None and checked.signature.code == "signature-invalid"


def test_signature_in_default_xmldsig_namespace(pki: Pki, sdk_style_signed: bytes) -> None:
    # The form .NET SignedXml writes: <Signature xmlns="…xmldsig#">, no prefix. signxml
    # canonicalises its SignedInfo wrongly (xmlns="" on grandchildren); our path must not.
    signed = sdk_style_signed.replace(b"<Signature>", f'<Signature xmlns="{DS}">'.encode(), 1)
    assert verify(signed, pki.root_pem).code == "valid"
    checked = _same_as_separate_calls(signed, pki.root_pem)
    assert checked.valid and "signature-namespace" not in {p.code for p in checked.problems}
    tampered = check(signed.replace(b"<edXML:Subject>V/v", b"<edXML:Subject>v/v"), pki.root_pem)
    assert tampered.signature is not None and tampered.signature.code == "signature-invalid"


def test_attachments_left_undecoded_for_a_relay(pki: Pki) -> None:
    """A hub's check: the header read and the signature verified, the files not opened."""
    signed = sign(build(make_envelope()), load_identity(pki.g22.p12))
    result = check(signed, pki.root_pem, decode_attachments=False)
    assert result.valid and result.package is not None
    assert result.package.attachments and all(a.content == b"" for a in result.package.attachments)
    assert check(signed, pki.root_pem).package.attachments[0].content
