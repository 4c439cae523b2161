"""A client of the national hub's protocol written from ``../shared/spec/vdxp-protocol.md``,
for the tests (not built on :mod:`vanban.vdxp`, so one bug cannot hide in both).

It behaves as the vendor library does on the wire: every parameter as an ``XroadVnpt-``
header, a JSON sign-header with its HMAC-SHA256, the timestamp set once per client object,
headers accumulating across calls (``accumulate=True``), ``Expect: 100-continue`` on calls
with a body, the edXML body followed by CRLF, and an unpadded ``hash-file``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

DOC_ID_HEADER = "docId"


def unpadded_sha256(data: bytes) -> str:
    """Each byte of the digest with ``Integer.toHexString``: no leading zero."""
    return "".join(hex(b)[2:] for b in hashlib.sha256(data).digest())


def java_timestamp(now: float | None = None) -> str:
    """``ddMMyyyy'T'HHmmss+SSSS`` (milliseconds after ``+``)."""
    now = time.time() if now is None else now
    millis = int(now * 1000) % 1000
    return time.strftime("%d%m%YT%H%M%S", time.localtime(now)) + "+" + str(millis).rjust(4, "0")


def signed_headers(systemid: str, secret: str, params: list[tuple[str, str]], timestamp: str, content_type: str):
    """The ``XroadVnpt-`` headers and the sign-header, hash-header and key list over them."""
    keys = [("systemid", systemid), *params, ("timestamp", timestamp), ("Content-Type", content_type)]
    sign = "{" + ",".join(json.dumps("XroadVnpt-" + k) + ":" + json.dumps(v) for k, v in keys) + "}"
    digest = hmac.new(secret.encode("utf-8"), sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out = [("XroadVnpt-" + k, v) for k, v in keys]
    out += [
        ("XroadVnpt-sign-header-key", ";".join(k for k, _ in keys)),
        ("XroadVnpt-sign-header", sign),
        ("XroadVnpt-hash-header", digest),
        ("User-Agent", "JAVASDKAgent/1.0.0 XRoad/VPCP"),
        ("XroadVnpt-version", "3.0.201608"),
    ]
    return out


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class VdxpClient:
    """One vendor client object: ``endpoint`` like ``http://127.0.0.1:8000/vdxp``."""

    endpoint: str
    systemid: str
    secret: str
    accumulate: bool = False
    timestamp: str = field(default_factory=java_timestamp)
    params: dict[str, str] = field(default_factory=dict)

    def call(self, name: str, params: dict[str, str] | None = None, body: bytes | None = None, *, method="POST"):
        wanted = dict(self.params) if self.accumulate else {}
        wanted.update(params or {})
        if self.accumulate:
            self.params = dict(wanted)
        content_type = "application/octet-stream" if name == "sendEdoc" else "application/json"
        headers = signed_headers(self.systemid, self.secret, list(wanted.items()), self.timestamp, content_type)
        return self.raw(name, headers, body, method=method, content_type=content_type)

    def raw(self, name, headers, body: bytes | None, *, method="POST", content_type="application/json") -> Reply:
        url = urllib.parse.urlsplit(self.endpoint.rstrip("/") + "/" + name)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            conn.putrequest(method, url.path, skip_accept_encoding=True)
            sent = {k.lower() for k, _ in headers}
            if "content-type" not in sent:
                conn.putheader("Content-Type", content_type)
            for k, v in headers:
                conn.putheader(k, "".join(chr(ord(c) & 0xFF) for c in v))  # Java: one byte per char
            if method == "POST":
                conn.putheader("Content-Length", str(len(body or b"")))
            conn.endheaders()
            if body:
                conn.send(body)
            r = conn.getresponse()
            return Reply(r.status, r.read(), {k.lower(): v for k, v in r.getheaders()})
        finally:
            conn.close()

    # --- the operations (spec §4) ---------------------------------------------------------

    def get_agencies_list(self):
        return self.call("getAgenciesList").json()

    def get_agencies_list_qd20(self, level: str):
        return self.call("getAgenciesListQD20", {"level": level}).json()

    def get_synchronize_unit(self):
        return self.call("getSynchronizeUnit").json()

    def register_agency(self, pcode: str, code: str, name: str):
        body = {"id": "", "pcode": pcode, "code": code, "name": name, "mail": "", "mobile": "", "fax": ""}
        return self.call("registerAgency", {}, json.dumps(body, ensure_ascii=False).encode()).json()

    def delete_agency(self, code: str):
        return self.call("deleteAgency", {"AgencyCode": code}, b"{}").json()

    def send_edoc(self, sender: str, data: bytes, messagetype: str = "edoc", *, hash_file: str | None = None):
        params = {
            "servicetype": "eDoc",
            "messagetype": messagetype,
            "hash-file": hash_file or unpadded_sha256(data),
            "from": sender,
        }
        return self.call("sendEdoc", params, data + b"\r\n").json()

    def received(self, messagetype: str = "edoc"):
        return self.call("getReceivedEdocList", {"servicetype": "eDoc", "messagetype": messagetype}).json()

    def sent(self, messagetype: str = "edoc", doc_id: str | None = None):
        params = {"servicetype": "eDoc", "messagetype": messagetype}
        if doc_id:
            params[DOC_ID_HEADER] = doc_id
        return self.call("getSentEdocList", params).json()

    def get_edoc(self, doc_id: str, *, name: str = DOC_ID_HEADER):
        return self.call("getEdoc", {name: doc_id, "filePath": "/tmp/vdxp/store"}, b"{}").json()

    def download(self, doc_id: str) -> Reply:
        return self.call("downloadEdoc", {DOC_ID_HEADER: doc_id, "filePath": "/tmp/vdxp/store"}, method="GET")

    def update_status(self, doc_id: str, status: str, *, name: str = DOC_ID_HEADER, description: str = ""):
        params = {name: doc_id, "status": status}
        if description:
            params["description"] = description
        return self.call("updateStatus", params, b"{}").json()

    def count_edoc(self):
        return self.call("countReceiveEdoc", {"servicetype": "eDoc", "messagetype": "edoc"}, b"{}").json()

    def count_status(self):
        return self.call("countReceiveStatus", {"servicetype": "eDoc", "messagetype": "status"}, b"{}").json()
