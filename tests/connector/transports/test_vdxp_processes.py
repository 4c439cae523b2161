"""An office on the national hub's protocol (VDXP) and an office on the hub's own API
exchange documents and every status through one hub, as real processes over real HTTP:
a hub (``vanban serve --role hub``) and two offices (``vanban serve`` plus ``vanban
worker``), each with its own database (SQLite files, or separate PostgreSQL databases when
DATABASE_URL is PostgreSQL).

Office A (Sở Nội vụ) is set with ``connector account set --protocol vdxp`` and a system id
and secret the hub issued; office B (Sở Khoa học và Công nghệ) with a native token. A sends
a document to B; B's connector verifies it (the hub's appended trace removed) and answers
01, then B sends 03, 04, 05, 06; A asks to take it back (13) and B agrees (15). B sends a
document to A; A receives it through VDXP and answers 01, refuses it (02); B asks to take it
back (13) and A declines (16). Each side sees each of the other's statuses once, and A's
timeline of its document shows B's delivery acknowledged.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from testkit import hub as testing

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]
FAST = {"VANBAN_CONNECTOR_PULL_SECONDS": "0.5", "VANBAN_CONNECTOR_FLUSH_SECONDS": "0.5"}

# uses_db: run again in the PostgreSQL pass, where every process gets its own PostgreSQL database
pytestmark = [pytest.mark.slow, pytest.mark.uses_db]

SEND_STATUS = """
from vanban import connector
from vanban.directory.models import Agency
from vanban.edxml import StatusCode
queued = connector.send_status(
    Agency.objects.get(code={agency!r}), to={to!r}, document_id={document_id!r},
    status=StatusCode({code!r}), description={description!r},
)
print(queued.outbox_id)
"""

TIMELINE = """
import json
from vanban import connector
print(json.dumps(connector.timelines([{reference!r}])))
"""


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

    d = tmp_path_factory.mktemp("vdxp-proc-pki")
    ca = TestPKI.create(d / "ca", now=datetime(2025, 6, 1, tzinfo=UTC))
    certs = {code: ca.issue_agency(code, name, "ec-p256", years=20) for code, name in AGENCIES}
    p12 = {code: c.write_pkcs12(d / f"{code}.p12") for code, c in certs.items()}
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(certs[SNV]))
    return {"root": d / "ca" / "root.pem", "certs": certs, "p12": p12, "pdf": pdf}


def office(make, name, pki, account_args):
    node = make(name, "office", {"VANBAN_TRUST_ROOTS": str(pki["root"]), **FAST})
    testing.prepare(node, AGENCIES)
    node.cli("connector", "account", "set", *account_args)
    node.start()
    node.start_worker()
    return node


def listing(node) -> dict:
    return json.loads(node.cli("connector", "list"))


def statuses_about(node, document_id: str) -> list[tuple[str, str]]:
    return sorted(
        (s["from_code"], s["status_code"]) for s in listing(node)["statuses"] if s["document_id"] == document_id
    )


def send_document(node, tmp_path, pki, sender: str, to: str, number: int) -> str:
    env = testing.envelope(sender, [to], number, pdf=pki["pdf"] if sender == SNV else None)
    path = tmp_path / f"{sender}-{number}.edxml"
    path.write_bytes(testing.signed(env, pki["certs"][sender]))
    node.cli("connector", "enqueue", str(path), "--agency", sender, "--ref", f"registry.outgoing:{number}")
    return env.document_id


def send_status(node, agency: str, to: str, document_id: str, code: str) -> None:
    description = f"Trạng thái {code} gửi qua trục"
    testing.django_shell(
        node, SEND_STATUS.format(agency=agency, to=to, document_id=document_id, code=code, description=description)
    )


def received(node, document_id: str) -> list[dict]:
    return [r for r in listing(node)["received"] if r["document_id"] == document_id]


def test_an_office_on_vdxp_and_an_office_on_the_native_api_exchange_documents_and_every_status(nodes, pki, tmp_path):
    hub = nodes("hub", "hub", {"VANBAN_TRUST_ROOTS": str(pki["root"])})
    testing.prepare(hub, AGENCIES)
    system = json.loads(hub.cli("hub", "systems", "issue", SNV, "--json"))
    token = testing.issue_token(hub, SKHCN)
    hub.start()
    a = office(
        nodes,
        "office-a",
        pki,
        [SNV, "--protocol", "vdxp", "--hub", hub.url + "vdxp", "--system-id", system["systemid"]]
        + ["--secret", system["secret"], "--key", str(pki["p12"][SNV])],
    )
    b = office(nodes, "office-b", pki, [SKHCN, "--hub", hub.api, "--token", token, "--key", str(pki["p12"][SKHCN])])

    # A (VDXP) -> B (native): 01 by B's connector, then 03 04 05 06 from B, 13 from A, 15 from B
    first = send_document(a, tmp_path, pki, SNV, SKHCN, 8101)
    got = testing.wait_for(lambda: received(b, first), what="office B to receive A's document")
    assert [(r["agency__code"], r["verified"], r["state"]) for r in got] == [(SKHCN, True, "new")]
    testing.wait_for(lambda: statuses_about(a, first), what="B's 01 at office A")
    for code in ("03", "04", "05", "06"):
        send_status(b, SKHCN, SNV, first, code)
    send_status(a, SNV, SNV, first, "13")
    testing.wait_for(lambda: statuses_about(b, first), what="A's 13 at office B")
    send_status(b, SKHCN, SNV, first, "15")
    testing.wait_for(lambda: len(statuses_about(a, first)) >= 6, what="B's statuses at office A")
    assert statuses_about(a, first) == [(SKHCN, c) for c in ("01", "03", "04", "05", "06", "15")]
    assert statuses_about(b, first) == [(SNV, "13")]

    # B (native) -> A (VDXP): 01 by A's connector, 02 from A, 13 from B, 16 from A
    second = send_document(b, tmp_path, pki, SKHCN, SNV, 8102)
    got = testing.wait_for(lambda: received(a, second), what="office A to receive B's document through VDXP")
    assert [(r["agency__code"], r["verified"], r["state"]) for r in got] == [(SNV, True, "new")]
    testing.wait_for(lambda: statuses_about(b, second), what="A's 01 at office B")
    send_status(a, SNV, SKHCN, second, "02")
    send_status(b, SKHCN, SKHCN, second, "13")
    testing.wait_for(lambda: statuses_about(a, second), what="B's 13 at office A")
    send_status(a, SNV, SKHCN, second, "16")
    testing.wait_for(lambda: len(statuses_about(b, second)) >= 3, what="A's statuses at office B")
    assert statuses_about(b, second) == [(SNV, c) for c in ("01", "02", "16")]
    assert statuses_about(a, second) == [(SKHCN, "13")]

    # nothing twice, every outbox item sent; A's timeline (getSentEdocList) shows B acknowledged
    assert [r["document_id"] for r in listing(a)["received"]] == [second]
    assert [r["document_id"] for r in listing(b)["received"]] == [first]
    for node in (a, b):
        assert {o["state"] for o in listing(node)["outbox"]} == {"sent"}
    timeline = json.loads(testing.django_shell(a, TIMELINE.format(reference="registry.outgoing:8101")))
    [delivery] = timeline["registry.outgoing:8101"]["deliveries"]
    assert delivery["recipient_code"] == SKHCN
    assert "acked" in [e["event"] for e in delivery["events"]]
