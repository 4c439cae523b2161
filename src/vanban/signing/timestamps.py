"""RFC 3161 timestamps over HTTP with the standard library (PAdES B-T)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper

from vanban.signing.errors import SigningError

__all__ = ["HttpTimeStamper"]


class HttpTimeStamper(TimeStamper):
    """Ask an RFC 3161 timestamp service at ``url`` (``application/timestamp-query``)."""

    def __init__(self, url: str, timeout: float = 10.0, headers: dict[str, str] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # pyHanko's TimeStamper.__init__ is unannotated
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})

    def _post(self, body: bytes) -> bytes:
        req = urllib.request.Request(
            self.url,
            data=body,
            headers={"Content-Type": "application/timestamp-query", **self.headers},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                ctype = resp.headers.get("Content-Type", "")
                data: bytes = resp.read()
        except (urllib.error.URLError, OSError) as exc:
            raise SigningError(
                f"Không kết nối được dịch vụ cấp dấu thời gian {self.url}.",
                f"Cannot reach the timestamp service {self.url}: {exc}",
                code="tsa_unreachable",
                retryable=True,
            ) from exc
        if "timestamp-reply" not in ctype:
            raise SigningError(
                "Dịch vụ cấp dấu thời gian trả lời không hợp lệ.",
                f"Unexpected timestamp reply content type {ctype!r}.",
                code="tsa_bad_reply",
                retryable=True,
            )
        return data

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        raw = await asyncio.to_thread(self._post, req.dump())
        return tsp.TimeStampResp.load(raw)
