"""Who holds the private key: a key file, a PKCS#11 token, or a remote signing service.

A :class:`Signer` knows its certificate and chain up front and signs bytes on request
(:meth:`Signer.sign_raw`); the PDF work around it is staged (prepare → data to sign →
embed, see :mod:`vanban.signing.pdf`), so a token or a remote service only ever sees
the signed attributes (or their digest), never the document.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from vanban.signing.errors import SigningError
from vanban.signing.pki import IssuedCertificate, _order_chain, load_pem_identity, load_pkcs12

__all__ = [
    "Signer",
    "KeyFileSigner",
    "PKCS11Signer",
    "HASHES",
    "digest",
    "key_algorithm",
    "verify_signature",
    "read_token_certificate",
]

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def _hash(name: str) -> hashes.HashAlgorithm:
    try:
        return HASHES[name.lower()]()
    except KeyError:
        raise SigningError(
            f"Thuật toán băm không hỗ trợ: {name}.",
            f"Unsupported digest algorithm {name!r}.",
            code="bad_digest_algorithm",
        ) from None


def digest(data: bytes, digest_algorithm: str) -> bytes:
    """The hash of ``data`` with ``digest_algorithm`` (sha256, sha384, sha512)."""
    _hash(digest_algorithm)
    return hashlib.new(digest_algorithm.lower(), data).digest()


def key_algorithm(cert: x509.Certificate) -> str:
    """``"rsa"`` or ``"ecdsa"`` from the certificate's public key."""
    pub = cert.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        return "rsa"
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return "ecdsa"
    raise SigningError("Chỉ hỗ trợ khóa RSA và ECDSA.", "Only RSA and ECDSA keys.", code="bad_key_type")


class Signer(ABC):
    """Signs bytes with a private key it holds or reaches.

    ``sign_raw(data, "sha256")`` returns the signature over ``data`` hashed with the
    algorithm: RSA PKCS#1 v1.5, or a DER-encoded ECDSA signature. Implementations that
    only sign digests (tokens, remote services) hash ``data`` themselves with
    :func:`digest` and send that.
    """

    digest_algorithm: str = "sha256"

    @property
    @abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signer's certificate."""

    @property
    def chain(self) -> list[x509.Certificate]:
        """Issuer certificates (issuer first); may include the root."""
        return []

    @abstractmethod
    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign ``data`` (hashing it with ``digest_algorithm``)."""

    def sign_digest(self, digest_value: bytes, digest_algorithm: str) -> bytes:
        """Sign a digest already computed (what a page hands a token on the person's
        computer): the same value :meth:`sign_raw` gives for the data hashed to it."""
        raise SigningError(
            "Khóa này không ký được giá trị băm có sẵn.",
            f"{type(self).__name__} cannot sign a precomputed digest.",
            code="digest_signing_unsupported",
        )

    def signature_size(self) -> int:
        """Upper bound of a signature value's size in bytes (for space reservation)."""
        pub = self.certificate.public_key()
        if isinstance(pub, rsa.RSAPublicKey):
            return pub.key_size // 8
        if isinstance(pub, ec.EllipticCurvePublicKey):
            return 2 * ((pub.curve.key_size + 7) // 8) + 9
        return 512

    def close(self) -> None:
        """Release the key's resources (token session, HTTP connection); nothing by default."""
        return None

    def __enter__(self) -> Signer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sign_with_private_key(key: Any, data: bytes, digest_algorithm: str, *, prehashed: bool = False) -> bytes:
    """Sign with a ``cryptography`` key (``prehashed``: ``data`` is already the digest)."""
    algo = _hash(digest_algorithm)
    alg: Any = utils.Prehashed(algo) if prehashed else algo
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), alg)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(alg))
    raise SigningError("Chỉ hỗ trợ khóa RSA và ECDSA.", "Only RSA and ECDSA keys.", code="bad_key_type")


class KeyFileSigner(Signer):
    """A key held in memory: from a PKCS#12 file, PEM files or an issued identity."""

    def __init__(self, identity: IssuedCertificate) -> None:
        self.identity = identity

    @classmethod
    def from_pkcs12(cls, path_or_bytes: str | Path | bytes, password: bytes | None = None) -> KeyFileSigner:
        return cls(load_pkcs12(path_or_bytes, password))

    @classmethod
    def from_pem(cls, key_path: str | Path, cert_path: str | Path, password: bytes | None = None) -> KeyFileSigner:
        return cls(load_pem_identity(Path(key_path).read_bytes(), Path(cert_path).read_bytes(), password))

    @classmethod
    def from_file(cls, path: str | Path, password: bytes | None = None) -> KeyFileSigner:
        """``.p12``/``.pfx`` as PKCS#12; ``.pem`` holding both key and certificate(s)."""
        return cls.from_bytes(Path(path).read_bytes(), password)

    @classmethod
    def from_bytes(cls, data: bytes, password: bytes | None = None) -> KeyFileSigner:
        """PEM (key and certificate(s)) when the bytes are PEM, else PKCS#12."""
        if b"-----BEGIN" in data:
            return cls(load_pem_identity(data, data, password))
        return cls(load_pkcs12(data, password))

    @property
    def certificate(self) -> x509.Certificate:
        return self.identity.cert

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self.identity.chain)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        return sign_with_private_key(self.identity.key, data, digest_algorithm)

    def sign_digest(self, digest_value: bytes, digest_algorithm: str) -> bytes:
        _check_digest(digest_value, digest_algorithm)
        return sign_with_private_key(self.identity.key, digest_value, digest_algorithm, prehashed=True)


class PKCS11Signer(Signer):
    """A key on a PKCS#11 token (the USB tokens of Vietnamese CAs; SoftHSM2 in tests).

    ``module`` is the PKCS#11 library (e.g. ``/usr/lib/softhsm/libsofthsm2.so``, or the
    vendor's ``.so``); the token is found by its label, the key and certificate by their
    label (``cert_label`` defaults to ``key_label``). EC keys are signed with the raw
    ``CKM_ECDSA`` mechanism over a digest computed here (SoftHSM2 has no hashing ECDSA
    mechanism); RSA keys with ``CKM_SHA*_RSA_PKCS``.
    """

    def __init__(
        self,
        module: str,
        token_label: str,
        key_label: str,
        pin: str | None = None,
        *,
        cert_label: str | None = None,
        chain: list[x509.Certificate] | None = None,
    ) -> None:
        import pkcs11
        from pkcs11 import Attribute, ObjectClass

        try:
            lib = pkcs11.lib(module)
        except Exception as exc:
            raise SigningError(
                f"Không nạp được thư viện PKCS#11 {module}.",
                f"Cannot load the PKCS#11 module {module}: {exc}",
                code="pkcs11_module",
            ) from exc
        try:
            token = lib.get_token(token_label=token_label)
        except Exception as exc:
            raise SigningError(
                f"Không tìm thấy token có nhãn {token_label!r} (token đã cắm chưa?).",
                f"No PKCS#11 token labelled {token_label!r}: {exc}",
                code="pkcs11_token_missing",
                retryable=True,
            ) from exc
        try:
            self._session = token.open(user_pin=pin)
        except Exception as exc:
            raise SigningError(
                "Không đăng nhập được token (sai mã PIN?).", f"Cannot log in to the token: {exc}", code="pkcs11_login"
            ) from exc
        label = cert_label or key_label
        certs = list(self._session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}))
        keys = list(self._session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: key_label}))
        if not certs or not keys:
            self._session.close()
            raise SigningError(
                f"Token không có khóa/chứng thư số nhãn {key_label!r}.",
                f"The token has no private key and certificate labelled {key_label!r}.",
                code="pkcs11_key_missing",
            )
        self._key: Any = keys[0]
        self._cert = x509.load_der_x509_certificate(bytes(certs[0][Attribute.VALUE]))
        self._chain = list(chain or [])
        if not self._chain:  # CA certificates on the token, ordered as the issuer chain
            cas = []
            for obj in self._session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                c = x509.load_der_x509_certificate(bytes(obj[Attribute.VALUE]))
                try:
                    is_ca = c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
                except x509.ExtensionNotFound:
                    is_ca = False
                if is_ca and c != self._cert:
                    cas.append(c)
            self._chain = [c for c in _order_chain(self._cert, cas) if c in cas]

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._chain)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        algo = digest_algorithm.lower()
        _hash(algo)  # bad_digest_algorithm
        if key_algorithm(self._cert) == "ecdsa":
            return self.sign_digest(digest(data, algo), algo)
        from pkcs11 import Mechanism

        mech = {
            "sha256": Mechanism.SHA256_RSA_PKCS,
            "sha384": Mechanism.SHA384_RSA_PKCS,
            "sha512": Mechanism.SHA512_RSA_PKCS,
        }[algo]
        try:
            return bytes(self._key.sign(data, mechanism=mech))
        except Exception as exc:
            raise SigningError(
                "Token không ký được (token bị rút ra hoặc bị khóa?).",
                f"The token failed to sign: {exc}",
                code="pkcs11_sign",
                retryable=True,
            ) from exc

    def sign_digest(self, digest_value: bytes, digest_algorithm: str) -> bytes:
        """EC: raw ``CKM_ECDSA`` over the digest; RSA: ``CKM_RSA_PKCS`` over its DigestInfo
        (the value ``CKM_SHA256_RSA_PKCS`` gives for the data, when only the digest is here)."""
        from asn1crypto import algos
        from pkcs11 import Mechanism
        from pkcs11.util.ec import encode_ecdsa_signature

        algo = digest_algorithm.lower()
        _check_digest(digest_value, algo)
        try:
            if key_algorithm(self._cert) == "ecdsa":
                raw = self._key.sign(digest_value, mechanism=Mechanism.ECDSA)
                return bytes(encode_ecdsa_signature(raw))
            info = algos.DigestInfo({"digest_algorithm": {"algorithm": algo}, "digest": digest_value}).dump()
            return bytes(self._key.sign(info, mechanism=Mechanism.RSA_PKCS))
        except SigningError:
            raise
        except Exception as exc:
            raise SigningError(
                "Token không ký được (token bị rút ra hoặc bị khóa?).",
                f"The token failed to sign: {exc}",
                code="pkcs11_sign",
                retryable=True,
            ) from exc

    def close(self) -> None:
        try:
            self._session.close()
        except Exception:  # pragma: no cover - already closed
            pass


def _check_digest(digest_value: bytes, digest_algorithm: str) -> None:
    if len(digest_value) != _hash(digest_algorithm).digest_size:
        raise SigningError(
            "Giá trị băm cần ký không đúng độ dài.",
            f"A {digest_algorithm} digest has {_hash(digest_algorithm).digest_size} bytes, not {len(digest_value)}.",
            code="bad_digest",
        )


def verify_signature(cert: x509.Certificate, data: bytes, signature: bytes, digest_algorithm: str) -> None:
    """Raise ``signature_mismatch`` unless ``signature`` is the certificate's key's over ``data``."""
    from cryptography.exceptions import InvalidSignature

    pub = cert.public_key()
    algo = _hash(digest_algorithm)
    try:
        if isinstance(pub, rsa.RSAPublicKey):
            pub.verify(signature, data, padding.PKCS1v15(), algo)
        elif isinstance(pub, ec.EllipticCurvePublicKey):
            pub.verify(signature, data, ec.ECDSA(algo))
        else:
            raise InvalidSignature()
    except (InvalidSignature, ValueError) as exc:
        raise SigningError(
            "Chữ ký trả về không khớp với chứng thư số (thiết bị ký số đã ký bằng khóa khác?).",
            "The signature value was not made by the certificate's key over the data.",
            code="signature_mismatch",
        ) from exc


def read_token_certificate(module: str, token_label: str, label: str) -> list[x509.Certificate]:
    """The certificate labelled ``label`` on a token, then the CA certificates on it in
    issuer order, read without the PIN (certificates are public objects)."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    try:
        token = pkcs11.lib(module).get_token(token_label=token_label)
        with token.open() as session:
            found = [
                x509.load_der_x509_certificate(bytes(obj[Attribute.VALUE]))
                for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
            ]
            labelled = [
                x509.load_der_x509_certificate(bytes(obj[Attribute.VALUE]))
                for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label})
            ]
    except Exception as exc:
        raise SigningError(
            f"Không đọc được token có nhãn {token_label!r} (token đã cắm chưa?).",
            f"Cannot read the PKCS#11 token {token_label!r}: {exc}",
            code="pkcs11_token_missing",
            retryable=True,
        ) from exc
    if not labelled:
        raise SigningError(
            f"Token không có chứng thư số nhãn {label!r}.",
            f"The token has no certificate labelled {label!r}.",
            code="pkcs11_key_missing",
        )
    cert = labelled[0]
    cas = []
    for c in found:
        try:
            is_ca = c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = False
        if is_ca and c != cert:
            cas.append(c)
    return [cert, *[c for c in _order_chain(cert, cas) if c in cas]]


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
