"""XML signatures on edXML packages (XML-DSig, enveloped, signxml + lxml).

Signing puts one ``ds:Signature`` inside ``edXMLHeader`` after ``TraceHeaderList``
(QCVN 102 §6) with a single ``Reference URI=""`` and the enveloped-signature
transform, so the whole document, attachments included, is signed; RSA-SHA256 for an
RSA key, ECDSA-SHA256 for an EC key; SHA-256 digest; inclusive C14N 1.0 (what the SDK
samples name); ``KeyInfo/X509Data`` carries the signer's certificate and chain.

Verification accepts legacy RSA-SHA1 / SHA-1 and a ``Signature`` written without the
xmldsig namespace, refuses any reference other than the whole document (no signature
wrapping), checks the certificate chain against a trust store (a PEM file or a folder
of root certificates) with :mod:`cryptography`'s path validation, and reports the
signer's subject, the agency code in the certificate (``UID=MDD:<code>``) and whether
it is the envelope's sender. It returns a :class:`VerificationResult`, it does not raise
for a bad signature; unreadable bytes raise :class:`~vanban.edxml.errors.EdxmlError`.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from signxml import (  # type: ignore[attr-defined]
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import InvalidInput, InvalidSignature  # type: ignore[attr-defined]

from vanban.edxml.errors import EdxmlError, SignatureError
from vanban.edxml.model import ParseNote
from vanban.edxml.reader import read_package
from vanban.edxml.safexml import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, DSIG_NS, local, parse_xml
from vanban.signing.identity import agency_code_from_certificate

__all__ = [
    "SigningIdentity",
    "load_identity",
    "sign",
    "TrustStore",
    "VerificationResult",
    "verify",
]

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_LEGACY = {SignatureMethod.RSA_SHA1.value, DigestAlgorithm.SHA1.value}
_PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _signxml_parser() -> etree.XMLParser:
    """signxml re-parses the document; its default parser caps text nodes at 10 MB,
    too small for attachments, so hand it the same safe settings with huge_tree."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@dataclass(frozen=True)
class SigningIdentity:
    """A private key with its certificate (first) and any intermediates."""

    key: _PrivateKey
    certificates: tuple[x509.Certificate, ...]

    @property
    def certificate(self) -> x509.Certificate:
        return self.certificates[0]


def _key_error(path: Path, exc: Exception) -> SignatureError:
    return SignatureError(
        f"Không đọc được khóa hoặc chứng thư số từ “{path}”: {exc}",
        f"Cannot read the key or certificate from '{path}': {exc}",
        code="key-file",
    )


def load_identity(
    key: str | Path, cert: str | Path | None = None, password: str | bytes | None = None
) -> SigningIdentity:
    """Load a PKCS#12 file (``cert`` None) or a PEM key plus a PEM certificate file."""
    key_path = Path(key)
    pw = password.encode() if isinstance(password, str) else password
    try:
        raw = key_path.read_bytes()
        if cert is None:
            pkey, leaf, extra = pkcs12.load_key_and_certificates(raw, pw)
            if pkey is None or leaf is None:
                raise ValueError("PKCS#12 without key or certificate")
            certs = (leaf, *extra)
        else:
            pkey = serialization.load_pem_private_key(raw, pw)
            certs = tuple(x509.load_pem_x509_certificates(Path(cert).read_bytes()))
    except (OSError, ValueError, TypeError) as exc:
        raise _key_error(key_path, exc) from None
    if not isinstance(pkey, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SignatureError(
            "Chỉ hỗ trợ khóa RSA hoặc ECDSA.", "Only RSA or ECDSA keys are supported.", code="key-type"
        )
    return SigningIdentity(pkey, certs)


def _header_and_anchor(root: etree._Element) -> tuple[etree._Element, int]:
    for env in root:
        if isinstance(env.tag, str) and local(env) == "edXMLEnvelope":
            for header in env:
                if isinstance(header.tag, str) and local(header) == "edXMLHeader":
                    pos = 0
                    for i, child in enumerate(header):
                        if isinstance(child.tag, str) and local(child) in ("MessageHeader", "TraceHeaderList"):
                            pos = i + 1
                    return header, pos
    raise SignatureError(
        "Gói tin không có edXMLHeader để đặt chữ ký.",
        "The package has no edXMLHeader to hold the signature.",
        code="bad-structure",
    )


def sign(data: bytes, identity: SigningIdentity, *, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """Sign a package: any earlier ``Signature``/``DigitalSignature`` is replaced."""
    root = parse_xml(data, max_size=max_size)
    for old in [
        d for d in root.iter() if isinstance(d.tag, str) and local(d) in ("Signature", "DigitalSignature")
    ]:
        parent = old.getparent()
        if parent is not None:
            parent.remove(old)
    header, pos = _header_and_anchor(root)
    placeholder = etree.Element(f"{{{DSIG_NS}}}Signature", nsmap={"ds": DSIG_NS})
    placeholder.set("Id", "placeholder")
    header.insert(pos, placeholder)
    method = SignatureMethod.RSA_SHA256 if isinstance(identity.key, rsa.RSAPrivateKey) else SignatureMethod.ECDSA_SHA256
    signer = XMLSigner(signature_algorithm=method, digest_algorithm=DigestAlgorithm.SHA256, c14n_algorithm=C14N)
    signer._parser = _signxml_parser()
    pem_chain = [c.public_bytes(serialization.Encoding.PEM).decode() for c in identity.certificates]
    try:
        signed = signer.sign(root, key=identity.key, cert=pem_chain)
    except (InvalidInput, ValueError, TypeError) as exc:
        raise SignatureError(f"Ký gói tin thất bại: {exc}", f"Signing failed: {exc}", code="sign-failed") from None
    sig = next(d for d in signed.iter() if isinstance(d.tag, str) and local(d) == "Signature")
    if sig.get("Id") == "placeholder":
        del sig.attrib["Id"]
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


class TrustStore:
    """Root certificates to anchor signer certificates (a PEM/DER file or a folder)."""

    def __init__(self, roots: list[x509.Certificate]) -> None:
        if not roots:
            raise SignatureError(
                "Kho chứng thư tin cậy rỗng.", "The trust store holds no certificate.", code="trust-store"
            )
        self.roots = roots
        self.store = x509.verification.Store(roots)

    @classmethod
    def from_path(cls, *paths: str | Path) -> TrustStore:
        roots: list[x509.Certificate] = []
        for p in paths:
            path = Path(p)
            files = sorted(f for f in path.iterdir() if f.is_file()) if path.is_dir() else [path]
            for f in files:
                try:
                    raw = f.read_bytes()
                except OSError as exc:
                    raise _key_error(f, exc) from None
                if b"-----BEGIN CERTIFICATE-----" in raw:
                    roots += x509.load_pem_x509_certificates(raw)
                elif not path.is_dir():
                    try:
                        roots.append(x509.load_der_x509_certificate(raw))
                    except ValueError as exc:
                        raise _key_error(f, exc) from None
        return cls(roots)


@dataclass
class VerificationResult:
    """The bottom line of checking a package's XML signature."""

    valid: bool
    code: str
    message_vi: str
    message_en: str
    signer_subject: str | None = None
    agency_code: str | None = None
    sender_organ_id: str | None = None
    sender_matches: bool | None = None
    signature_method: str | None = None
    legacy_algorithm: bool = False
    certificate: x509.Certificate | None = field(default=None, repr=False)
    notes: list[ParseNote] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "code": self.code,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "signer_subject": self.signer_subject,
            "agency_code": self.agency_code,
            "sender_organ_id": self.sender_organ_id,
            "sender_matches": self.sender_matches,
            "signature_method": self.signature_method,
            "legacy_algorithm": self.legacy_algorithm,
        }


def _ee_policy() -> x509.verification.ExtensionPolicy:
    def _ku(policy: object, cert: object, ku: x509.KeyUsage | None) -> None:
        if ku is None or not (ku.digital_signature or ku.content_commitment):
            raise ValueError("KeyUsage does not allow digitalSignature / nonRepudiation")

    return x509.verification.ExtensionPolicy.permit_all().require_present(
        x509.KeyUsage, x509.verification.Criticality.AGNOSTIC, _ku
    )


def _to_dsig_default_ns(sig: etree._Element) -> etree._Element:
    """Move a namespace-less ``Signature`` into xmldsig as the default namespace.

    Producers that omit the declaration signed it as ``<Signature xmlns="...xmldsig#">``
    (default namespace, no prefix), so that is the form whose C14N can match.
    """
    new = etree.Element(f"{{{DSIG_NS}}}Signature", nsmap={None: DSIG_NS})

    def copy(src: etree._Element, dst: etree._Element) -> None:
        dst.text = src.text
        dst.attrib.update(src.attrib)
        for child in src:
            if isinstance(child.tag, str):
                c = etree.SubElement(dst, f"{{{DSIG_NS}}}{local(child)}")
                copy(child, c)
                c.tail = child.tail

    copy(sig, new)
    new.tail = sig.tail
    parent = sig.getparent()
    if parent is not None:
        parent.replace(sig, new)
    return new


def verify(
    data: bytes,
    trust: TrustStore | str | Path,
    *,
    at: dt.datetime | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> VerificationResult:
    """Check the package's XML signature against ``trust``; see the module docstring."""
    store = trust if isinstance(trust, TrustStore) else TrustStore.from_path(trust)
    notes: list[ParseNote] = []
    root = parse_xml(data, max_size=max_size, max_depth=max_depth, notes=notes)
    try:
        pkg = read_package(root, notes=notes, verify_digests=False)
        sender: str | None = pkg.sender.organ_id
    except EdxmlError:
        sender = None
    sigs = [d for d in root.iter() if isinstance(d.tag, str) and local(d) == "Signature"]

    def fail(code: str, vi: str, en: str, **kw: object) -> VerificationResult:
        return VerificationResult(False, code, vi, en, sender_organ_id=sender, notes=notes, **kw)  # type: ignore[arg-type]

    if not sigs:
        return fail("unsigned", "Gói tin chưa được ký số.", "The package is not signed.")
    if len(sigs) > 1:
        return fail("multiple-signatures", "Gói tin có nhiều hơn một chữ ký.", "The package has more than one signature.")
    sig = sigs[0]
    if etree.QName(sig).namespace != DSIG_NS:
        sig = _to_dsig_default_ns(sig)
    refs = [d for d in sig.iter(f"{{{DSIG_NS}}}Reference")]
    if len(refs) != 1 or refs[0].get("URI") != "":
        return fail(
            "reference-scope",
            "Chữ ký không phủ toàn bộ gói tin (cần đúng một Reference URI=\"\").",
            "The signature does not cover the whole package (exactly one Reference URI=\"\" is required).",
        )
    method_el = sig.find(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod")
    digest_el = refs[0].find(f"{{{DSIG_NS}}}DigestMethod")
    method = method_el.get("Algorithm") if method_el is not None else None
    legacy = method in _LEGACY or (digest_el is not None and digest_el.get("Algorithm") in _LEGACY)
    certs: list[x509.Certificate] = []
    for el in sig.iter(f"{{{DSIG_NS}}}X509Certificate"):
        try:
            certs.append(x509.load_der_x509_certificate(base64.b64decode("".join((el.text or "").split()))))
        except ValueError:
            return fail("bad-certificate", "Chứng thư số trong chữ ký bị hỏng.", "The certificate in the signature is corrupt.", signature_method=method)
    if not certs:
        return fail("no-certificate", "Chữ ký không kèm chứng thư số (X509Certificate).", "The signature carries no X509Certificate.", signature_method=method)
    leaf, intermediates = certs[0], certs[1:]
    subject = leaf.subject.rfc4514_string()
    code = agency_code_from_certificate(leaf)
    info = {
        "signer_subject": subject,
        "agency_code": code,
        "signature_method": method,
        "legacy_algorithm": legacy,
        "certificate": leaf,
    }
    try:
        builder = x509.verification.PolicyBuilder().store(store.store)
        builder = builder.extension_policies(
            ee_policy=_ee_policy(), ca_policy=x509.verification.ExtensionPolicy.webpki_defaults_ca()
        )
        if at is not None:
            builder = builder.time(at)
        builder.build_client_verifier().verify(leaf, intermediates)
    except (x509.verification.VerificationError, ValueError) as exc:
        return fail(
            "untrusted-certificate",
            f"Chứng thư số của người ký không chuỗi được tới chứng thư gốc tin cậy: {exc}",
            f"The signer's certificate does not chain to a trusted root: {exc}",
            **info,
        )
    config = SignatureConfiguration(
        require_x509=True,
        location=".//",
        expect_references=1,
        signature_methods=frozenset(SignatureMethod),
        digest_algorithms=frozenset(DigestAlgorithm),
    )
    try:
        XMLVerifier().verify(root, x509_cert=leaf, expect_config=config, parser=_signxml_parser())
    except (InvalidSignature, InvalidInput, ValueError) as exc:
        return fail(
            "signature-invalid",
            f"Chữ ký không hợp lệ: gói tin hoặc tệp đính kèm đã bị thay đổi sau khi ký ({exc}).",
            f"The signature is invalid: the package or an attachment changed after signing ({exc}).",
            **info,
        )
    matches = None if sender is None or code is None else code == sender
    if matches is False:
        vi = f"Chữ ký hợp lệ nhưng chứng thư thuộc cơ quan {code}, không phải cơ quan gửi {sender}."
        en = f"The signature is valid but the certificate belongs to {code}, not the sender {sender}."
    else:
        vi, en = "Chữ ký hợp lệ.", "The signature is valid."
    return VerificationResult(
        True,
        "valid" if matches is not False else "sender-mismatch",
        vi,
        en,
        sender_organ_id=sender,
        sender_matches=matches,
        notes=notes,
        signer_subject=subject,
        agency_code=code,
        signature_method=method,
        legacy_algorithm=legacy,
        certificate=leaf,
    )
