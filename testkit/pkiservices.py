"""The test PKI's online services over real HTTP on 127.0.0.1, for long-term validation
tests (PAdES B-LTA) and demos: the CA's CRL (``GET /crl/root.crl``, signed afresh at each
request, so a revocation shows at once), an OCSP responder (``POST /ocsp``, the CA
answering for itself, :meth:`TestPKI.ocsp_response`) and an RFC 3161 timestamp authority
(``POST /tsa``, pyHanko's ``DummyTimeStamper`` inside, signing with a timeStamping
certificate of the same CA).

``PKIServices(pki)`` binds the port and points ``pki.crl_url`` at it (``crl=False``: no
distribution point at all; ``ocsp=True``: ``pki.ocsp_url`` too), so certificates the PKI
issues *afterwards* carry the served addresses; ``start()`` / ``stop()`` (or
``with``) run the server in a daemon thread. ``down()`` keeps the port but answers every
request with 503 (``down("crl")``, ``down("ocsp")`` or ``down("tsa")`` for one service only), ``up()`` undoes
it: what an unreachable CA or TSA looks like to a client.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from vanban.signing.pki import IssuedCertificate, TestPKI

__all__ = ["PKIServices"]


class PKIServices:
    """A CRL endpoint and a timestamp authority for ``pki`` (see the module docstring)."""

    __test__ = False

    def __init__(
        self, pki: TestPKI, tsa: IssuedCertificate | None = None, *, crl: bool = True, ocsp: bool = False
    ) -> None:
        self.pki = pki
        self.unavailable: set[str] = set()  # "crl", "ocsp", "tsa"
        self.requests: list[str] = []  # paths asked, in order
        self.timestamp_time: datetime | None = None  # None: the real clock
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread: threading.Thread | None = None
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        pki.crl_url = self.crl_url if crl else ""
        if ocsp:
            pki.ocsp_url = self.ocsp_url
        self.tsa = tsa or pki.issue_tsa()

    # -- addresses -------------------------------------------------------------
    @property
    def crl_url(self) -> str:
        return f"{self.base_url}/crl/root.crl"

    @property
    def ocsp_url(self) -> str:
        return f"{self.base_url}/ocsp"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    # -- life cycle ------------------------------------------------------------
    def start(self) -> PKIServices:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> PKIServices:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def down(self, *services: str) -> None:
        self.unavailable |= set(services or ("crl", "ocsp", "tsa"))

    def up(self) -> None:
        self.unavailable.clear()

    # -- answers ---------------------------------------------------------------
    def crl_der(self) -> bytes:
        return self.pki.crl().public_bytes(Encoding.DER)

    def timestamp_reply(self, request_der: bytes) -> bytes:
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.tsa.cert.public_bytes(Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(
                self.tsa.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
            certs_to_embed=[asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in self.tsa.chain],
            fixed_dt=self.timestamp_time,
        )
        reply = asyncio.run(stamper.async_request_tsa_response(tsp.TimeStampReq.load(request_der)))
        return bytes(reply.dump())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        services = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, ctype: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                services.requests.append(self.path)
                if self.path == "/crl/root.crl" and "crl" in services.unavailable:
                    self._answer(503, "text/plain", b"down")
                elif self.path == "/crl/root.crl":
                    self._answer(200, "application/pkix-crl", services.crl_der())
                else:
                    self._answer(404, "text/plain", b"not found")

            def do_POST(self) -> None:
                services.requests.append(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                name = self.path.strip("/")
                if name in services.unavailable:
                    self._answer(503, "text/plain", b"down")
                elif self.path == "/ocsp":
                    self._answer(200, "application/ocsp-response", services.pki.ocsp_response(body))
                elif self.path == "/tsa":
                    self._answer(200, "application/timestamp-reply", services.timestamp_reply(body))
                else:
                    self._answer(404, "text/plain", b"not found")

        return Handler
