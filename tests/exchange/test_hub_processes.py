"""Real processes over real HTTP: ``vanban serve`` hubs and offices, each with its own
database (SQLite files, or separate PostgreSQL databases when DATABASE_URL is PostgreSQL)
and a ``vanban worker`` where background work is needed."""

from __future__ import annotations

import json
import signal
import time
import urllib.request
from datetime import UTC
from pathlib import Path

import pytest

from testkit import hub as testing

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
FAR = "000.00.02.H98"  # Sở Nội vụ of another province, behind the national hub
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]
FAST = {"VANBAN_CONNECTOR_PULL_SECONDS": "0.5", "VANBAN_CONNECTOR_FLUSH_SECONDS": "0.5"}

# uses_db: run again in the PostgreSQL pass, where every process gets its own PostgreSQL database
pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    from datetime import datetime

    from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

    d = tmp_path_factory.mktemp("proc-pki")
    ca = TestPKI.create(d / "ca", now=datetime(2025, 6, 1, tzinfo=UTC))
    certs = {
        code: ca.issue_agency(code, name, "ec-p256", years=20)
        for code, name in AGENCIES + [(FAR, "Sở Nội vụ tỉnh khác")]
    }
    p12 = {code: c.write_pkcs12(d / f"{code}.p12") for code, c in certs.items()}
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(certs[SNV]))
    return {"root": d / "ca" / "root.pem", "certs": certs, "p12": p12, "pdf": pdf}


def office(make, name, hub_api, pki, agencies, tokens):
    node = make(name, "office", {"VANBAN_TRUST_ROOTS": str(pki["root"]), **FAST})
    testing.prepare(node, agencies)
    for code, token in tokens.items():
        node.cli(
            "connector", "account", "set", code, "--hub", hub_api, "--token", token, "--key", str(pki["p12"][code])
        )
    node.start()
    node.start_worker()
    return node


def listing(node) -> dict:
    return json.loads(node.cli("connector", "list"))


def write_envelopes(tmp: Path, pki, sender, to, numbers, pdf=True) -> list[Path]:
    files = []
    for n in numbers:
        env = testing.envelope(sender, list(to), n, pdf=pki["pdf"] if pdf else None)
        path = tmp / f"{sender}-{n}.edxml"
        path.write_bytes(testing.signed(env, pki["certs"][sender]))
        files.append(path)
    return files


def http_json(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_hub_and_two_offices_exchange_a_signed_document_and_statuses_flow_back(nodes, pki, tmp_path):
    hub = nodes("hub", "hub", {"VANBAN_TRUST_ROOTS": str(pki["root"])})
    testing.prepare(hub, AGENCIES)
    tokens = {code: testing.issue_token(hub, code) for code, _ in AGENCIES}
    hub.start()
    a = office(nodes, "office-a", hub.api, pki, AGENCIES, {SNV: tokens[SNV]})
    b = office(nodes, "office-b", hub.api, pki, AGENCIES, {SKHCN: tokens[SKHCN]})

    [path] = write_envelopes(tmp_path, pki, SNV, [SKHCN], [7816])
    a.cli("connector", "enqueue", str(path), "--agency", SNV, "--ref", "registry.outgoing:7816")
    doc = testing.envelope(SNV, [SKHCN], 7816).document_id

    got = testing.wait_for(
        lambda: [r for r in listing(b)["received"] if r["document_id"] == doc], what="office B to receive the document"
    )
    assert len(got) == 1 and got[0]["verified"] is True and got[0]["agency__code"] == SKHCN
    statuses = testing.wait_for(
        lambda: [s for s in listing(a)["statuses"] if s["document_id"] == doc], what="status 01 back at office A"
    )
    assert [(s["from_code"], s["status_code"]) for s in statuses] == [(SKHCN, "01")]
    sent = [o for o in listing(a)["outbox"] if o["document_id"] == doc]
    assert [o["state"] for o in sent] == ["sent"]
    timeline = http_json(hub.api + f"packages/{sent[0]['hub_package_id']}/timeline", tokens[SNV])
    events = [(e["event"], e["status_code"]) for e in timeline["deliveries"][0]["events"]]
    assert events[0] == ("accepted", "") and ("acked", "") in events and ("status", "01") in events


def test_province_and_national_hubs_forward_both_ways(nodes, pki, tmp_path):
    env = {"VANBAN_TRUST_ROOTS": str(pki["root"])}
    province = nodes("truc-tinh", "hub", env)
    national = nodes("truc-quoc-gia", "hub", env)
    testing.prepare(province, AGENCIES)
    testing.prepare(national, [(FAR, "Sở Nội vụ tỉnh khác")])
    province.start()
    national.start()
    province.cli("hub", "serves", "*.H99")
    national.cli("hub", "serves", "*.H98")
    province.cli(
        "hub",
        "peer",
        "truc-quoc-gia",
        national.api,
        "--parent",
        "--token",
        testing.issue_token(national, "truc-tinh", peer=True),
    )
    national.cli(
        "hub",
        "peer",
        "truc-tinh",
        province.api,
        "--pattern",
        "*.H99",
        "--token",
        testing.issue_token(province, "truc-quoc-gia", peer=True),
    )
    province.start_worker()
    national.start_worker()
    a = office(nodes, "office-a", province.api, pki, AGENCIES, {SNV: testing.issue_token(province, SNV)})
    b = office(
        nodes,
        "office-far",
        national.api,
        pki,
        [(FAR, "Sở Nội vụ tỉnh khác")],
        {FAR: testing.issue_token(national, FAR)},
    )

    [path] = write_envelopes(tmp_path, pki, SNV, [FAR], [42])
    a.cli("connector", "enqueue", str(path), "--agency", SNV)
    doc = testing.envelope(SNV, [FAR], 42).document_id
    got = testing.wait_for(
        lambda: [r for r in listing(b)["received"] if r["document_id"] == doc],
        what="the far office to receive through two hubs",
    )
    assert got[0]["verified"] is True
    statuses = testing.wait_for(
        lambda: [s for s in listing(a)["statuses"] if s["document_id"] == doc], what="status 01 back through two hubs"
    )
    assert statuses[0]["from_code"] == FAR and statuses[0]["status_code"] == "01"
    trace = json.loads(
        testing.django_shell(
            national,
            (
                "import json; from vanban.exchange.models import Package; "
                "print(json.dumps(list(Package.objects.filter(kind='envelope').values_list('trace', flat=True))))"
            ),
        )
    )
    assert trace == [["truc-tinh", "truc-quoc-gia"]]


def test_hub_killed_mid_stream_loses_nothing_and_doubles_nothing(nodes, pki, tmp_path):
    hub = nodes("hub", "hub", {"VANBAN_TRUST_ROOTS": str(pki["root"])})
    testing.prepare(hub, AGENCIES)
    tokens = {code: testing.issue_token(hub, code) for code, _ in AGENCIES}
    hub.start()
    port = hub.port
    a = office(nodes, "office-a", hub.api, pki, AGENCIES, {SNV: tokens[SNV]})
    b = office(nodes, "office-b", hub.api, pki, AGENCIES, {SKHCN: tokens[SKHCN]})
    count = 40
    files = write_envelopes(tmp_path, pki, SNV, [SKHCN], range(500, 500 + count))
    a.cli("connector", "enqueue", *map(str, files), "--agency", SNV)

    def accepted_some():
        try:
            return len(http_json(hub.api + "inbox", tokens[SKHCN])["items"]) >= 2
        except OSError:
            return False

    testing.wait_for(accepted_some, every=0.05, what="the first packages at the hub")
    hub.proc.send_signal(signal.SIGKILL)
    hub.proc.wait()
    time.sleep(1.0)  # senders and pullers meet a dead hub
    hub.start(port=port)

    def all_received():
        rows = listing(b)["received"]
        return rows if len(rows) >= count else None

    rows = testing.wait_for(all_received, timeout=120, what="every package at office B")
    time.sleep(1.5)  # a few more pull rounds: nothing may arrive twice
    rows = listing(b)["received"]
    assert len(rows) == count and len({r["document_id"] for r in rows}) == count
    outbox = listing(a)["outbox"]
    assert [o["state"] for o in outbox] == ["sent"] * count
    stored = testing.django_shell(
        hub,
        (
            "from vanban.exchange.models import Package, Delivery; "
            "print(Package.objects.filter(kind='envelope').count(), Delivery.objects.filter(package__kind='envelope').count())"
        ),
    )
    assert stored.split() == [str(count), str(count)]
