"""A minimal HTTP client (stdlib) for talking to a hub: answers are returned whatever
their status; no answer at all raises :class:`TransportError` (worth retrying).

Connections are kept open between requests, one per thread and server (HTTP/1.1
keep-alive): an office sending its outbox or a hub forwarding packages pays the TCP (and,
behind a TLS proxy, the handshake) once, not for every package. A kept connection that
the server has meanwhile closed (idle timeout, restart) is replaced and the request sent
once more; every hub request is safe to repeat (a package sent twice is accepted once,
acks and statuses are idempotent). Where an ``http(s)_proxy`` variable applies to the URL,
requests go through :mod:`urllib` and its proxy support instead, one connection each.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from vanban.errors import DomainError

__all__ = ["Answer", "TransportError", "request", "api_url", "close_connections"]


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


class TransportError(DomainError):
    """No HTTP answer at all (refused, reset, timeout): always worth retrying.

    ``detail`` is what the socket layer said (English); ``str()`` is that detail alone,
    because callers wrap it into their own message ("the hub cannot be reached: ...").
    """

    code = "no_http_answer"
    retryable = True

    def __init__(self, detail: str) -> None:
        super().__init__(f"Không nhận được trả lời HTTP: {detail}", f"No HTTP answer: {detail}")
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


_local = threading.local()
_STALE = (
    http.client.RemoteDisconnected,
    http.client.BadStatusLine,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)


def _pool() -> dict[tuple[str, str, int], http.client.HTTPConnection]:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    return pool


def close_connections() -> None:
    """Close this thread's kept connections."""
    pool = _pool()
    for conn in pool.values():
        conn.close()
    pool.clear()


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    key = (scheme, host, port)
    pool = _pool()
    conn = pool.get(key)
    if conn is None:
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        pool[key] = conn
    conn.timeout = timeout
    if conn.sock is not None:
        conn.sock.settimeout(timeout)
    return conn


_PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "REQUEST_METHOD")
_proxy_answers: dict[tuple[tuple[str | None, ...], str, str], bool] = {}


def _through_proxy(url: str, host: str) -> bool:
    """Whether an ``http(s)_proxy`` variable applies. Asked for every request, so the answer is
    kept per scheme and host while the variables that decide it keep their values
    (:func:`urllib.request.getproxies` reads and parses the whole environment, about 0.14 ms
    a call, and a VDXP pull makes two requests per package)."""
    scheme = urlsplit(url).scheme
    key = (tuple(os.environ.get(name) for name in _PROXY_VARIABLES), scheme, host)
    found = _proxy_answers.get(key)
    if found is None:
        proxies = urllib.request.getproxies()
        found = scheme in proxies and not urllib.request.proxy_bypass(host)
        if len(_proxy_answers) >= 256:
            _proxy_answers.clear()
        _proxy_answers[key] = found
    return found


def request(
    method: str,
    url: str,
    *,
    token: str = "",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Answer:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError(f"not an http(s) URL: {url}")
    # no token: the request authenticates itself otherwise (VDXP signs its headers)
    all_headers = {"Authorization": f"Bearer {token}"} if token else {}
    if data is not None:
        all_headers["Content-Type"] = "application/xml"
    all_headers.update(headers or {})
    if _through_proxy(url, parts.hostname):
        return _urllib_request(method, url, data, all_headers, timeout)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    for attempt in (1, 2):
        conn = _connection(parts.scheme, parts.hostname, port, timeout)
        reused = conn.sock is not None
        try:
            conn.request(method, target, body=data, headers=all_headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.will_close:
                conn.close()
            return Answer(resp.status, body, {k.lower(): v for k, v in resp.getheaders()})
        except _STALE as exc:
            conn.close()
            if reused and attempt == 1:
                continue  # the server closed the kept connection: once more on a new one
            raise TransportError(str(exc) or type(exc).__name__) from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise TransportError(str(exc) or type(exc).__name__) from None
    raise AssertionError("unreachable")


def _urllib_request(method: str, url: str, data: bytes | None, headers: dict[str, str], timeout: float) -> Answer:
    req = urllib.request.Request(url, data=data, method=method)
    for k, v in headers.items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Answer(resp.status, resp.read(), {k.lower(): v for k, v in resp.getheaders()})
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read(), {k.lower(): v for k, v in exc.headers.items()})
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise TransportError(str(exc)) from None


def api_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")
