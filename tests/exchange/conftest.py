"""The hub's test setup: a test PKI with one agency certificate per persona agency (and one
from a root we do not trust), a sealed PDF, and a hub whose agencies hold credentials.

Agencies (from the ``personas`` fixture): Sở Nội vụ ``000.00.02.H99`` (sender),
Sở KH&CN ``000.00.03.H99`` (recipient), UBND xã ``000.00.20.H99`` (the outsider agency).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from testkit import hub as testing
from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@dataclass
class HubPki:
    dir: Path
    root_pem: Path
    snv: object
    skhcn: object
    xa: object
    stranger_snv: object  # claims to be Sở Nội vụ, issued by a root we do not trust
    pdf: bytes
    snv_leader: object  # a personal certificate of Sở Nội vụ's director (not its seal)


@pytest.fixture(scope="session")
def hub_pki(tmp_path_factory) -> HubPki:
    d = tmp_path_factory.mktemp("hub-pki")
    pki = TestPKI.create(d / "ca", now=NOW)
    other = TestPKI.create(d / "other", name="CA lạ", now=NOW)
    snv = pki.issue_agency(SNV, "Sở Nội vụ", "ec-p256", years=20)
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(snv))
    return HubPki(
        d,
        d / "ca" / "root.pem",
        snv,
        pki.issue_agency(SKHCN, "Sở Khoa học và Công nghệ", "ec-p256", years=20),
        pki.issue_agency(XA, "UBND xã Đông Hòa", "ec-p256", years=20),
        other.issue_agency(SNV, "Sở Nội vụ", "ec-p256", years=20),
        pdf,
        pki.issue_person("Trần Quang Minh", SNV, "Sở Nội vụ", "Giám đốc", "ec-p256", years=20),
    )


@dataclass
class Hub:
    client: object
    pki: HubPki
    personas: object
    tokens: dict

    def post(self, path: str, data: bytes, token: str | None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return self.client.post(f"/hub/v1/{path}", data=data, content_type="application/xml", **headers, **extra)

    def get(self, path: str, token: str | None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return self.client.get(f"/hub/v1/{path}", **headers)

    def send(self, number: int = 1, sender: str = SNV, to: tuple[str, ...] = (SKHCN,), **kw):
        cert = {SNV: self.pki.snv, SKHCN: self.pki.skhcn, XA: self.pki.xa}[sender]
        data = testing.signed(testing.envelope(sender, list(to), number, **kw), cert)
        return data, self.post("packages", data, self.tokens[sender])


@pytest.fixture
def hub(db, client, settings, tmp_path, hub_pki, personas) -> Hub:
    from vanban.exchange.auth import issue_credential

    settings.VANBAN_TRUST_ROOTS = str(hub_pki.root_pem)
    settings.FILES_DIR = tmp_path / "files"
    settings.VANBAN_HUB_CODE = "truc-tinh"
    tokens = {}
    for agency in (personas.so_noi_vu, personas.so_khcn, personas.xa):
        tokens[agency.code] = issue_credential(None, agency=agency)[1]
    return Hub(client, hub_pki, personas, tokens)
