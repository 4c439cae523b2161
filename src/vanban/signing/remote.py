"""Remote signing over HTTP: the client (:class:`RemoteSigner`) and a small reference
service (:class:`RemoteSigningService`) for demos and tests.

Interface (JSON over HTTP(S); ``Authorization: Bearer <token>`` when the service has a
token; errors are ``{"error": code, "message": ...}`` with a 4xx/5xx status):

``GET  {base}/v1/keys/{key_id}/certificate``
    ``{"certificate": PEM, "chain": [PEM, ...], "key_algorithm": "rsa"|"ecdsa"}``
``POST {base}/v1/keys/{key_id}/sign`` with
    ``{"digest_algorithm": "sha256", "digest": base64}``
    → ``{"signature": base64}``: RSA PKCS#1 v1.5 over the DigestInfo of ``digest``, or a
    DER-encoded ECDSA signature of ``digest``;
    or, when the person approves each signature on their phone, ``202`` with
    ``{"request_id": id, "status": "pending"}``, and then
``GET  {base}/v1/requests/{id}``
    ``{"status": "pending"}`` until the person approves (``{"status": "approved",
    "signature": base64}``) or refuses (``403 {"error": "denied"}``).
``POST {base}/v1/requests/{id}/approve`` and ``.../deny``
    The phone's answer (the reference service's stand-in for the provider's app).

Only the digest of the CMS signed attributes leaves the client; never the document.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography import x509

from vanban.signing.errors import SigningError
from vanban.signing.pki import IssuedCertificate
from vanban.signing.signers import (
    HASHES,
    Signer,
    certificate_pem,
    digest,
    key_algorithm,
    sign_with_private_key,
)

__all__ = ["RemoteSigner", "RemoteSigningService"]


class RemoteSigner(Signer):
    """A key held by a remote signing service speaking the interface above."""

    def __init__(
        self,
        base_url: str,
        key_id: str,
        *,
        token: str | None = None,
        timeout: float = 15.0,
        approval_timeout: float = 120.0,
        poll_interval: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.key_id = key_id
        self.token = token
        self.timeout = timeout
        self.approval_timeout = approval_timeout
        self.poll_interval = poll_interval
        data = self._call("GET", "certificate")
        try:
            self._cert = x509.load_pem_x509_certificate(data["certificate"].encode("ascii"))
            self._chain = [x509.load_pem_x509_certificate(p.encode("ascii")) for p in data.get("chain", [])]
        except (KeyError, ValueError, AttributeError) as exc:
            raise SigningError(
                "Dịch vụ ký số từ xa trả về chứng thư số không hợp lệ.",
                f"The remote signer returned an invalid certificate: {exc}",
                code="remote_bad_reply",
            ) from exc

    def _call(
        self, method: str, action: str, body: dict[str, Any] | None = None, *, path: str | None = None
    ) -> dict[str, Any]:
        url = f"{self.base_url}/v1/" + (path or f"keys/{urllib.parse.quote(self.key_id, safe='')}/{action}")
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=payload, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                result: dict[str, Any] = json.loads(resp.read().decode("utf-8"))
                return result
        except urllib.error.HTTPError as exc:
            try:
                err = json.loads(exc.read().decode("utf-8"))
            except Exception:
                err = {}
            code = str(err.get("error", f"http_{exc.code}"))
            raise SigningError(
                f"Dịch vụ ký số từ xa từ chối yêu cầu ({exc.code}: {err.get('message', code)}).",
                f"The remote signer refused the request ({exc.code}: {err.get('message', code)}).",
                code=f"remote_{code}" if not code.startswith("remote_") else code,
                retryable=exc.code >= 500,
            ) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SigningError(
                f"Không kết nối được dịch vụ ký số từ xa {self.base_url}.",
                f"Cannot reach the remote signer {self.base_url}: {exc}",
                code="remote_unreachable",
                retryable=True,
            ) from exc

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._chain)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        return self.sign_digest(digest(data, digest_algorithm), digest_algorithm)

    def sign_digest(self, digest_value: bytes, digest_algorithm: str) -> bytes:
        """Send the digest; when the service waits for the person's approval on the phone,
        ask again every ``poll_interval`` seconds until it comes, is refused
        (``remote_denied``) or ``approval_timeout`` passes (``remote_approval_timeout``)."""
        reply = self._call(
            "POST",
            "sign",
            {"digest_algorithm": digest_algorithm.lower(), "digest": base64.b64encode(digest_value).decode("ascii")},
        )
        if "signature" not in reply and reply.get("status") == "pending":
            request_id = urllib.parse.quote(str(reply.get("request_id", "")), safe="")
            deadline = time.monotonic() + self.approval_timeout
            while reply.get("status") == "pending":
                if time.monotonic() > deadline:
                    raise SigningError(
                        "Chưa có xác nhận ký trên điện thoại trong thời gian chờ; hãy ký lại.",
                        "The signature was not approved on the phone in time.",
                        code="remote_approval_timeout",
                        retryable=True,
                    )
                time.sleep(self.poll_interval)
                reply = self._call("GET", "", path=f"requests/{request_id}")
        try:
            return base64.b64decode(reply["signature"], validate=True)
        except (KeyError, ValueError) as exc:
            raise SigningError(
                "Dịch vụ ký số từ xa trả về chữ ký không hợp lệ.",
                f"The remote signer returned no valid signature: {exc}",
                code="remote_bad_reply",
            ) from exc


class RemoteSigningService:
    """A reference remote-signing service on ``http.server`` (demo and tests only).

    ``keys`` maps key ids to issued identities. ``start()`` serves on a thread and
    returns the base URL; ``stop()`` shuts it down. Use as a context manager. With
    ``approval=True`` a signature waits for the person's approval (:meth:`pending`,
    :meth:`approve`, :meth:`deny`, or the HTTP endpoints the phone would call).
    """

    def __init__(
        self,
        keys: dict[str, IssuedCertificate],
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        approval: bool = False,
    ) -> None:
        self.keys = dict(keys)
        self.token = token
        self.approval = approval
        self.requests_signed = 0
        self._requests: dict[str, dict[str, Any]] = {}  # request id -> key id, digest, status, signature
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _authorized(self) -> bool:
                if service.token and self.headers.get("Authorization") != f"Bearer {service.token}":
                    self._send(401, {"error": "unauthorized", "message": "bad or missing token"})
                    return False
                return True

            def _request_route(self, method: str) -> bool:
                """``/v1/requests/{id}`` (GET) and ``/v1/requests/{id}/approve|deny`` (POST)."""
                parts = urllib.parse.urlparse(self.path).path.strip("/").split("/")
                if parts[:2] != ["v1", "requests"] or len(parts) not in (3, 4):
                    return False
                if not self._authorized():
                    return True
                req = service._requests.get(urllib.parse.unquote(parts[2]))
                if req is None:
                    self._send(404, {"error": "unknown_request", "message": "no such request"})
                elif method == "GET" and len(parts) == 3:
                    if req["status"] == "denied":
                        self._send(403, {"error": "denied", "message": "the person refused to sign"})
                    else:
                        self._send(200, {k: req[k] for k in ("status", "signature") if k in req})
                elif method == "POST" and len(parts) == 4 and parts[3] in ("approve", "deny"):
                    service._answer(parts[2], parts[3] == "approve")
                    self._send(200, {"status": req["status"]})
                else:
                    self._send(404, {"error": "not_found", "message": "no such endpoint"})
                return True

            def _route(self) -> tuple[IssuedCertificate, str] | None:
                if not self._authorized():
                    return None
                parts = urllib.parse.urlparse(self.path).path.strip("/").split("/")
                if len(parts) != 4 or parts[:2] != ["v1", "keys"]:
                    self._send(404, {"error": "not_found", "message": "no such endpoint"})
                    return None
                key_id = urllib.parse.unquote(parts[2])
                ident = service.keys.get(key_id)
                if ident is None:
                    self._send(404, {"error": "unknown_key", "message": f"no key {key_id}"})
                    return None
                return ident, parts[3]

            def do_GET(self) -> None:
                if self._request_route("GET"):
                    return
                route = self._route()
                if route is None:
                    return
                ident, action = route
                if action != "certificate":
                    self._send(404, {"error": "not_found", "message": "no such endpoint"})
                    return
                self._send(
                    200,
                    {
                        "certificate": certificate_pem(ident.cert),
                        "chain": [certificate_pem(c) for c in ident.chain],
                        "key_algorithm": key_algorithm(ident.cert),
                    },
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > 65536:
                    self._send(413, {"error": "too_large", "message": "request too large"})
                    return
                raw = self.rfile.read(length) if length else b""
                if self._request_route("POST"):
                    return
                route = self._route()
                if route is None:
                    return
                ident, action = route
                if action != "sign":
                    self._send(404, {"error": "not_found", "message": "no such endpoint"})
                    return
                try:
                    body = json.loads(raw.decode("utf-8"))
                    algo = str(body["digest_algorithm"]).lower()
                    dig = base64.b64decode(body["digest"], validate=True)
                    if algo not in HASHES or len(dig) != HASHES[algo]().digest_size:
                        raise ValueError("bad digest")
                except (ValueError, KeyError, TypeError) as exc:
                    self._send(400, {"error": "bad_request", "message": str(exc)})
                    return
                if service.approval:
                    request_id = secrets.token_urlsafe(12)
                    with service._lock:
                        service._requests[request_id] = {"key": ident, "digest": dig, "algo": algo, "status": "pending"}
                    self._send(202, {"request_id": request_id, "status": "pending"})
                    return
                sig = sign_with_private_key(ident.key, dig, algo, prehashed=True)
                service.requests_signed += 1
                self._send(200, {"signature": base64.b64encode(sig).decode("ascii")})

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    def pending(self) -> list[str]:
        """The ids of the signatures waiting for the person's approval."""
        with self._lock:
            return [k for k, v in self._requests.items() if v["status"] == "pending"]

    def approve(self, request_id: str) -> None:
        """The person approves on the phone: the key signs the digest."""
        self._answer(request_id, True)

    def deny(self, request_id: str) -> None:
        self._answer(request_id, False)

    def _answer(self, request_id: str, approved: bool) -> None:
        with self._lock:
            req = self._requests.get(request_id)
            if req is None or req["status"] != "pending":
                return
            if approved:
                sig = sign_with_private_key(req["key"].key, req["digest"], req["algo"], prehashed=True)
                req["signature"] = base64.b64encode(sig).decode("ascii")
                self.requests_signed += 1
            req["status"] = "approved" if approved else "denied"

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host_s = host.decode("ascii") if isinstance(host, bytes) else str(host)
        return f"http://{host_s}:{port}"

    def start(self) -> str:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> RemoteSigningService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
