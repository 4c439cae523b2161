"""The VDXP side of the hub, in process: systems issued to the persona agencies, and requests
built by the spec-written test client (:mod:`testkit.vdxp_client`) sent through Django's
test client.

Sở Nội vụ ``000.00.02.H99`` uses an eOffice of another vendor (system ``snv``), Sở KH&CN
``000.00.03.H99`` too (system ``skhcn``); UBND xã ``000.00.20.H99`` (the outsider) uses the
hub's own API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as dj_settings

from testkit import hub as testing
from testkit.vdxp_client import java_timestamp, signed_headers, unpadded_sha256
from vanban.audit.models import AuditEvent
from vanban.exchange.models import Delivery, Package

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Vdxp:
    hub: object
    client: object
    secrets: dict

    def raw(self, name: str, headers: list[tuple[str, str]], body: bytes = b"", method: str = "POST") -> Answer:
        content_type = dict(headers).get("XroadVnpt-Content-Type", "application/json")
        extra = {k: v for k, v in headers if k.lower() != "content-type"}
        if method == "GET":
            r = self.client.generic("GET", f"/vdxp/{name}", headers=extra)
        else:
            r = self.client.generic(method, f"/vdxp/{name}", data=body, content_type=content_type, headers=extra)
        return Answer(r.status_code, r.content)

    def headers(self, systemid: str, params: dict | None = None, *, secret: str | None = None, send: bool = False):
        return signed_headers(
            systemid,
            self.secrets[systemid] if secret is None else secret,
            list((params or {}).items()),
            java_timestamp(),
            "application/octet-stream" if send else "application/json",
        )

    def call(self, systemid: str, name: str, params: dict | None = None, body: bytes = b"", method="POST") -> Answer:
        return self.raw(name, self.headers(systemid, params, send=name == "sendEdoc"), body, method)

    def send(self, systemid: str, sender: str, data: bytes, messagetype: str = "edoc") -> dict:
        params = {"servicetype": "eDoc", "messagetype": messagetype, "hash-file": unpadded_sha256(data), "from": sender}
        return self.call(systemid, "sendEdoc", params, data + b"\r\n").json()

    def envelope(self, number: int = 1, sender: str = SNV, to: tuple[str, ...] = (SKHCN,), **kw) -> bytes:
        cert = {SNV: self.hub.pki.snv, SKHCN: self.hub.pki.skhcn, XA: self.hub.pki.xa}[sender]
        return testing.signed(testing.envelope(sender, list(to), number, **kw), cert)


@pytest.fixture
def vdxp(hub, client) -> Vdxp:
    from vanban.exchange.vdxp.systems import issue_system

    secrets = {}
    for systemid, code in (("snv", SNV), ("skhcn", SKHCN)):
        system, secret = issue_system(None, [code], label=systemid)
        secrets[systemid] = secret
        secrets[system.systemid] = secret
        secrets[f"id:{systemid}"] = system.systemid
    by_name = {name: secrets[f"id:{name}"] for name in ("snv", "skhcn")}
    v = Vdxp(hub, client, secrets)
    v.ids = by_name  # type: ignore[attr-defined]
    return v


def assert_nothing_stored() -> None:
    """No package row, no delivery, no file, no audit event of a package."""
    assert Package.objects.count() == 0 and Delivery.objects.count() == 0
    root = Path(dj_settings.FILES_DIR) / "hub"
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
    assert not AuditEvent.objects.filter(action__startswith="exchange.package").exists()
