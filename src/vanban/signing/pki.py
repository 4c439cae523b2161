"""A test PKI laid out like a Vietnamese CA: a root ("CA thử nghiệm") issuing agency
(seal) certificates, personal certificates and a timestamping certificate.

For demos and tests only: keys are written unencrypted unless the caller seals them (the
demo does, with :mod:`vanban.keystore`), always private to the user (mode 0600). Subject layout (which field
carries what) is in :mod:`vanban.signing.identity` and ``docs/signing.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from vanban.secretbox import write_private
from vanban.signing.errors import SigningError
from vanban.signing.identity import agency_subject, person_subject

__all__ = [
    "KeyType",
    "PrivateKey",
    "IssuedCertificate",
    "TestPKI",
    "load_pkcs12",
    "load_pem_identity",
    "generate_key",
    "ROOT_NAME",
]

KeyType = Literal["rsa2048", "rsa3072", "ec-p256"]
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
ROOT_NAME = "CA thử nghiệm"
_STATE = "pki.json"


def generate_key(key_type: str = "rsa2048") -> PrivateKey:
    """A fresh private key of one of the :data:`KeyType` kinds."""
    if key_type == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "rsa3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    if key_type == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    raise SigningError(
        f"Loại khóa không hỗ trợ: {key_type} (chỉ rsa2048, rsa3072, ec-p256).",
        f"Unsupported key type {key_type!r} (rsa2048, rsa3072, ec-p256).",
        code="bad_key_type",
    )


@dataclass
class IssuedCertificate:
    """A private key with its certificate and the issuing chain (issuer first, root last)."""

    key: PrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)

    @property
    def common_name(self) -> str:
        attrs = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else ""

    def to_pkcs12(self, password: bytes | None = None) -> bytes:
        """PKCS#12 bytes with key, certificate and chain (unencrypted if no password)."""
        enc: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        )
        return pkcs12.serialize_key_and_certificates(
            self.common_name.encode("utf-8"), self.key, self.cert, self.chain or None, enc
        )

    def write_pkcs12(self, path: str | Path, password: bytes | None = None) -> Path:
        """The PKCS#12 file, private to the user (mode 0600), written atomically."""
        return write_private(path, self.to_pkcs12(password))

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def load_pkcs12(data: bytes | str | Path, password: bytes | None = None) -> IssuedCertificate:
    """Read a PKCS#12 file (path or bytes) into key, certificate and chain."""
    raw = data if isinstance(data, bytes) else Path(data).read_bytes()
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(raw, password)
    except (ValueError, TypeError) as exc:
        raise SigningError(
            "Không đọc được tệp khóa PKCS#12 (sai mật khẩu hoặc tệp hỏng).",
            f"Cannot read the PKCS#12 file: {exc}",
            code="bad_key_file",
        ) from exc
    if key is None or cert is None:
        raise SigningError(
            "Tệp PKCS#12 không có khóa bí mật hoặc chứng thư số.",
            "The PKCS#12 file has no private key or no certificate.",
            code="bad_key_file",
        )
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SigningError("Chỉ hỗ trợ khóa RSA và ECDSA.", "Only RSA and ECDSA keys.", code="bad_key_type")
    return IssuedCertificate(key, cert, _order_chain(cert, list(extra or [])))


def load_pem_identity(key_pem: bytes, cert_pem: bytes, password: bytes | None = None) -> IssuedCertificate:
    """Key and certificates from PEM (the certificate file may hold the chain after it)."""
    try:
        key = serialization.load_pem_private_key(key_pem, password)
        certs = x509.load_pem_x509_certificates(cert_pem)
    except (ValueError, TypeError) as exc:
        raise SigningError(
            "Không đọc được khóa hoặc chứng thư số PEM.",
            f"Cannot read the PEM key or certificate: {exc}",
            code="bad_key_file",
        ) from exc
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SigningError("Chỉ hỗ trợ khóa RSA và ECDSA.", "Only RSA and ECDSA keys.", code="bad_key_type")
    pub = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    leaf = next(
        (
            c
            for c in certs
            if c.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            == pub
        ),
        None,
    )
    if leaf is None:
        raise SigningError(
            "Khóa bí mật không khớp với chứng thư số.",
            "The private key does not match any certificate given.",
            code="key_cert_mismatch",
        )
    return IssuedCertificate(key, leaf, _order_chain(leaf, [c for c in certs if c != leaf]))


def _order_chain(leaf: x509.Certificate, others: list[x509.Certificate]) -> list[x509.Certificate]:
    chain: list[x509.Certificate] = []
    current = leaf
    pool = list(others)
    while True:
        issuer = next((c for c in pool if c.subject == current.issuer and c != current), None)
        if issuer is None:
            break
        chain.append(issuer)
        pool.remove(issuer)
        if issuer.subject == issuer.issuer:
            break
        current = issuer
    return chain + pool


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(tz=UTC).replace(microsecond=0)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class TestPKI:
    """A root CA that issues agency, personal and timestamping certificates.

    ``TestPKI.create(directory)`` makes a new root and writes ``root.pem`` and
    ``root-key.pem`` (mode 0600; sealed when ``protect`` is given, e.g. by the demo with the
    server's key-encryption key, else unencrypted: test only); ``TestPKI.load(directory,
    unprotect=...)`` reads it back.
    ``directory=None`` keeps everything in memory. ``now`` fixes the issuing time
    (tests use a fixed time so that runs are reproducible).
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        root: IssuedCertificate,
        directory: Path | None = None,
        now: datetime | None = None,
        revoked: dict[int, str] | None = None,
        crl_url: str = "http://ca.vanban.test/crl/root.crl",
        protect: Callable[[bytes], bytes] | None = None,
        ocsp_url: str = "",
    ) -> None:
        self.protect = protect
        self.crl_url = crl_url
        self.ocsp_url = ocsp_url  # written into issued certificates (AIA) when set
        self._responder: IssuedCertificate | None = None
        self.root = root
        self.directory = directory
        self.now = _utc(now) if now else None
        self.revoked: dict[int, str] = dict(revoked or {})

    # -- creation / loading -------------------------------------------------
    @classmethod
    def create(
        cls,
        directory: str | Path | None = None,
        *,
        name: str = ROOT_NAME,
        key_type: str = "rsa2048",
        now: datetime | None = None,
        years: int = 20,
        protect: Callable[[bytes], bytes] | None = None,
        crl_url: str | None = None,
    ) -> TestPKI:
        """A new root; ``crl_url`` is the CRL distribution point written into every
        certificate it issues (a served one, :class:`testkit.pkiservices.PKIServices`,
        for long-term validation tests)."""
        start = _utc(now)
        key = generate_key(key_type)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vanban (thử nghiệm)"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start - timedelta(days=1))
            .not_valid_after(start + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        pki = cls(IssuedCertificate(key, cert, []), None, now, protect=protect)
        if crl_url is not None:
            pki.crl_url = crl_url
        if directory is not None:
            pki.directory = Path(directory)
            pki.save()
        return pki

    @classmethod
    def load(
        cls,
        directory: str | Path,
        *,
        unprotect: Callable[[bytes], bytes] | None = None,
        protect: Callable[[bytes], bytes] | None = None,
    ) -> TestPKI:
        """The CA kept in ``directory``; ``unprotect`` opens a sealed ``root-key.pem``,
        ``protect`` seals it again when the state is saved (a revocation)."""
        d = Path(directory)
        try:
            key_pem = (d / "root-key.pem").read_bytes()
            ident = load_pem_identity(unprotect(key_pem) if unprotect else key_pem, (d / "root.pem").read_bytes())
        except FileNotFoundError as exc:
            raise SigningError(
                f"Thư mục {d} không chứa CA thử nghiệm (thiếu root.pem / root-key.pem).",
                f"{d} holds no test CA (root.pem / root-key.pem missing).",
                code="pki_missing",
            ) from exc
        revoked: dict[int, str] = {}
        state = d / _STATE
        if state.exists():
            data = json.loads(state.read_text("utf-8"))
            revoked = {int(k): v for k, v in data.get("revoked", {}).items()}
            return cls(
                ident, d, None, revoked, data.get("crl_url", ""), protect=protect, ocsp_url=data.get("ocsp_url", "")
            )
        return cls(ident, d, None, revoked, protect=protect)

    def save(self) -> None:
        if self.directory is None:
            return
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        (d / "root.pem").write_bytes(self.root.cert_pem())
        key_pem = self.root.key_pem()
        write_private(d / "root-key.pem", self.protect(key_pem) if self.protect else key_pem)
        (d / _STATE).write_text(
            json.dumps(
                {
                    "revoked": {str(k): v for k, v in self.revoked.items()},
                    "crl_url": self.crl_url,
                    "ocsp_url": self.ocsp_url,
                },
                indent=1,
            ),
            "utf-8",
        )

    @property
    def root_cert(self) -> x509.Certificate:
        return self.root.cert

    # -- issuing -------------------------------------------------------------
    def _issue(
        self,
        subject: x509.Name,
        key_type: str,
        not_before: datetime | None,
        not_after: datetime | None,
        years: int,
        eku: list[x509.ObjectIdentifier],
        eku_critical: bool = False,
        key: PrivateKey | None = None,
    ) -> IssuedCertificate:
        key = key or generate_key(key_type)
        start = _utc(not_before or self.now)
        end = _utc(not_after) if not_after else start + timedelta(days=365 * years)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.root.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start - timedelta(hours=1))
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()),
                critical=False,
            )
        )
        if self.crl_url:  # as real CAs do; validators then look for a CRL (given offline)
            builder = builder.add_extension(
                x509.CRLDistributionPoints(
                    [x509.DistributionPoint([x509.UniformResourceIdentifier(self.crl_url)], None, None, None)]
                ),
                critical=False,
            )
        if self.ocsp_url:  # the CA answers OCSP itself (testkit.pkiservices serves it)
            builder = builder.add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(self.ocsp_url)
                        )
                    ]
                ),
                critical=False,
            )
        cert = builder.sign(self.root.key, hashes.SHA256())
        return IssuedCertificate(key, cert, [self.root.cert])

    def issue_agency(
        self,
        code: str,
        name: str,
        key_type: str = "rsa2048",
        *,
        province: str = "",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        years: int = 5,
        key: PrivateKey | None = None,
    ) -> IssuedCertificate:
        """Agency (seal) certificate: ``CN=O=name``, ``UID=MDD:code``."""
        return self._issue(
            agency_subject(code, name, province),
            key_type,
            not_before,
            not_after,
            years,
            [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION],
            key=key,
        )

    def issue_person(
        self,
        full_name: str,
        agency_code: str,
        agency_name: str,
        position: str = "",
        key_type: str = "rsa2048",
        *,
        person_id: str = "",
        province: str = "",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        years: int = 3,
        key: PrivateKey | None = None,
    ) -> IssuedCertificate:
        """Personal certificate: ``CN`` = full name, ``T`` = position, ``O`` = agency,
        ``UID=MDD:agency code`` (and ``UID=CCCD:...`` if ``person_id``)."""
        return self._issue(
            person_subject(full_name, agency_code, agency_name, position, person_id, province),
            key_type,
            not_before,
            not_after,
            years,
            [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION],
            key=key,
        )

    def issue_tsa(self, name: str = "Dịch vụ cấp dấu thời gian thử nghiệm") -> IssuedCertificate:
        """Timestamping (RFC 3161) certificate: EKU timeStamping, critical."""
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vanban (thử nghiệm)"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        return self._issue(
            subject,
            "rsa2048",
            None,
            None,
            10,
            [ExtendedKeyUsageOID.TIME_STAMPING],
            eku_critical=True,
        )

    # -- revocation ------------------------------------------------------------
    def revoke(self, cert: x509.Certificate, when: datetime | None = None) -> None:
        self.revoked[cert.serial_number] = _utc(when or self.now).isoformat()
        self.save()

    def crl(self, now: datetime | None = None) -> x509.CertificateRevocationList:
        """A CRL listing the revoked certificates, valid for 30 days from ``now``
        (default: the real current time, so that validators accept it as fresh)."""
        start = _utc(now)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.cert.subject)
            .last_update(start - timedelta(hours=1))
            .next_update(start + timedelta(days=30))
            .add_extension(x509.CRLNumber(1), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()),
                critical=False,
            )
        )
        for serial, when in self.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(datetime.fromisoformat(when))
                .build()
            )
        return builder.sign(self.root.key, hashes.SHA256())

    def ocsp_response(self, request_der: bytes, now: datetime | None = None) -> bytes:
        """The DER OCSP response to an OCSP request for a certificate this CA issued, signed
        by the CA's delegated responder (:meth:`ocsp_responder`, sent with the response):
        good, or revoked (with its time) when :meth:`revoke`d; valid for a day from ``now``
        (default: the real current time)."""
        try:
            req = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
                serialization.Encoding.DER
            )
        start = _utc(now)
        revoked_at = self.revoked.get(req.serial_number)
        # answered by serial, echoing the request's issuer hashes (a test CA: no check that
        # the request names this CA)
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=req.issuer_name_hash,
            issuer_key_hash=req.issuer_key_hash,
            serial_number=req.serial_number,
            algorithm=req.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=start - timedelta(minutes=5),
            next_update=start + timedelta(days=1),
            revocation_time=datetime.fromisoformat(revoked_at) if revoked_at else None,
            revocation_reason=None,
        )
        responder = self.ocsp_responder()
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, responder.cert).certificates([responder.cert])
        nonce = next((e for e in req.extensions if isinstance(e.value, x509.OCSPNonce)), None)
        if nonce is not None:
            builder = builder.add_extension(nonce.value, critical=False)
        return builder.sign(responder.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp_responder(self) -> IssuedCertificate:
        """The CA's OCSP signing certificate (EKU OCSPSigning, ``id-pkix-ocsp-nocheck``: its
        own status is not asked), made once per PKI object."""
        if self._responder is None:
            subject = x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vanban (thử nghiệm)"),
                    x509.NameAttribute(NameOID.COMMON_NAME, "Dịch vụ OCSP thử nghiệm"),
                ]
            )
            key = generate_key("rsa2048")
            start = datetime.now(tz=UTC).replace(microsecond=0)
            cert = (
                x509.CertificateBuilder()
                .subject_name(subject)
                .issuer_name(self.root.cert.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(start - timedelta(hours=1))
                .not_valid_after(self.root.cert.not_valid_after_utc)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=True)
                .add_extension(x509.OCSPNoCheck(), critical=False)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()), critical=False
                )
                .sign(self.root.key, hashes.SHA256())
            )
            self._responder = IssuedCertificate(key, cert, [self.root.cert])
        return self._responder
