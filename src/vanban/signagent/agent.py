"""The agent's HTTP service (``http.server`` on 127.0.0.1) and its checks.

Endpoints (JSON; the page's ``Origin`` must be the server's site address):

``GET  /v1/certificate`` → ``{"certificate": PEM, "chain": [PEM, ...]}`` (no PIN needed).
``POST /v1/sign`` with ``{"digest_algorithm": "sha256", "digests": [base64, ...]}`` →
    ``{"signatures": [base64, ...], "certificate": PEM}``: one PIN entry, one token login,
    every digest signed in order.

Each request must carry ``X-Vanban-Agent: <pairing code>`` (the code the agent prints when it
starts; the person types it into the page once), unless the agent runs without pairing.
Refusals are ``{"error": code, "message": Vietnamese}`` with 4xx. A request from any other
origin gets no CORS header and a 403; a ``Host`` other than 127.0.0.1/localhost (DNS
rebinding) a 421; a body above :data:`MAX_BODY_BYTES` a 413. The PIN is never logged.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import secrets
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from vanban.errors import DomainError
from vanban.signing import PKCS11Signer, SigningError, read_token_certificate

__all__ = ["AgentConfig", "SigningAgent", "TokenKey", "AGENT_HEADER", "MAX_BODY_BYTES", "MAX_DIGESTS"]

AGENT_HEADER = "X-Vanban-Agent"
MAX_BODY_BYTES = 64 * 1024
MAX_DIGESTS = 200
LOCAL_HOSTS = ("127.0.0.1", "localhost")
DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}

log = logging.getLogger("vanban.signagent")


@dataclass(frozen=True)
class TokenKey:
    """Where the key is: the PKCS#11 library, the token's label, the key's (and certificate's) label."""

    module: str
    token_label: str
    key_label: str


@dataclass
class AgentConfig:
    """``origins``: the server's site address(es), e.g. ``https://vanban.tinh.gov.vn``;
    ``pin``: asked for each signing request (a terminal prompt in the command; a fixed
    value in tests); ``pairing_code``: None to run without pairing."""

    key: TokenKey
    origins: tuple[str, ...]
    pin: Callable[[int], str]
    pairing_code: str | None = field(default_factory=lambda: f"{secrets.randbelow(10**6):06d}")
    port: int = 8765


def _pem(cert: Any) -> str:
    return str(cert.public_bytes(Encoding.PEM).decode("ascii"))


class _Refused(DomainError):
    """A request the agent refuses, answered with ``status`` and its code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status, self.message = status, message


class SigningAgent:
    """The agent: ``start()`` serves on a thread and returns its address, ``serve()`` blocks
    (the command), ``stop()`` ends it. Listens on 127.0.0.1 only."""

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.origins = {o.rstrip("/") for o in config.origins}
        self._sign_lock = threading.Lock()  # one PIN prompt, one token session at a time
        agent = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "vanban-signing-agent"

            def log_message(self, format: str, *args: Any) -> None:
                # never a body (no PIN, no digest); a request line that did not parse has neither
                command, path = getattr(self, "command", None) or "-", getattr(self, "path", None) or "-"
                log.info("%s %s", command, path.split("?")[0])

            def _cors(self) -> None:
                origin = self.headers.get("Origin", "")
                if origin in agent.origins:
                    self.send_header("Access-Control-Allow-Origin", origin)
                    self.send_header("Vary", "Origin")

            def _send(self, status: int, body: dict[str, Any] | None) -> None:
                raw = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else b""
                self.send_response(status)
                self._cors()
                self.send_header("Cache-Control", "no-store")
                if body is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _check(self, *, preflight: bool = False) -> None:
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
                if host not in LOCAL_HOSTS:
                    raise _Refused(421, "bad_host", "Phần mềm ký số chỉ nhận yêu cầu gửi tới 127.0.0.1.")
                if self.headers.get("Origin", "") not in agent.origins:
                    raise _Refused(403, "bad_origin", "Trang này không được phép dùng phần mềm ký số.")
                if preflight:
                    return
                code = agent.config.pairing_code
                given = self.headers.get(AGENT_HEADER, "")
                if code is not None and not hmac.compare_digest(given.encode(), code.encode()):
                    raise _Refused(
                        401, "pairing_required", "Hãy nhập mã ghép nối mà phần mềm ký số hiện trên máy tính của bạn."
                    )

            def _body(self) -> dict[str, Any]:
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if length < 0 or length > MAX_BODY_BYTES:
                    self.close_connection = True
                    raise _Refused(413, "too_large", "Yêu cầu quá lớn.")
                try:
                    body = json.loads(self.rfile.read(length).decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise _Refused(400, "bad_request", "Yêu cầu không đúng định dạng.") from None
                if not isinstance(body, dict):
                    raise _Refused(400, "bad_request", "Yêu cầu không đúng định dạng.")
                return body

            def _run(self, work: Callable[[], dict[str, Any]], *, preflight: bool = False) -> None:
                try:
                    self._check(preflight=preflight)
                    self._send(200, work())
                except _Refused as exc:
                    self._send(exc.status, {"error": exc.code, "message": exc.message})
                except SigningError as exc:
                    self._send(409 if not exc.retryable else 503, {"error": exc.code, "message": exc.message_vi})

            def do_OPTIONS(self) -> None:
                try:
                    self._check(preflight=True)
                except _Refused as exc:
                    self._send(exc.status, {"error": exc.code, "message": exc.message})
                    return
                self.send_response(204)
                self._cors()
                self.send_header("Access-Control-Allow-Methods", "GET, POST")
                self.send_header("Access-Control-Allow-Headers", f"Content-Type, {AGENT_HEADER}")
                self.send_header("Access-Control-Allow-Private-Network", "true")
                self.send_header("Access-Control-Max-Age", "600")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                if urllib.parse.urlparse(self.path).path != "/v1/certificate":
                    self._send(404, {"error": "not_found", "message": "Không có địa chỉ này."})
                    return
                self._run(agent.certificate)

            def do_POST(self) -> None:
                path = urllib.parse.urlparse(self.path).path
                if path != "/v1/sign":
                    self._send(404, {"error": "not_found", "message": "Không có địa chỉ này."})
                    return
                try:
                    self._check()
                    body = self._body()
                except _Refused as exc:
                    self._send(exc.status, {"error": exc.code, "message": exc.message})
                    return
                self._run(lambda: agent.sign(body))

        self._server = ThreadingHTTPServer(("127.0.0.1", config.port), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def certificate(self) -> dict[str, Any]:
        k = self.config.key
        certs = read_token_certificate(k.module, k.token_label, k.key_label)
        return {"certificate": _pem(certs[0]), "chain": [_pem(c) for c in certs[1:]]}

    def sign(self, body: dict[str, Any]) -> dict[str, Any]:
        algo = str(body.get("digest_algorithm", "")).lower()
        raw = body.get("digests")
        if algo not in DIGEST_SIZES or not isinstance(raw, list) or not 0 < len(raw) <= MAX_DIGESTS:
            raise _Refused(400, "bad_request", f"Cần từ 1 đến {MAX_DIGESTS} giá trị băm SHA-2 để ký.")
        try:
            digests = [base64.b64decode(str(d), validate=True) for d in raw]
        except ValueError:
            raise _Refused(400, "bad_request", "Giá trị băm không đúng định dạng.") from None
        size = DIGEST_SIZES[algo]
        if any(len(d) != size for d in digests):
            raise _Refused(400, "bad_request", "Giá trị băm không đúng độ dài.")
        k = self.config.key
        with self._sign_lock:
            try:
                pin = self.config.pin(len(digests))
            except Exception:
                pin = ""
            if not pin:
                raise _Refused(403, "pin_declined", "Người ký không nhập mã PIN: chưa ký.")
            with PKCS11Signer(k.module, k.token_label, k.key_label, pin) as signer:
                del pin
                values = [signer.sign_digest(d, algo) for d in digests]
                cert = signer.certificate
        log.info("signed %d digest(s) with %s", len(values), k.key_label)
        return {"signatures": [base64.b64encode(v).decode("ascii") for v in values], "certificate": _pem(cert)}

    def start(self) -> str:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.url

    def serve(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SigningAgent:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
