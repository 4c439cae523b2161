"""Benchmark: documents sent and delivered through the national hub's protocol (VDXP) against
the hub's own API, on the same hub in the same run, through the connector's transports
(what an office runs: ``VdxpTransport`` and ``NativeTransport``).

One hub (``vanban serve --role hub --processes 2``, PostgreSQL by default, database
connections kept as a hub should run) serves both. For each
protocol in turn (native first, then VDXP, ``--rounds`` times alternating), a sending office
(a process with ``--send-concurrency`` threads, as an office with that many workers) sends
``--packages`` signed envelopes (one sealed PDF each, about ``--size`` KiB) while a receiving
office (a process) takes them as the connector's pull does: list what arrived, the bytes
(native: inline, ``multipart/mixed``; VDXP: one ``downloadEdoc`` each), acknowledge (native:
one bulk ack per batch; VDXP: ``updateStatus done`` each), and after a batch with nothing it
waits ``--idle`` seconds. Each phase reports documents per second accepted (until the last
send answered) and delivered (until the last ack), both from the phase's start, and the run prints VDXP's rates as a ratio of the
native ones (the goal: at least 0.8), and the CPU each document cost the hub, its database
(the backends serving it) and the two offices. Nothing lost: every package accepted once and
acknowledged once.

Run: ``.venv/bin/python bench/vdxp_bench.py [--packages 300] [--rounds 2]`` (``DATABASE_URL``
names the PostgreSQL server to use; default ``postgresql://postgres@127.0.0.1:5432/postgres``;
databases are created and dropped).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # testkit/, beside the tests
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the hub bench's /proc readers

from hub_bench import cpu_seconds, server_pids  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")

NATIVE_SENDER, NATIVE_RECEIVER = "000.00.02.H99", "000.00.04.H99"
VDXP_SENDER, VDXP_RECEIVER = "000.00.03.H99", "000.00.05.H99"
AGENCIES = [NATIVE_SENDER, NATIVE_RECEIVER, VDXP_SENDER, VDXP_RECEIVER]
LIMIT = 100  # items a pull asks for, as the connector does


def make_packages(work: Path, count: int, size_kib: int, tag: str) -> tuple[Path, dict[str, list[bytes]]]:
    """``count`` signed envelopes from each sender to its receiver (one sealed PDF, padded)."""
    from testkit import hub as testing
    from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

    pki_dir = work / "pki"
    pki = TestPKI.load(pki_dir) if (pki_dir / "root.pem").exists() else TestPKI.create(pki_dir, now=_pki_time())
    certs = {c: pki.issue_agency(c, f"Cơ quan {c}", "ec-p256", years=20) for c in (NATIVE_SENDER, VDXP_SENDER)}
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(certs[NATIVE_SENDER]))
    pad = max(0, int((size_kib * 1024 - len(pdf) * 4 / 3 - 4000) * 3 / 4))
    out: dict[str, list[bytes]] = {}
    for sender, receiver in ((NATIVE_SENDER, NATIVE_RECEIVER), (VDXP_SENDER, VDXP_RECEIVER)):
        out[sender] = [
            testing.signed(
                testing.envelope(sender, [receiver], 10_000 + i, pdf=pdf, padding=pad, notation=f"{tag}-VP"),
                certs[sender],
            )
            for i in range(count)
        ]
    return pki_dir / "root.pem", out


def _pki_time() -> datetime:
    return datetime(2025, 6, 1, tzinfo=UTC)


def _transport(protocol: str, hub_url: str, credential: dict, code: str):
    from vanban.connector.transports import NativeTransport, VdxpTransport

    if protocol == "vdxp":
        return VdxpTransport(hub_url + "vdxp", credential["systemid"], credential["secret"], code)
    return NativeTransport(hub_url + "hub/v1/", credential["token"])


def sender_proc(protocol, hub_url, credential, code, packages, concurrency, out) -> None:
    """One sending office: ``concurrency`` threads, each its own kept connection, one package
    at a time, through the connector's transport."""
    import threading

    lock = threading.Lock()
    todo = iter(packages)
    answers: dict[str, int] = {}

    def work() -> None:
        hub = _transport(protocol, hub_url, credential, code)
        while True:
            with lock:
                data = next(todo, None)
            if data is None:
                return
            sent = hub.send_package(data)
            key = "accepted" if sent.accepted else sent.code
            with lock:
                answers[key] = answers.get(key, 0) + 1

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(("sent", time.time(), answers, time.process_time()))


def receiver_proc(protocol, hub_url, credential, code, expect, idle, out) -> None:
    """One receiving office, pulling as :func:`vanban.connector.inbox.pull` does (without
    the arrival pipeline, which is the same for both protocols): list, bytes, ack."""
    hub = _transport(protocol, hub_url, credential, code)
    seen: set[str] = set()
    doubles = 0
    start = time.perf_counter()
    deadline = start + 600
    while len(seen) < expect and time.perf_counter() < deadline:
        after = None
        got = 0
        while True:
            batch = hub.arrivals(after=after, limit=LIMIT)
            done = []
            for item in batch.items:
                data = item.data if item.data is not None else hub.fetch(item.package_id)
                assert data.startswith(b"<?xml"), data[:80]
                done.append(item.package_id)
            hub.ack(done)
            for pid in done:
                doubles += pid in seen
                seen.add(pid)
            got += len(done)
            if len(batch.items) < LIMIT:
                break
            after = batch.items[-1].cursor
        if not got:
            time.sleep(idle)
    out.put(("received", time.time(), len(seen), doubles, time.process_time()))


def phase(protocol: str, hub, credentials: dict, packages: dict, args) -> dict:
    sender, receiver = (VDXP_SENDER, VDXP_RECEIVER) if protocol == "vdxp" else (NATIVE_SENDER, NATIVE_RECEIVER)
    todo = packages[sender]
    out: mp.Queue = mp.Queue()
    procs = [
        mp.Process(
            target=sender_proc,
            args=(protocol, hub.url, credentials[sender], sender, todo, args.send_concurrency, out),
        ),
        mp.Process(
            target=receiver_proc,
            args=(protocol, hub.url, credentials[receiver], receiver, len(todo), args.idle, out),
        ),
    ]
    pids = server_pids(hub.proc.pid)
    dbname = hub.database_url.rpartition("/")[2]
    cpu = sum(cpu_seconds(p) for p in pids)
    db_before = _alive_cpu(database_pids(dbname))
    started = time.time()  # both rates from here: the last document answered, the last one acknowledged
    for p in procs:
        p.start()
    results = {r[0]: r for r in (out.get() for _ in procs)}
    for p in procs:
        p.join()
    cpu = sum(cpu_seconds(p) for p in pids) - cpu
    db_cpu = sum(c - db_before.get(p, 0.0) for p, c in _alive_cpu(database_pids(dbname)).items())
    _, sent_at, answers, sender_cpu = results["sent"]
    _, received_at, received, doubles, receiver_cpu = results["received"]
    send_time, receive_time = sent_at - started, received_at - started
    return {
        "sent_per_s": len(todo) / send_time,
        "delivered_per_s": received / receive_time,
        "answers": answers,
        "received": received,
        "doubles": doubles,
        "hub_cpu_ms": cpu / len(todo) * 1000,
        "db_cpu_ms": db_cpu / len(todo) * 1000,
        "office_cpu_ms": (sender_cpu + receiver_cpu) / len(todo) * 1000,
    }


def database_pids(dbname: str) -> list[int]:
    """The PostgreSQL backends serving ``dbname`` (the hub keeps its connections open; one
    opened during a phase counts whole, one closed during it is missed)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text.startswith("postgres: ") and f" {dbname} " in text:
            found.append(int(cmdline.parent.name))
    return found


def _alive_cpu(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            out[pid] = cpu_seconds(pid)
        except OSError:
            continue  # closed meanwhile: its time is not counted
    return out


def credentials_for(hub) -> dict:
    """A native token for the native pair, a VDXP system id and secret for the VDXP pair."""
    from testkit import hub as testing

    out: dict = {c: {"token": testing.issue_token(hub, c)} for c in (NATIVE_SENDER, NATIVE_RECEIVER)}
    for code in (VDXP_SENDER, VDXP_RECEIVER):
        out[code] = json.loads(hub.cli("hub", "systems", "issue", code, "--json"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=300, help="envelopes per protocol and round (default 300)")
    parser.add_argument("--rounds", type=int, default=2, help="native then VDXP, this many times (default 2)")
    parser.add_argument("--size", type=int, default=100, help="envelope size in KiB (default 100)")
    parser.add_argument("--send-concurrency", type=int, default=4, help="sending threads of the office (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads of each hub process (default 4)")
    parser.add_argument("--hub-processes", type=int, default=2, help="hub server processes (default 2)")
    parser.add_argument(
        "--idle", type=float, default=0.25, help="seconds a receiver waits after an empty pull (default 0.25)"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="VANBAN_DB_CONN_MAX_AGE of the hub (default 60, as a hub should run and as bench/hub_bench.py "
        "runs it; 0 = a new database connection per request, which costs VDXP most: a request per package)",
    )
    args = parser.parse_args()
    import django

    django.setup()
    from testkit import hub as testing

    with tempfile.TemporaryDirectory(prefix="vdxp-bench-") as tmp:
        work = Path(tmp)
        print(f"building {args.packages * args.rounds} signed envelopes per protocol ...", flush=True)
        made = [make_packages(work, args.packages, args.size, f"R{r}") for r in range(args.rounds)]
        root, rounds = made[0][0], [packages for _, packages in made]
        size = statistics.mean(len(d) for d in rounds[0][NATIVE_SENDER])
        print(f"envelope size: {size / 1024:.0f} KiB", flush=True)
        hub = testing.Node(
            "vdxp-bench-hub",
            work,
            "hub",
            env={"VANBAN_TRUST_ROOTS": str(root), "VANBAN_DB_CONN_MAX_AGE": str(args.conn_max_age)},
        )
        try:
            testing.prepare(hub, [(c, f"Cơ quan {c}") for c in AGENCIES])
            credentials = credentials_for(hub)
            hub.start(threads=args.threads, processes=args.hub_processes)
            figures: dict[str, list[dict]] = {"native": [], "vdxp": []}
            for r, packages in enumerate(rounds):
                for protocol in ("native", "vdxp"):
                    f = phase(protocol, hub, credentials, packages, args)
                    figures[protocol].append(f)
                    print(
                        f"round {r + 1} {protocol:6}: sent {f['sent_per_s']:6.1f}/s, delivered "
                        f"{f['delivered_per_s']:6.1f}/s, CPU ms/document hub {f['hub_cpu_ms']:.1f} "
                        f"database {f['db_cpu_ms']:.1f} offices {f['office_cpu_ms']:.1f}, "
                        f"answers {f['answers']}, received {f['received']}, seen twice {f['doubles']}",
                        flush=True,
                    )
            stored = testing.django_shell(
                hub,
                "from vanban.exchange.models import Package, Delivery; "
                "print(Package.objects.count(), Delivery.objects.filter(state='acked').count())",
            )
        finally:
            hub.close()
    total = 2 * args.packages * args.rounds
    print(f"hub rows (packages, acked deliveries): {stored}; nothing lost: {stored.split() == [str(total)] * 2}")
    cpu_native = statistics.median(f["hub_cpu_ms"] for f in figures["native"])
    cpu_vdxp = statistics.median(f["hub_cpu_ms"] for f in figures["vdxp"])
    print(f"hub CPU  : native {cpu_native:.1f} ms/document, VDXP {cpu_vdxp:.1f} ms/document (sent and delivered)")
    for key, label in (("db_cpu_ms", "database"), ("office_cpu_ms", "offices")):
        native_ms = statistics.median(f[key] for f in figures["native"])
        vdxp_ms = statistics.median(f[key] for f in figures["vdxp"])
        print(f"{label:9}: native {native_ms:.1f} ms/document, VDXP {vdxp_ms:.1f} ms/document (CPU)")
    for what in ("sent_per_s", "delivered_per_s"):
        native = statistics.median(f[what] for f in figures["native"])
        vdxp = statistics.median(f[what] for f in figures["vdxp"])
        label = "sent" if what == "sent_per_s" else "delivered"
        print(
            f"{label:9}: native {native:6.1f} documents/s, VDXP {vdxp:6.1f} documents/s, "
            f"ratio {vdxp / native:.2f} (goal >= 0.80)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
