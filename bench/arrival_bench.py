"""Benchmark: how soon a document issued in office A shows as arrived — B's "01 Đã đến" on
A's outgoing document — with the connector's listeners long-polling the hub, against the
periodic pull (the baseline) measured in the same run.

Set up as in production, each a process of its own with its own database: a hub
(``vanban serve --role hub --processes 2``, ``VANBAN_DB_CONN_MAX_AGE=60``), and two offices,
each a ``vanban worker`` with its default settings (it sends the outbox, pulls, runs the
registry's sync; the offices' web servers play no part here and are not started). A
driver process in office A's environment issues ``--documents`` công văn to office B one
after another with the registry's own steps (draft, approve, sign, number, seal, issue),
and after each waits until A's database shows B's status on it (polled every 20 ms).
Measured from the moment ``issue`` returned (committed, outbox row queued):

- **issue → 01 at A**: ``Recipient.last_status`` is set at A (what A's page shows);
- **issue → arrived at B**: ``IncomingDocument.arrived_at`` at B (the document in B's
  *Văn bản đến*).

Modes, the same processes restarted in between:

- **long polling** (the defaults: ``VANBAN_CONNECTOR_LONG_POLL=20``);
- **periodic pull** (``VANBAN_CONNECTOR_LONG_POLL=0``, a pull every ``--pull-seconds``,
  default 10, the default of ``VANBAN_CONNECTOR_PULL_SECONDS``): the baseline.

One warm-up document per mode is not counted. Goal: issue → 01 p95 under 1.5 s with the
defaults.

Run: ``.venv/bin/python bench/arrival_bench.py [--documents 30] [--pull-seconds 10]
[--hub-processes 2] [--modes long-poll,periodic] [--worker-interval S]`` (``DATABASE_URL`` names the PostgreSQL
server, default ``postgresql://postgres@127.0.0.1:5432/postgres``, whose databases are
created and dropped; ``DATABASE_URL=sqlite`` runs every process on a SQLite file instead).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # testkit/, beside the tests
SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]
TIMEOUT = 60.0  # per document


def _office_setup():
    """The seeding of ``tests/registry/test_incoming_over_http.py`` (people, registers, keys)."""
    spec = importlib.util.spec_from_file_location(
        "incoming_over_http", ROOT / "tests" / "registry" / "test_incoming_over_http.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_pki(d: Path) -> dict:
    from vanban.signing import TestPKI

    ca = TestPKI.create(d / "ca")
    issued = {code: ca.issue_agency(code, name, "ec-p256") for code, name in AGENCIES}
    issued["lanhdao.snv"] = ca.issue_person("Trần Quang Minh", SNV, "Sở Nội vụ", "Giám đốc", "ec-p256")
    keys = {
        name: {"p12": str(c.write_pkcs12(d / f"{name}.p12")), "pem": c.cert_pem().decode()}
        for name, c in issued.items()
    }
    return {"root": str(d / "ca" / "root.pem"), "keys": keys}


# --- the driver: runs in office A's environment ---------------------------------------------


def drive(count: int, prefix: str) -> None:
    """Issue ``count`` documents to B one after another; after each, wait for B's status at A.
    One JSON line per document: subject, issued (epoch seconds), status_at (or null)."""
    import django

    django.setup()
    from vanban.directory.models import DocumentType, Person
    from vanban.registry import services
    from vanban.registry.models import Recipient
    from vanban.registry.services import DraftData, RecipientData
    from vanban.signing import make_sample_pdf

    people = {p.user.username: p for p in Person.objects.select_related("user")}
    officer, leader, clerk = people["chuyenvien.snv"], people["lanhdao.snv"], people["vanthu.snv"]
    kind = DocumentType.objects.get(code="cong-van")
    pdf = make_sample_pdf(
        title="CÔNG VĂN",
        agency_name="SỞ NỘI VỤ",
        number="Số:      /SNV-CCVC",
        position="GIÁM ĐỐC",
        signer_name=leader.full_name,
    ).pdf
    for i in range(count):
        subject = f"{prefix} số {i + 1}"
        doc = services.create_draft(
            officer.user,
            DraftData(
                subject=subject,
                document_type=kind,
                signer=leader,
                main_file=pdf,
                main_file_name="cong-van.pdf",
                recipients=[RecipientData(agency_code=SKHCN)],
            ),
        )
        services.submit(officer.user, doc)
        services.approve(leader.user, doc)
        services.sign_document(leader.user, doc)
        services.number_document(clerk.user, doc)
        services.seal_document(clerk.user, doc)
        doc = services.issue(clerk.user, doc)
        issued = time.time()
        status_at = None
        while time.time() - issued < TIMEOUT:
            if Recipient.objects.filter(document_id=doc.pk, agency__code=SKHCN).exclude(last_status="").exists():
                status_at = time.time()
                break
            time.sleep(0.02)
        row = {"subject": subject, "document_id": doc.document_id, "issued": issued, "status_at": status_at}
        print(json.dumps(row), flush=True)
        if status_at is None:
            break  # something is wrong (the run says what): no point in waiting for the others


ARRIVALS = """
import json
from vanban.registry.models import IncomingDocument
print(json.dumps({{d.subject: d.arrived_at.timestamp() for d in IncomingDocument.objects.filter(
    subject__startswith={prefix!r})}}))
"""


HUB_TIMES = """
import json
from vanban.exchange.models import DeliveryEvent
out = {{}}
for e in DeliveryEvent.objects.filter(delivery__package__document_id__in={ids!r}).select_related("delivery__package"):
    p = e.delivery.package
    out.setdefault(p.document_id, {{}})[f"{{p.kind}}.{{e.event}}"] = e.at.timestamp()
print(json.dumps(out))
"""
STAGES = [  # (label, from, to): moments at the hub between the issue and the 01 at A
    ("A's worker sends it to the hub", "issued", "envelope.accepted"),
    ("B takes it (listener or periodic pull)", "envelope.accepted", "envelope.fetched"),
    ("B verifies, stores, its 01 reaches the hub", "envelope.fetched", "status.accepted"),
    ("A takes the 01", "status.accepted", "status.fetched"),
    ("A stores it, the registry applies it", "status.fetched", "status_at"),
]


# --- the run ------------------------------------------------------------------------------------


WORKER_ARGS: list[str] = []  # `vanban worker` as an office runs it: its defaults (--worker-interval changes it)


def start_worker(node) -> None:
    from testkit import hub as testing

    log = open(node.dir / "worker.log", "ab")  # noqa: SIM115 - the worker's, closed with the process
    node.worker = subprocess.Popen(
        [testing.VANBAN, "worker", *WORKER_ARGS], env=node.env, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()


def check_workers(offices) -> None:
    for office in offices:
        if office.worker is not None and office.worker.poll() is not None:
            tail = (office.dir / "worker.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{office.name}'s worker ended ({office.worker.returncode}):\n{tail}")


def run_mode(name: str, env: dict[str, str], offices, count: int) -> dict:
    from testkit import hub as testing

    for office in offices[:2]:
        office.stop()
        office.env.update(env)
        start_worker(office)
    a, b = offices[:2]
    prefix = f"V/v thử nghiệm thời gian đến ({name}, {time.time_ns()})"
    driver = subprocess.run(
        [sys.executable, __file__, "--driver", str(count + 1), "--prefix", prefix],
        env={**a.env, "DJANGO_SETTINGS_MODULE": "vanban.settings"},
        capture_output=True,
        text=True,
        timeout=(count + 1) * (TIMEOUT + 60),
    )
    if driver.returncode != 0:
        raise RuntimeError(driver.stderr)
    check_workers((a, b))
    rows = [json.loads(line) for line in driver.stdout.splitlines() if line.startswith("{")]
    arrived = json.loads(testing.django_shell(b, ARRIVALS.format(prefix=prefix)))
    rows = rows[1:]  # the warm-up document
    hub = json.loads(testing.django_shell(offices[2], HUB_TIMES.format(ids=[r["document_id"] for r in rows])))
    stages = {label: [] for label, _, _ in STAGES}
    for r in rows:
        moments = {**hub.get(r["document_id"], {}), "issued": r["issued"], "status_at": r["status_at"]}
        for label, start, end in STAGES:
            if moments.get(start) and moments.get(end):
                stages[label].append(moments[end] - moments[start])
    to_01 = [r["status_at"] - r["issued"] for r in rows if r["status_at"]]
    to_b = [arrived[r["subject"]] - r["issued"] for r in rows if r["subject"] in arrived]
    return {"name": name, "count": len(rows), "to_01": to_01, "to_b": to_b, "stages": stages}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def show(result: dict) -> None:
    for key, label in (("to_01", "issue → 01 at A"), ("to_b", "issue → arrived at B")):
        v = result[key]
        lost = result["count"] - len(v)
        print(
            f"  {label:<22} p50 {pct(v, 50):6.2f} s   p95 {pct(v, 95):6.2f} s   max {max(v, default=float('nan')):6.2f} s"
            f"   mean {statistics.fmean(v) if v else float('nan'):6.2f} s" + (f"   ({lost} not seen)" if lost else ""),
            flush=True,
        )
    print("  where the time goes (median; times at the hub):", flush=True)
    for label, values in result["stages"].items():
        print(f"    {label:<46} {pct(values, 50):6.2f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--pull-seconds", type=float, default=10.0, help="the baseline's pull interval (default 10)")
    parser.add_argument("--hub-processes", type=int, default=2)
    parser.add_argument("--modes", default="long-poll,periodic")
    parser.add_argument(
        "--worker-interval", type=float, help="the offices' `vanban worker --interval` (default: its own default)"
    )
    parser.add_argument("--driver", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:
        drive(args.driver, args.prefix)
        return 0

    if args.worker_interval is not None:
        WORKER_ARGS[:] = ["--interval", f"{args.worker_interval:g}"]
    from testkit import hub as testing  # no Django here: every process has its own

    setup = _office_setup()
    modes = {
        "long-poll": {"VANBAN_CONNECTOR_LONG_POLL": "20"},
        "periodic": {"VANBAN_CONNECTOR_LONG_POLL": "0", "VANBAN_CONNECTOR_PULL_SECONDS": f"{args.pull_seconds:g}"},
    }
    chosen = [m.strip() for m in args.modes.split(",") if m.strip()]
    db = "PostgreSQL" if testing.is_postgres() else "SQLite"
    print(
        f"{args.documents} documents A → B one after another, per mode; hub: {args.hub_processes} processes; "
        f"offices: `vanban worker {' '.join(WORKER_ARGS) or '(its defaults)'}`; {db}",
        flush=True,
    )
    nodes = []
    with tempfile.TemporaryDirectory(prefix="vanban-arrival-") as tmp:
        work = Path(tmp)
        try:
            pki = make_pki(work / "pki")
            hub = testing.Node("hub", work, "hub", {"VANBAN_TRUST_ROOTS": pki["root"], "VANBAN_DB_CONN_MAX_AGE": "60"})
            a = testing.Node("office-a", work, "office", {"VANBAN_TRUST_ROOTS": pki["root"]})
            b = testing.Node("office-b", work, "office", {"VANBAN_TRUST_ROOTS": pki["root"]})
            nodes = [hub, a, b]
            started = time.monotonic()
            for node in nodes:
                testing.prepare(node, AGENCIES)
            tokens = {code: testing.issue_token(hub, code) for code, _ in AGENCIES}
            hub.start(processes=args.hub_processes, threads=4)
            for node, code in ((a, SNV), (b, SKHCN)):
                setup.seed_office(node, code, pki, hub.api, tokens[code])
            print(f"set up in {time.monotonic() - started:.0f} s", flush=True)
            results = {}
            for name in chosen:
                began = time.monotonic()
                results[name] = run_mode(name, modes[name], (a, b, hub), args.documents)
                print(f"{name} ({modes[name]}), {time.monotonic() - began:.0f} s:", flush=True)
                show(results[name])
            if {"long-poll", "periodic"} <= set(results):
                fast, slow = results["long-poll"], results["periodic"]
                for key, label in (("to_01", "issue → 01 at A"), ("to_b", "issue → arrived at B")):
                    print(
                        f"ratio periodic / long polling, {label}: p50 {pct(slow[key], 50) / pct(fast[key], 50):.1f}×, "
                        f"p95 {pct(slow[key], 95) / pct(fast[key], 95):.1f}×",
                        flush=True,
                    )
                p95 = pct(fast["to_01"], 95)
                print(
                    f"goal issue → 01 p95 < 1.5 s with the defaults: {'met' if p95 < 1.5 else 'NOT met'} ({p95:.2f} s)"
                )
        finally:
            for node in nodes:
                node.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
