"""The hub's own API (``/hub/v1/``, JSON and edXML over HTTP, ``docs/hub.md``) as a
:class:`~vanban.connector.transports.base.HubTransport`."""

from __future__ import annotations

import base64
import binascii
import json

from vanban.connector.errors import ConnectorError
from vanban.connector.transports.base import ArrivedItem, Batch, Sent
from vanban.errors import DomainError
from vanban.transport import multipart
from vanban.transport.http import Answer, api_url, request

__all__ = ["NativeTransport", "decode_batch"]

# answers that a later attempt may turn into an acceptance
_RETRYABLE_4XX = (401, 408, 425, 429)


class NativeTransport:
    name = "native"

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token

    def _url(self, path: str) -> str:
        return api_url(self.base_url, path)

    def _send(self, path: str, data: bytes) -> Sent:
        answer = request("POST", self._url(path), token=self.token, data=data)
        body = answer.json() or {}
        if not isinstance(body, dict):
            body = {}
        if answer.status in (200, 202):
            return Sent(True, package_id=str(body.get("id", ""))[:64], duplicate=bool(body.get("duplicate")))
        return Sent(
            False,
            code=str(body.get("code") or f"http_{answer.status}"),
            message_vi=str(body.get("message_vi") or f"Trục trả lời HTTP {answer.status}."),
            message_en=str(body.get("message_en") or f"The hub answered HTTP {answer.status}."),
            permanent=400 <= answer.status < 500 and answer.status not in _RETRYABLE_4XX,
            details=body.get("details"),
        )

    def send_package(self, data: bytes) -> Sent:
        return self._send("packages", data)

    def send_status(self, data: bytes) -> Sent:
        return self._send("status", data)

    def arrivals(self, *, after: str | None = None, limit: int = 100, wait: float = 0.0) -> Batch:
        query = f"?limit={limit}" + (f"&after={after}" if after else "") + (f"&wait={wait:g}" if wait > 0 else "")
        answer = request(
            "GET",
            self._url("inbox/content") + query,
            token=self.token,
            timeout=max(120.0, wait + 30.0),
            headers={"Accept": "multipart/mixed, application/json;q=0.5"},
        )
        return Batch(decode_batch(answer), hub_wait=_wait_max(answer))

    def fetch(self, package_id: str) -> bytes:
        answer = request("GET", self._url(f"packages/{package_id}"), token=self.token, timeout=60)
        if answer.status != 200:
            raise ConnectorError(
                f"Trục không gửi nội dung gói tin {package_id} (HTTP {answer.status}).",
                f"Package {package_id}: HTTP {answer.status}.",
            )
        return answer.body

    def ack(self, package_ids: list[str]) -> None:
        if not package_ids:
            return
        answer = request(
            "POST",
            self._url("acks"),
            token=self.token,
            headers={"Content-Type": "application/json"},
            data=json.dumps({"ids": package_ids}).encode(),
        )
        if answer.status != 200:
            raise ConnectorError(
                f"Không xác nhận được {len(package_ids)} gói tin (HTTP {answer.status}).",
                f"Cannot ack {len(package_ids)} packages: HTTP {answer.status}.",
            )

    def report_secret(self, package_id: str, *, level: str, where: str) -> None:
        answer = request(
            "POST",
            self._url(f"packages/{package_id}/secret-report"),
            token=self.token,
            headers={"Content-Type": "application/json"},
            data=json.dumps({"level": level, "where": where}).encode(),
        )
        if answer.status not in (200, 201, 404):
            raise ConnectorError(
                f"Chưa báo được trục về văn bản mật (HTTP {answer.status}).",
                f"Could not report the secret document to the hub (HTTP {answer.status}).",
            )

    def refuse(self, package_id: str, reason: DomainError) -> None:
        """Tell the hub this package cannot be taken: it is not delivered again, and its
        sender's timeline shows the reason (``recipient_failed``)."""
        answer = request(
            "POST",
            self._url(f"packages/{package_id}/refusal"),
            token=self.token,
            headers={"Content-Type": "application/json"},
            data=json.dumps({"code": reason.code[:64], "reason": reason.message_vi[:400]}).encode(),
        )
        if answer.status != 200:
            raise ConnectorError(
                f"Không báo được trục từ chối gói tin {package_id} (HTTP {answer.status}).",
                f"Cannot refuse package {package_id}: HTTP {answer.status}.",
            )

    def timeline(self, package_id: str) -> dict:
        answer = request("GET", self._url(f"packages/{package_id}/timeline"), token=self.token, timeout=15)
        if answer.status != 200:
            raise ConnectorError(
                f"Trục không trả về diễn biến gói tin (HTTP {answer.status}).",
                f"The hub gave no timeline (HTTP {answer.status}).",
                code="timeline_unavailable",
            )
        return json.loads(answer.body)


def decode_batch(answer: Answer) -> list[ArrivedItem]:
    """The items of an ``inbox/content`` answer, each with its bytes: from
    ``multipart/mixed`` (the bytes as they are) or from JSON (base64 ``content``)."""
    if answer.status != 200:
        raise ConnectorError(
            f"Trục trả lời HTTP {answer.status} khi lấy hộp thư đến.",
            f"inbox: HTTP {answer.status} {answer.body[:200]!r}",
        )
    try:
        if answer.headers.get("content-type", "").startswith("multipart/"):
            parts = multipart.decode(answer.headers["content-type"], answer.body)
            meta = json.loads(parts[0][1]) if parts else {}
            data = {h.get("content-id", "").strip("<>"): body for h, body in parts[1:]}
            return [_item(raw, data.get(raw["package_id"])) for raw in meta.get("items", [])]
        out = []
        for raw in (answer.json() or {}).get("items", []):
            try:
                content = base64.b64decode(raw["content"], validate=True) if raw.get("content") is not None else None
            except (binascii.Error, TypeError):
                content = b""  # fails the digest check, alone
            out.append(_item(raw, content))
        return out
    except (multipart.MultipartError, ValueError, KeyError, TypeError, AttributeError):
        raise ConnectorError(
            "Trục trả lời hộp thư đến không đúng định dạng.", "The hub's inbox answer is malformed."
        ) from None


def _wait_max(answer: Answer) -> float | None:
    try:
        return float(answer.headers["x-hub-wait-max"]) if answer.status == 200 else None
    except (KeyError, ValueError):
        return None


def _item(raw: dict, data: bytes | None) -> ArrivedItem:
    return ArrivedItem(
        package_id=str(raw["package_id"]),
        kind=str(raw.get("kind") or "envelope"),
        sha256=str(raw.get("sha256") or ""),
        cursor=str(raw.get("cursor") or ""),
        data=data,
    )
