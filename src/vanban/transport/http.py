"""A minimal HTTP client (stdlib) for talking to a hub: answers are returned whatever
their status; no answer at all raises :class:`TransportError` (worth retrying)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

__all__ = ["Answer", "TransportError", "request", "api_url"]


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


class TransportError(Exception):
    """No HTTP answer at all (refused, reset, timeout): always worth retrying."""


def request(method: str, url: str, *, token: str, data: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30.0) -> Answer:
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/xml")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Answer(resp.status, resp.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read())
    except (urllib.error.URLError, OSError, socket.timeout) as exc:
        raise TransportError(str(exc)) from None


def api_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")
