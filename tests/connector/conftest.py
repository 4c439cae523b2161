"""The connector against a real hub process: one ``vanban serve --role hub`` per module, on
its own database (a SQLite file, or a fresh PostgreSQL database when DATABASE_URL is
PostgreSQL), and this test process as the office hosting two agencies."""

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
class OfficePki:
    root_pem: Path
    certs: dict
    p12: dict
    pdf: bytes


@pytest.fixture(scope="session")
def office_pki(tmp_path_factory) -> OfficePki:
    d = tmp_path_factory.mktemp("office-pki")
    pki = TestPKI.create(d / "ca", now=NOW)
    certs = {
        SNV: pki.issue_agency(SNV, "Sở Nội vụ", "ec-p256", years=20),
        SKHCN: pki.issue_agency(SKHCN, "Sở Khoa học và Công nghệ", "ec-p256", years=20),
        XA: pki.issue_agency(XA, "UBND xã Đông Hòa", "ec-p256", years=20),
    }
    p12 = {code: c.write_pkcs12(d / f"{code}.p12") for code, c in certs.items()}
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(certs[SNV]))
    return OfficePki(d / "ca" / "root.pem", certs, p12, pdf)


@dataclass
class RealHub:
    node: testing.Node
    tokens: dict


@pytest.fixture(scope="module")
def real_hub(tmp_path_factory, office_pki) -> RealHub:
    work = tmp_path_factory.mktemp("hubproc")
    node = testing.Node("truc", work, "hub", env={"VANBAN_TRUST_ROOTS": str(office_pki.root_pem)})
    try:
        testing.prepare(node, [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ"), (XA, "UBND xã")])
        tokens = {code: testing.issue_token(node, code) for code in (SNV, SKHCN, XA)}
        node.start()
        yield RealHub(node, tokens)
    finally:
        node.close()


@pytest.fixture
def office(db, settings, tmp_path, personas, office_pki, real_hub):
    """This process as an office hosting Sở Nội vụ and Sở KH&CN, both with hub accounts."""
    from vanban.connector.accounts import set_account

    settings.VANBAN_TRUST_ROOTS = str(office_pki.root_pem)
    settings.FILES_DIR = tmp_path / "files"
    accounts = {}
    for agency in (personas.so_noi_vu, personas.so_khcn):
        accounts[agency.code] = set_account(
            None,
            agency,
            hub_url=real_hub.node.api,
            token=real_hub.tokens[agency.code],
            signing_key_path=str(office_pki.p12[agency.code]),
        )
    return accounts
