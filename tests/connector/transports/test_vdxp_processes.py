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
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from testkit import hub as testing

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]
FAST = {"VANBAN_CONNECTOR_PULL_SECONDS": "0.5", "VANBAN_CONNECTOR_FLUSH_SECONDS": "0.5"}

# uses_db: run again in the PostgreSQL pass, where every process gets its own PostgreSQL database
pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]

# Run inside an office's Django (one process per step: starting one costs seconds here):
# wait for what the other office sent, send statuses, print what the office has.
PRELUDE = """
import json, time
from vanban import connector
from vanban.connector.models import OutboxItem, ReceivedPackage, ReceivedStatus
from vanban.directory.models import Agency
from vanban.edxml import StatusCode

def statuses(doc):
    return sorted([s.from_code, s.status_code] for s in ReceivedStatus.objects.filter(document_id=doc))

def received(doc):
    return [[r.agency.code, r.verified] for r in ReceivedPackage.objects.filter(document_id=doc)]

def wait(check, what, timeout=90):  # under the 120 s django_shell allows
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for " + what)
        time.sleep(0.2)

def send(agency, to, doc, *codes):
    for code in codes:
        connector.send_status(
            Agency.objects.get(code=agency), to=to, document_id=doc, status=StatusCode(code),
            description="Trạng thái " + code + " gửi qua trục",
        )

def outbox_sent():
    return not OutboxItem.objects.exclude(state="sent").exists()
"""


def run(node, script: str, **values) -> dict:
    """``script`` (after :data:`PRELUDE`) in the node's Django; the JSON it prints last."""
    return json.loads(testing.django_shell(node, PRELUDE + script.format(**{k: repr(v) for k, v in values.items()})))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

    d = tmp_path_factory.mktemp("vdxp-proc-pki")
    ca = TestPKI.create(d / "ca", now=datetime(2025, 6, 1, tzinfo=UTC))
    certs = {code: ca.issue_agency(code, name, "ec-p256", years=20) for code, name in AGENCIES}
    p12 = {code: c.write_pkcs12(d / f"{code}.p12") for code, c in certs.items()}
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(certs[SNV]))
    return {"root": d / "ca" / "root.pem", "certs": certs, "p12": p12, "pdf": pdf}


def prepared(make, name, role, pki):
    node = make(name, role, {"VANBAN_TRUST_ROOTS": str(pki["root"]), **(FAST if role == "office" else {})})
    testing.prepare(node, AGENCIES)
    return node


def signed_file(tmp_path, pki, sender: str, to: str, number: int) -> tuple[str, str]:
    env = testing.envelope(sender, [to], number, pdf=pki["pdf"] if sender == SNV else None)
    path = tmp_path / f"{sender}-{number}.edxml"
    path.write_bytes(testing.signed(env, pki["certs"][sender]))
    return env.document_id, str(path)


def test_an_office_on_vdxp_and_an_office_on_the_native_api_exchange_documents_and_every_status(nodes, pki, tmp_path):
    with ThreadPoolExecutor(3) as pool:  # migrating three databases at once
        hub, a, b = pool.map(
            lambda args: prepared(nodes, *args, pki), [("hub", "hub"), ("office-a", "office"), ("office-b", "office")]
        )
        system = json.loads(hub.cli("hub", "systems", "issue", SNV, "--json"))
        token = testing.issue_token(hub, SKHCN)
        hub.start()
        vdxp = ["--protocol", "vdxp", "--hub", hub.url + "vdxp", "--system-id", system["systemid"]]
        vdxp += [f"--secret={system['secret']}"]  # a random secret may start with "-"
        native = ["--hub", hub.api, "--token", token]
        list(
            pool.map(
                lambda args: args[0].cli(
                    "connector", "account", "set", args[1], *args[2], "--key", str(pki["p12"][args[1]])
                ),
                [(a, SNV, vdxp), (b, SKHCN, native)],
            )
        )
    for node in (a, b):
        node.start()
        node.start_worker()
    first, first_file = signed_file(tmp_path, pki, SNV, SKHCN, 8101)
    second, second_file = signed_file(tmp_path, pki, SKHCN, SNV, 8102)

    # A (VDXP) sends to B (native); B's connector answers 01, B then 03 04 05 06 and 15 (to
    # A's 13, below), and sends its own document to A
    a.cli("connector", "enqueue", first_file, "--agency", SNV, "--ref", "registry.outgoing:8101")
    at_b = run(
        b,
        """
wait(lambda: received({first}), "A's document at B")
send({b}, {a}, {first}, "03", "04", "05", "06", "15")
print(json.dumps({{"received": received({first})}}))
""",
        first=first,
        a=SNV,
        b=SKHCN,
    )
    assert at_b["received"] == [[SKHCN, True]]
    b.cli("connector", "enqueue", second_file, "--agency", SKHCN, "--ref", "registry.outgoing:8102")

    # A asks to take its document back (13); receives B's document through VDXP and answers
    # 01, refuses it (02) and declines B's request to take it back (16)
    at_a = run(
        a,
        """
send({a}, {a}, {first}, "13")
wait(lambda: received({second}), "B's document at A")
send({a}, {b}, {second}, "02", "16")
wait(lambda: len(statuses({first})) >= 6, "B's statuses at A")
print(json.dumps({{"received": received({second}), "statuses": statuses({first})}}))
""",
        first=first,
        second=second,
        a=SNV,
        b=SKHCN,
    )
    assert at_a["received"] == [[SNV, True]]
    assert at_a["statuses"] == [[SKHCN, c] for c in ("01", "03", "04", "05", "06", "15")]

    # B asks to take its document back (13); sees A's statuses once each
    at_b = run(
        b,
        """
send({b}, {b}, {second}, "13")
wait(lambda: len(statuses({second})) >= 3 and statuses({first}), "A's statuses at B")
wait(outbox_sent, "B's outbox sent")
print(json.dumps({{"first": statuses({first}), "second": statuses({second}),
    "received": [r.document_id for r in ReceivedPackage.objects.all()]}}))
""",
        first=first,
        second=second,
        b=SKHCN,
    )
    assert at_b["first"] == [[SNV, "13"]]
    assert at_b["second"] == [[SNV, c] for c in ("01", "02", "16")]
    assert at_b["received"] == [first]

    # A: B's 13, nothing twice, its outbox all sent; its timeline (getSentEdocList) shows B's ack
    at_a = run(
        a,
        """
wait(lambda: statuses({second}), "B's 13 at A")
wait(outbox_sent, "A's outbox sent")
print(json.dumps({{"second": statuses({second}), "received": [r.document_id for r in ReceivedPackage.objects.all()],
    "timeline": connector.timelines(["registry.outgoing:8101"])}}))
""",
        second=second,
    )
    assert at_a["second"] == [[SKHCN, "13"]]
    assert at_a["received"] == [second]
    [delivery] = at_a["timeline"]["registry.outgoing:8101"]["deliveries"]
    assert delivery["recipient_code"] == SKHCN and delivery["state"] == "acked"
    assert [e["event"] for e in delivery["events"]] == ["accepted", "acked"]
