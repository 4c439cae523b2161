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
import binascii
import datetime as dt
import hmac
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

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
    "verify_tree",
    "trust_store",
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
    key: str | Path | bytes,
    cert: str | Path | None = None,
    password: str | bytes | None = None,
    *,
    name: str = "",
) -> SigningIdentity:
    """Load a PKCS#12 file (``cert`` None) or a PEM key plus a PEM certificate file; ``key``
    may be the key file's bytes already read (``name`` then says where they came from)."""
    key_path = Path(name or "<memory>") if isinstance(key, bytes) else Path(key)
    pw = password.encode() if isinstance(password, str) else password
    try:
        raw = key if isinstance(key, bytes) else key_path.read_bytes()
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
    for old in [d for d in root.iter() if isinstance(d.tag, str) and local(d) in ("Signature", "DigitalSignature")]:
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
    out: bytes = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    return out


@dataclass(frozen=True)
class VerifiedChain:
    """A signer's certificate chain this trust store accepted, and while it holds: from
    the latest ``not_valid_before`` to the earliest ``not_valid_after`` of its certificates."""

    leaf: x509.Certificate
    subject: str
    agency_code: str | None
    valid_from: dt.datetime
    valid_until: dt.datetime


class TrustStore:
    """Root certificates to anchor signer certificates (a PEM/DER file or a folder).

    Chains it has accepted are remembered (:meth:`verified`): a hub verifies the same few
    agency certificates hundreds of times a second. A remembered chain is used only at a
    time inside the validity of all its certificates; failures are never remembered."""

    MAX_REMEMBERED = 4096

    def __init__(self, roots: list[x509.Certificate]) -> None:
        if not roots:
            raise SignatureError(
                "Kho chứng thư tin cậy rỗng.", "The trust store holds no certificate.", code="trust-store"
            )
        self.roots = roots
        self.store = x509.verification.Store(roots)
        self._verified: dict[tuple[str, ...], VerifiedChain] = {}

    def verified(self, certificates_b64: tuple[str, ...], at: dt.datetime) -> VerifiedChain | None:
        """The chain of these certificates (base64 DER, signer first) if it was accepted
        before and ``at`` is inside its validity."""
        chain = self._verified.get(certificates_b64)
        if chain is not None and chain.valid_from <= at <= chain.valid_until:
            return chain
        return None

    def remember(
        self,
        certificates_b64: tuple[str, ...],
        leaf: x509.Certificate,
        subject: str,
        agency_code: str | None,
        chain: list[x509.Certificate],
    ) -> VerifiedChain:
        entry = VerifiedChain(
            leaf,
            subject,
            agency_code,
            max(c.not_valid_before_utc for c in chain),
            min(c.not_valid_after_utc for c in chain),
        )
        if len(self._verified) >= self.MAX_REMEMBERED:
            self._verified.clear()
        self._verified[certificates_b64] = entry
        return entry

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


_EE_POLICY = _ee_policy()
_CA_POLICY = x509.verification.ExtensionPolicy.webpki_defaults_ca()


def _to_dsig_default_ns(sig: etree._Element) -> etree._Element:
    """Move a namespace-less ``Signature`` into xmldsig as the default namespace.

    Producers that omit the declaration signed it as ``<Signature xmlns="...xmldsig#">``
    (default namespace, no prefix), so that is the form whose C14N can match. The
    original element is replaced in the tree; :func:`verify_tree` puts it back.
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


# --- the fast path: the one profile edXML uses, checked on the shared tree ---------------
#
# signxml re-serialises and re-parses the whole document three times per verification
# (a copy of the root, a copy of the reference payload, the canonical form read back).
# For the profile vanban signs and the SDKs use (one Reference URI="", the enveloped
# transform, optionally one C14N 1.0 / exclusive C14N transform, RSA or ECDSA with SHA-1/2,
# the key in X509Data) the same checks are done here on the already parsed tree: C14N of
# SignedInfo, read back from its canonical bytes (so a comment cannot split a value),
# signature over it with the certificate's key, C14N of the document without the
# Signature element, digest. Anything outside that profile goes to signxml as before.

_C14N_MODES: dict[str, tuple[bool, bool]] = {  # URI -> (exclusive, with_comments)
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    DigestAlgorithm.SHA1.value: hashes.SHA1,
    DigestAlgorithm.SHA224.value: hashes.SHA224,
    DigestAlgorithm.SHA256.value: hashes.SHA256,
    DigestAlgorithm.SHA384.value: hashes.SHA384,
    DigestAlgorithm.SHA512.value: hashes.SHA512,
}
_SIG_METHODS: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    SignatureMethod.RSA_SHA1.value: ("rsa", hashes.SHA1),
    SignatureMethod.RSA_SHA224.value: ("rsa", hashes.SHA224),
    SignatureMethod.RSA_SHA256.value: ("rsa", hashes.SHA256),
    SignatureMethod.RSA_SHA384.value: ("rsa", hashes.SHA384),
    SignatureMethod.RSA_SHA512.value: ("rsa", hashes.SHA512),
    SignatureMethod.ECDSA_SHA1.value: ("ec", hashes.SHA1),
    SignatureMethod.ECDSA_SHA224.value: ("ec", hashes.SHA224),
    SignatureMethod.ECDSA_SHA256.value: ("ec", hashes.SHA256),
    SignatureMethod.ECDSA_SHA384.value: ("ec", hashes.SHA384),
    SignatureMethod.ECDSA_SHA512.value: ("ec", hashes.SHA512),
}
_B64_WS = b" \t\r\n"


class _Invalid(Exception):
    """The fast path found the signature invalid (message for the result)."""


def _ds(name: str) -> str:
    return f"{{{DSIG_NS}}}{name}"


def _b64(text: str | None) -> bytes:
    return binascii.a2b_base64((text or "").encode("ascii").translate(None, _B64_WS))


def _c14n(el: etree._Element, mode: tuple[bool, bool]) -> bytes:
    out: bytes = etree.tostring(el, method="c14n", exclusive=mode[0], with_comments=mode[1])
    return out


def _detached_c14n(root: etree._Element, sig: etree._Element, mode: tuple[bool, bool]) -> bytes:
    """C14N of the document without ``sig`` (enveloped transform); the tree is restored."""
    parent = sig.getparent()
    if parent is None:
        raise _Invalid("the Signature is the document element")
    index = parent.index(sig)
    tail = sig.tail
    prev = sig.getprevious()
    saved = prev.tail if prev is not None else parent.text
    if tail is not None:  # keep the text after the signature, as the transform does
        if prev is not None:
            prev.tail = (saved or "") + tail
        else:
            parent.text = (saved or "") + tail
    parent.remove(sig)
    try:
        return _c14n(root, mode)
    finally:
        if prev is not None:
            prev.tail = saved
        else:
            parent.text = saved
        parent.insert(index, sig)
        sig.tail = tail


def _fast_verify(root: etree._Element, sig: etree._Element, leaf: x509.Certificate) -> bool:
    """True when valid, :class:`_Invalid` when not, False when outside the profile."""
    key_info = sig.find(_ds("KeyInfo"))
    if key_info is not None and (
        key_info.find(_ds("KeyValue")) is not None or len(key_info) != 1 or local(key_info[0]) != "X509Data"
    ):
        return False
    si_el = sig.find(_ds("SignedInfo"))
    if si_el is None:
        return False
    cm_el = si_el.find(_ds("CanonicalizationMethod"))
    si_mode = _C14N_MODES.get(cm_el.get("Algorithm", "")) if cm_el is not None else None
    if si_mode is None or cm_el is None or len(cm_el):
        return False
    if not XMLVerifier.schemas()[0].validate(sig):
        return False  # signxml reports the schema error
    # C14N of SignedInfo as the root of its own small document: serialising it copies
    # every namespace in scope onto it, which is what inclusive C14N of the subset
    # renders. (lxml's C14N of a sub-element gets a default namespace declared above
    # it wrong, xmlns="" on grandchildren: <Signature xmlns="…xmldsig#"> as .NET writes.)
    si_doc = etree.fromstring(etree.tostring(si_el), _signxml_parser())
    si_c14n = _c14n(si_doc, si_mode)
    signed = etree.fromstring(si_c14n, _signxml_parser())  # what the signature covers
    method_el = signed.find(_ds("SignatureMethod"))
    method = _SIG_METHODS.get(method_el.get("Algorithm", "")) if method_el is not None else None
    refs = signed.findall(_ds("Reference"))
    if method is None or len(refs) != 1:
        return False
    ref = refs[0]
    if ref.get("URI") != "":
        raise _Invalid("the reference does not cover the whole document")
    transforms = list(ref.iterfind(f"{_ds('Transforms')}/{_ds('Transform')}"))
    algs = [t.get("Algorithm", "") for t in transforms]
    if any(len(t) for t in transforms) or not algs or algs[0] != _ENVELOPED or len(algs) > 2:
        return False
    ref_mode = (False, False) if len(algs) == 1 else _C14N_MODES.get(algs[1])
    dm_el = ref.find(_ds("DigestMethod"))
    dv_el = ref.find(_ds("DigestValue"))
    digest_alg = _HASHES.get(dm_el.get("Algorithm", "")) if dm_el is not None else None
    if ref_mode is None or digest_alg is None or dv_el is None:
        return False
    sv_el = sig.find(_ds("SignatureValue"))
    try:
        raw_sig = _b64(sv_el.text if sv_el is not None else None)
        expected = _b64(dv_el.text)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise _Invalid(f"bad base64: {exc}") from None
    kind, hash_cls = method
    public = leaf.public_key()
    try:
        if kind == "rsa":
            if not isinstance(public, rsa.RSAPublicKey):
                raise _Invalid("the certificate key is not an RSA key")
            public.verify(raw_sig, si_c14n, padding.PKCS1v15(), hash_cls())
        else:
            if not isinstance(public, ec.EllipticCurvePublicKey):
                raise _Invalid("the certificate key is not an EC key")
            half = (public.key_size + 7) // 8
            if len(raw_sig) != 2 * half:
                raise _Invalid(f"expected a {2 * half} byte ECDSA SignatureValue, got {len(raw_sig)}")
            der = encode_dss_signature(int.from_bytes(raw_sig[:half], "big"), int.from_bytes(raw_sig[half:], "big"))
            public.verify(der, si_c14n, ec.ECDSA(hash_cls()))
    except CryptoInvalidSignature:
        raise _Invalid("Signature verification failed") from None
    h = hashes.Hash(digest_alg())
    h.update(_detached_c14n(root, sig, ref_mode))
    if not hmac.compare_digest(h.finalize(), expected):
        raise _Invalid("Digest mismatch for reference 0 ()")
    return True


def _signxml_verify(root: etree._Element, leaf: x509.Certificate) -> None:
    config = SignatureConfiguration(
        require_x509=True,
        location=".//",
        expect_references=1,
        signature_methods=frozenset(SignatureMethod),
        digest_algorithms=frozenset(DigestAlgorithm),
    )
    XMLVerifier().verify(root, x509_cert=leaf, expect_config=config, parser=_signxml_parser())


_TRUST_CACHE: dict[tuple[object, ...], TrustStore] = {}


def _trust_key(path: str) -> tuple[object, ...]:
    """What identifies the trust store's contents: its files' names, times and sizes (plain
    ``os`` calls: this runs for every package a hub verifies)."""
    st = os.stat(path)
    if not stat.S_ISDIR(st.st_mode):
        return (path, st.st_mtime_ns, st.st_size)
    key: list[object] = [path]
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.is_file():
            est = entry.stat()
            key += [entry.name, est.st_mtime_ns, est.st_size]
    return tuple(key)


def trust_store(trust: TrustStore | str | Path) -> TrustStore:
    """``trust`` as a :class:`TrustStore`; a path is loaded once and reloaded when a file changes."""
    if isinstance(trust, TrustStore):
        return trust
    try:
        key = _trust_key(os.path.abspath(trust))
    except OSError:
        return TrustStore.from_path(Path(trust))  # raises the usual error
    store = _TRUST_CACHE.get(key)
    if store is None:
        store = TrustStore.from_path(Path(trust))
        if len(_TRUST_CACHE) >= 16:
            _TRUST_CACHE.clear()
        _TRUST_CACHE[key] = store
    return store


def verify(
    data: bytes,
    trust: TrustStore | str | Path,
    *,
    at: dt.datetime | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> VerificationResult:
    """Check the package's XML signature against ``trust``; see the module docstring."""
    store = trust_store(trust)
    notes: list[ParseNote] = []
    root = parse_xml(data, max_size=max_size, max_depth=max_depth, notes=notes)
    try:
        pkg = read_package(root, notes=notes, verify_digests=False, decode=False)
        sender: str | None = pkg.sender.organ_id
    except EdxmlError:
        sender = None
    return verify_tree(root, store, sender=sender, notes=notes, at=at)


def verify_tree(
    root: etree._Element,
    store: TrustStore,
    *,
    sender: str | None,
    notes: list[ParseNote],
    at: dt.datetime | None = None,
) -> VerificationResult:
    """:func:`verify` on an already (safely) parsed tree, left as it was found."""
    sigs = list(root.iter("{*}Signature"))

    def fail(code: str, vi: str, en: str, **kw: object) -> VerificationResult:
        return VerificationResult(False, code, vi, en, sender_organ_id=sender, notes=notes, **kw)  # type: ignore[arg-type]

    if not sigs:
        return fail("unsigned", "Gói tin chưa được ký số.", "The package is not signed.")
    if len(sigs) > 1:
        return fail(
            "multiple-signatures", "Gói tin có nhiều hơn một chữ ký.", "The package has more than one signature."
        )
    original = sigs[0]
    sig = original
    if etree.QName(sig).namespace != DSIG_NS:
        sig = _to_dsig_default_ns(sig)
    try:
        return _check_signature(root, sig, store, sender, at, fail, notes)
    finally:
        if sig is not original:
            parent = sig.getparent()
            if parent is not None:
                parent.replace(sig, original)


def _check_signature(
    root: etree._Element,
    sig: etree._Element,
    store: TrustStore,
    sender: str | None,
    at: dt.datetime | None,
    fail: Callable[..., VerificationResult],
    notes: list[ParseNote],
) -> VerificationResult:
    refs = list(sig.iter(f"{{{DSIG_NS}}}Reference"))
    if len(refs) != 1 or refs[0].get("URI") != "":
        return fail(
            "reference-scope",
            'Chữ ký không phủ toàn bộ gói tin (cần đúng một Reference URI="").',
            'The signature does not cover the whole package (exactly one Reference URI="" is required).',
        )
    method_el = sig.find(f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod")
    digest_el = refs[0].find(f"{{{DSIG_NS}}}DigestMethod")
    method = method_el.get("Algorithm") if method_el is not None else None
    legacy = method in _LEGACY or (digest_el is not None and digest_el.get("Algorithm") in _LEGACY)
    texts = tuple("".join((el.text or "").split()) for el in sig.iter(f"{{{DSIG_NS}}}X509Certificate"))
    if not texts:
        return fail(
            "no-certificate",
            "Chữ ký không kèm chứng thư số (X509Certificate).",
            "The signature carries no X509Certificate.",
            signature_method=method,
        )
    when = at or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    chain = store.verified(texts, when)
    if chain is None:
        certs: list[x509.Certificate] = []
        for text in texts:
            try:
                certs.append(x509.load_der_x509_certificate(base64.b64decode(text)))
            except ValueError:
                return fail(
                    "bad-certificate",
                    "Chứng thư số trong chữ ký bị hỏng.",
                    "The certificate in the signature is corrupt.",
                    signature_method=method,
                )
        leaf = certs[0]
        subject = leaf.subject.rfc4514_string()
        code = agency_code_from_certificate(leaf)
        try:
            builder = x509.verification.PolicyBuilder().store(store.store)
            builder = builder.extension_policies(ee_policy=_EE_POLICY, ca_policy=_CA_POLICY)
            if at is not None:
                builder = builder.time(at)
            verified = builder.build_client_verifier().verify(leaf, certs[1:])
        except (x509.verification.VerificationError, ValueError) as exc:
            return fail(
                "untrusted-certificate",
                f"Chứng thư số của người ký không chuỗi được tới chứng thư gốc tin cậy: {exc}",
                f"The signer's certificate does not chain to a trusted root: {exc}",
                signer_subject=subject,
                agency_code=code,
                signature_method=method,
                legacy_algorithm=legacy,
                certificate=leaf,
            )
        chain = store.remember(texts, leaf, subject, code, verified.chain)
    leaf, subject, code = chain.leaf, chain.subject, chain.agency_code
    info = {
        "signer_subject": subject,
        "agency_code": code,
        "signature_method": method,
        "legacy_algorithm": legacy,
        "certificate": leaf,
    }
    try:
        if not _fast_verify(root, sig, leaf):
            _signxml_verify(root, leaf)
    except (_Invalid, InvalidSignature, InvalidInput, ValueError) as exc:
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
