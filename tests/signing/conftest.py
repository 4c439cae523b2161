"""The test PKI, declared once, with a fixed issuing time, and shared documents.

Personas (Ủy ban nhân dân tỉnh Thử Nghiệm, code 000.00.12.H53):
- ``agency``: the province's seal certificate (RSA-2048), held by the văn thư;
- ``chairman``: Nguyễn Văn An, Chủ tịch (RSA-2048);
- ``vice_chair``: Trần Thị Bình, Phó Chủ tịch (ECDSA P-256);
- ``dept``: Sở Nội vụ, 000.01.12.H53 (ECDSA P-256 seal);
- ``expired_person``: Lê Văn Cũ, certificate valid 2020-2021 only;
- ``revoked_person``: Phạm Thị Dung, certificate revoked;
- ``outsider``: an agency certified by another root ("CA lạ") that we do not trust.
"""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from vanban.signing import (
    KeyFileSigner,
    TestPKI,
    make_sample_pdf,
    make_seal_image,
    make_signature_image,
    seal_pdf,
    sign_pdf,
)
from vanban.signing.pki import IssuedCertificate
from vanban.signing.sample import SampleDocument

FIXED_NOW = datetime(2025, 1, 2, 3, 0, 0, tzinfo=UTC)
PROVINCE = "Ủy ban nhân dân tỉnh Thử Nghiệm"
PROVINCE_CODE = "000.00.12.H53"


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="session")
def pki(pki_dir: Path) -> TestPKI:
    return TestPKI.create(pki_dir, now=FIXED_NOW)


@pytest.fixture(scope="session")
def agency(pki: TestPKI) -> IssuedCertificate:
    return pki.issue_agency(PROVINCE_CODE, PROVINCE, years=20)


@pytest.fixture(scope="session")
def chairman(pki: TestPKI) -> IssuedCertificate:
    return pki.issue_person("Nguyễn Văn An", PROVINCE_CODE, PROVINCE, "Chủ tịch", years=20)


@pytest.fixture(scope="session")
def vice_chair(pki: TestPKI) -> IssuedCertificate:
    return pki.issue_person("Trần Thị Bình", PROVINCE_CODE, PROVINCE, "Phó Chủ tịch", key_type="ec-p256", years=20)


@pytest.fixture(scope="session")
def dept(pki: TestPKI) -> IssuedCertificate:
    return pki.issue_agency("000.01.12.H53", "Sở Nội vụ tỉnh Thử Nghiệm", "ec-p256", years=20)


@pytest.fixture(scope="session")
def expired_person(pki: TestPKI) -> IssuedCertificate:
    return pki.issue_person(
        "Lê Văn Cũ",
        PROVINCE_CODE,
        PROVINCE,
        "Chánh Văn phòng",
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2021, 1, 1, tzinfo=UTC),
    )


@pytest.fixture(scope="session")
def revoked_person(pki: TestPKI) -> IssuedCertificate:
    ident = pki.issue_person("Phạm Thị Dung", PROVINCE_CODE, PROVINCE, "Phó Chánh Văn phòng", years=20)
    pki.revoke(ident.cert)
    return ident


@pytest.fixture(scope="session")
def outsider(tmp_path_factory: pytest.TempPathFactory) -> IssuedCertificate:
    other = TestPKI.create(None, name="CA lạ", now=FIXED_NOW)
    return other.issue_agency("000.00.99.Z99", "Cơ quan không rõ", years=20)


@pytest.fixture(scope="session")
def tsa(pki: TestPKI) -> IssuedCertificate:
    return pki.issue_tsa()


@pytest.fixture(scope="session")
def sample() -> SampleDocument:
    return make_sample_pdf(pages=2)


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return make_signature_image("Nguyễn Văn An")


@pytest.fixture(scope="session")
def seal_png() -> bytes:
    return make_seal_image(PROVINCE, code=PROVINCE_CODE)


@pytest.fixture(scope="session")
def signed(sample: SampleDocument, chairman: IssuedCertificate, signature_png: bytes) -> bytes:
    """Signed by the chairman, not sealed yet."""
    return sign_pdf(sample.pdf, KeyFileSigner(chairman), image=signature_png, box=sample.signature_box)


@pytest.fixture(scope="session")
def sealed(signed: bytes, agency: IssuedCertificate, seal_png: bytes) -> bytes:
    """Signed by the chairman, then sealed by the province (the normal end state)."""
    return seal_pdf(signed, KeyFileSigner(agency), seal_image=seal_png)


@pytest.fixture(scope="session")
def roots(pki: TestPKI) -> list[Any]:
    return [pki.root_cert]


class _TSAHandler(BaseHTTPRequestHandler):
    stamper: Any = None

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        import asyncio

        from asn1crypto import tsp

        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        req = tsp.TimeStampReq.load(body)
        resp = asyncio.run(self.stamper.async_request_tsa_response(req))
        raw = resp.dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture(scope="session")
def tsa_url(tsa: IssuedCertificate) -> Iterator[str]:
    """A real RFC 3161 service over HTTP on 127.0.0.1 (pyHanko's DummyTimeStamper inside)."""
    from asn1crypto import keys
    from asn1crypto import x509 as ax509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=ax509.Certificate.load(tsa.cert.public_bytes(_der())),
        tsa_key=keys.PrivateKeyInfo.load(tsa.key.private_bytes(_der(), _pkcs8(), _noenc())),
        certs_to_embed=[ax509.Certificate.load(c.public_bytes(_der())) for c in tsa.chain],
    )
    handler = type("H", (_TSAHandler,), {"stamper": stamper})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def _pkcs8() -> Any:
    from cryptography.hazmat.primitives.serialization import PrivateFormat

    return PrivateFormat.PKCS8


def _noenc() -> Any:
    from cryptography.hazmat.primitives.serialization import NoEncryption

    return NoEncryption()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package needed for this check)")
    return path


@pytest.fixture(scope="session")
def pdfsig() -> str:
    return _tool("pdfsig")


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    return _tool("pdftoppm")


def _tamper(pdf: bytes) -> bytes:
    """Move one line of the first page's text by a point (a visible, same-length edit)."""
    needle = b"1 0 0 1 72 "
    at = pdf.index(needle)
    return pdf[:at] + b"1 0 0 1 73 " + pdf[at + len(needle) :]


def _append_content_change(pdf: bytes) -> bytes:
    """An incremental update that draws over page 1: a forbidden change after signing."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    stream = generic.StreamObject(stream_data=b"1 1 1 rg 60 640 480 40 re f\n")
    w.add_stream_to_page(0, w.add_object(stream))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _remove_last_signature_field(pdf: bytes) -> bytes:
    """An incremental update that deletes the seal's field and widget."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    acro = w.root["/AcroForm"]
    fields = acro["/Fields"]
    victim = fields[-1]
    del fields[len(fields) - 1]
    w.update_container(fields)
    page_ref = victim.get_object()["/P"] if "/P" in victim.get_object() else None
    page = page_ref if page_ref is not None else w.find_page_for_modification(-1)[0].get_object()
    annots = page["/Annots"]
    for i in range(len(annots) - 1, -1, -1):
        if annots.raw_get(i) == victim or annots[i].get_object() is victim.get_object():
            del annots[i]
    w.update_container(annots)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


class _Edits:
    """What an attacker (or a careless tool) does to a signed PDF."""

    tamper = staticmethod(_tamper)
    append_content_change = staticmethod(_append_content_change)
    remove_last_signature_field = staticmethod(_remove_last_signature_field)


@pytest.fixture(scope="session")
def edits() -> type[_Edits]:
    return _Edits
