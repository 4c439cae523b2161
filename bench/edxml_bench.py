"""Throughput of parse + validate + verify, as a ratio to the bare-library floor.

Run: ``.venv/bin/python bench/edxml_bench.py`` (``--quick`` for fewer rounds).
For each size (100 KB and 5 MB, one PDF attachment) it signs one package with a
throw-away RSA-2048 agency certificate, then times on the same bytes in the same run:
(a) vanban's realistic path, ``check(data, trust)`` (one parse shared by reading,
XSD + semantic validation and signature verification, attachments decoded and
digest-checked); (b) the floor: a bare ``lxml.etree.fromstring`` plus a bare
``signxml.XMLVerifier().verify`` of the same bytes; (c) for reference, the three separate
calls ``parse`` + ``validate`` + ``verify``. It prints packages per second and the ratio
check/floor (goal >= 0.8), then the tracemalloc peak for a 50 MB package through
``check`` (goal <= 5x the package size; tracemalloc sees Python allocations, not
libxml2's own buffers). It prints, it never asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from vanban.edxml import (  # noqa: E402
    Attachment,
    SigningIdentity,
    TrustStore,
    build,
    check,
    parse,
    sign,
    validate,
    verify,
)
from vanban.signing.identity import agency_subject  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "edxml"))
from conftest import make_envelope  # noqa: E402


def _pki() -> tuple[SigningIdentity, x509.Certificate]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench Root")])
    ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(agency_subject("000.00.00.G22", "Văn phòng Chính phủ"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return SigningIdentity(key, (cert,)), ca


def _package(size: int, ident: SigningIdentity) -> bytes:
    pdf = b"%PDF-1.7\n" + os.urandom(int(size * 0.74))
    env = make_envelope([Attachment("vb.pdf", "van-ban.pdf", "application/pdf", pdf, "Văn bản")])
    return sign(build(env), ident)


def _rate(fn, data: bytes, seconds: float) -> float:
    n = 0
    start = time.perf_counter()
    while True:
        fn(data)
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and n >= 3:
            return n / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    seconds = 0.5 if args.quick else 2.0
    ident, ca = _pki()
    with tempfile.TemporaryDirectory() as tmp:
        root_pem = Path(tmp) / "root.pem"
        root_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        store = TrustStore.from_path(root_pem)
        leaf = ident.certificate
        config = SignatureConfiguration(expect_references=1)

        def ours(data: bytes) -> None:
            result = check(data, store)
            assert result.valid and result.package is not None, result
            assert result.package.attachments[0].content[:8] == b"%PDF-1.7"

        def separate(data: bytes) -> None:
            parse(data)
            validate(data)
            result = verify(data, store)
            assert result.valid

        def floor(data: bytes) -> None:
            etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
            XMLVerifier().verify(
                data,
                x509_cert=leaf,
                expect_config=config,
                parser=etree.XMLParser(resolve_entities=False, huge_tree=True),
            )

        print(
            f"{'size':>8} {'bytes':>10} {'check pkg/s':>12} {'floor pkg/s':>12} {'ratio':>6}"
            f" {'3 calls pkg/s':>14} {'ratio':>6}"
        )
        for label, size in (("100 KB", 100_000), ("5 MB", 5_000_000)):
            data = _package(size, ident)
            ours(data)
            floor(data)
            separate(data)
            r_floor = _rate(floor, data, seconds)
            r_ours = _rate(ours, data, seconds)
            r_sep = _rate(separate, data, seconds)
            print(
                f"{label:>8} {len(data):>10} {r_ours:>12.1f} {r_floor:>12.1f} {r_ours / r_floor:>6.2f}"
                f" {r_sep:>14.1f} {r_sep / r_floor:>6.2f}"
            )

        data = _package(50_000_000 if not args.quick else 20_000_000, ident)
        tracemalloc.start()
        ours(data)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"peak memory (tracemalloc) for a {len(data) / 1e6:.1f} MB package: "
            f"{peak / 1e6:.1f} MB = {peak / len(data):.2f}x its size (goal <= 5x)"
        )


if __name__ == "__main__":
    main()
