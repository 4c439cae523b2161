"""Benchmark: the hub accepting and delivering 100 KB signed envelopes (one sealed PDF each)
over HTTP, hub on PostgreSQL, against the floor measured in the same run.

- **floor**: a bare loop in this process doing only what durability and trust need per
  package: XML-signature verification (``vanban.edxml.verify``), one INSERT committed in
  PostgreSQL, the file written and fsynced;
- **throughput**: 2 sending offices (processes) post as fast as they can, each with
  ``--send-concurrency`` requests in flight (an office running that many workers), while 2
  receiving offices (processes) pull as the connector does: the inbox with content
  (``multipart/mixed``: the bytes as they are), 100
  packages a request, one bulk ack per batch, a pause after a partial batch
  (``--receiver per-package``: inbox -> fetch -> ack each); packages/s accepted durably
  (202) and delivered (acked), and how it compares to the floor. Offices keep their
  connections open between requests, as the connector's client does
  (``--connection-per-request`` to open one for each);
- **latency**: senders paced at ``--rate`` packages/s in total, p50/p99 of POST latency;
- **RSS** and **CPU** of the hub (``--hub-processes`` server processes, default 2 on this
  2-core machine; summed); **nothing lost**: every package acked exactly once, rows in the
  hub database equal to packages sent.

Run: ``.venv/bin/python bench/hub_bench.py [--packages 1000] [--rate 100] [--seconds 10]``
(``DATABASE_URL`` names the PostgreSQL server to use; default
``postgresql://postgres@127.0.0.1:5432/postgres``; databases are created and dropped).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # testkit/, beside the tests

os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")

SENDERS = ["000.00.02.H99", "000.00.03.H99"]
RECEIVERS = ["000.00.04.H99", "000.00.05.H99"]
TARGET_SIZE = 100 * 1024
LIMIT = 100  # packages per inbox request, as the connector asks


def make_packages(work: Path, count: int, tag: str):
    from testkit import hub as testing
    from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf

    pki_dir = work / "pki"
    if (pki_dir / "root.pem").exists():
        pki = TestPKI.load(pki_dir)
    else:
        pki = TestPKI.create(pki_dir, now=datetime(2025, 6, 1, tzinfo=UTC))
    certs = {c: pki.issue_agency(c, f"Cơ quan {c}", "ec-p256", years=20) for c in SENDERS}
    pdf = seal_pdf(make_sample_pdf().pdf, KeyFileSigner(certs[SENDERS[0]]))
    pad = max(0, int((TARGET_SIZE - len(pdf) * 4 / 3 - 4000) * 3 / 4))
    packages: dict[str, list[bytes]] = {s: [] for s in SENDERS}
    for i in range(count):
        sender = SENDERS[i % 2]
        env = testing.envelope(
            sender,
            [RECEIVERS[i % 2], RECEIVERS[(i + 1) % 2]][:1],
            10_000 + i,
            pdf=pdf,
            padding=pad,
            notation=f"{tag}-VP",
        )
        packages[sender].append(testing.signed(env, certs[sender]))
    return pki_dir / "root.pem", packages


def floor(root: Path, packages: list[bytes], work: Path) -> float:
    """verify + INSERT (committed) + fsynced file, in a bare loop."""
    import hashlib

    import psycopg

    from testkit import hub as testing
    from vanban.edxml import verify

    url = testing.create_database("floor", work)
    try:
        files = work / "floor-files"
        files.mkdir()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "CREATE TABLE p (id bigserial primary key, sha text unique, sender text, "
                "doc text, received timestamptz default now())"
            )
            start = time.perf_counter()
            for data in packages:
                result = verify(data, root)
                assert result.valid
                sha = hashlib.sha256(data).hexdigest()
                path = files / sha
                with open(path, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                conn.execute(
                    "INSERT INTO p (sha, sender, doc) VALUES (%s, %s, %s)", (sha, result.sender_organ_id, sha[:10])
                )
            elapsed = time.perf_counter() - start
    finally:
        testing.drop_database(url)
    return len(packages) / elapsed


def _conn(api: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(api)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=60), parts.path


def sender_proc(
    api: str, token: str, packages: list[bytes], rate: float, concurrency: int, keep_alive: bool, out: mp.Queue
) -> None:
    """One sending office: ``concurrency`` connections, each one request at a time (an
    office whose outbox is sent by that many ``vanban worker`` threads or processes)."""
    import threading

    latencies, codes = [], {}
    lock = threading.Lock()
    todo = iter(enumerate(packages))
    start = time.perf_counter()

    def connection() -> None:
        conn, base = _conn(api)
        while True:
            if not keep_alive:
                conn.close()  # a new connection for each package
            with lock:
                i, data = next(todo, (None, b""))
            if i is None:
                return
            if rate:
                delay = start + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            t0 = time.perf_counter()
            conn.request(
                "POST",
                base + "packages",
                body=data,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"},
            )
            resp = conn.getresponse()
            resp.read()
            with lock:
                latencies.append(time.perf_counter() - t0)
                codes[resp.status] = codes.get(resp.status, 0) + 1

    threads = [threading.Thread(target=connection) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(("sent", time.perf_counter() - start, latencies, codes))


def receiver_proc(api: str, token: str, expect: int, batch: bool, idle: float, out: mp.Queue) -> None:
    """Take what waits until ``expect`` packages are acked: like the connector, the inbox with
    the packages' bytes (multipart/mixed) and one bulk ack per batch (``batch``), or the per-package protocol
    (inbox, then fetch and ack each). As the connector's pull does, a full batch is followed
    at once by the next; after a partial one the office waits ``idle`` seconds (the
    connector: its pull interval, 10 s by default)."""
    from vanban.transport import multipart

    conn, base = _conn(api)
    headers = {"Authorization": f"Bearer {token}"}
    acked, seen = 0, set()
    doubles = 0
    start = time.perf_counter()
    deadline = start + 600
    while acked < expect and time.perf_counter() < deadline:
        if batch:  # as the connector asks: the packages' bytes as they are
            conn.request(
                "GET",
                base + f"inbox/content?limit={LIMIT}",
                headers={**headers, "Accept": "multipart/mixed, application/json;q=0.5"},
            )
            resp = conn.getresponse()
            parts = multipart.decode(resp.getheader("Content-Type"), resp.read())
            items = json.loads(parts[0][1])["items"]
            assert [len(body) for _, body in parts[1:]] == [item["size"] for item in items]
        else:
            conn.request("GET", base + f"inbox?limit={LIMIT}", headers=headers)
            items = json.loads(conn.getresponse().read())["items"]
        if not items:
            time.sleep(idle)
            continue
        if batch:
            conn.request(
                "POST",
                base + "acks",
                body=json.dumps({"ids": [i["package_id"] for i in items]}),
                headers={**headers, "Content-Type": "application/json"},
            )
            conn.getresponse().read()
        for item in items:
            pid = item["package_id"]
            if not batch:
                conn.request("GET", base + f"packages/{pid}", headers=headers)
                conn.getresponse().read()
                conn.request("POST", base + f"packages/{pid}/ack", headers=headers)
                conn.getresponse().read()
            if pid in seen:
                doubles += 1
            else:
                seen.add(pid)
                acked += 1
        if len(items) < LIMIT:
            time.sleep(idle)
    out.put(("received", time.perf_counter() - start, acked, doubles))


def rss_kib(pid: int) -> tuple[int, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def server_pids(pid: int) -> list[int]:
    """The server process, or with ``--processes`` its children (the parent only waits)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children] or [pid]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_hub(
    work: Path, root: Path, packages: dict[str, list[bytes]], rate: float, receivers: bool, args: argparse.Namespace
):
    from testkit import hub as testing

    hub = testing.Node(
        "bench-hub",
        work,
        "hub",
        env={"VANBAN_TRUST_ROOTS": str(root), "VANBAN_DB_CONN_MAX_AGE": str(args.conn_max_age)},
    )
    try:
        testing.prepare(hub, [(c, f"Cơ quan {c}") for c in SENDERS + RECEIVERS])
        tokens = {c: testing.issue_token(hub, c) for c in SENDERS + RECEIVERS}
        hub.start(threads=args.threads, processes=args.hub_processes)
        apis = [hub.api]
        out: mp.Queue = mp.Queue()
        procs = [
            mp.Process(
                target=sender_proc,
                args=(
                    apis[i % len(apis)],
                    tokens[s],
                    packages[s],
                    rate / 2 if rate else 0,
                    args.send_concurrency,
                    not args.connection_per_request,
                    out,
                ),
            )
            for i, s in enumerate(SENDERS)
        ]
        expect = dict.fromkeys(RECEIVERS, 0)
        for i in range(sum(len(p) for p in packages.values())):
            expect[RECEIVERS[i % 2]] += 1
        if receivers:
            procs += [
                mp.Process(
                    target=receiver_proc,
                    args=(apis[i % len(apis)], tokens[r], expect[r], args.receiver == "batch", args.idle, out),
                )
                for i, r in enumerate(RECEIVERS)
            ]
        pids = server_pids(hub.proc.pid)
        cpu0 = sum(cpu_seconds(p) for p in pids)
        start = time.perf_counter()
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        total = time.perf_counter() - start
        cpu = sum(cpu_seconds(p) for p in pids) - cpu0
        for p in procs:
            p.join()
        rss, peak = (sum(v) for v in zip(*(rss_kib(p) for p in pids)))
        stored = testing.django_shell(
            hub,
            "from vanban.exchange.models import Package, Delivery; "
            "print(Package.objects.count(), Delivery.objects.filter(state='acked').count())",
        )
        return results, total, rss, peak, stored, cpu
    finally:
        hub.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4, help="waitress threads of each hub process (default 4)")
    parser.add_argument(
        "--hub-processes",
        type=int,
        default=2,
        help="hub server processes (`vanban serve --processes N`; default 2, one per core "
        "of the 2-core machine; RSS and CPU are the sums over them)",
    )
    parser.add_argument(
        "--send-concurrency",
        type=int,
        default=4,
        help="requests each sending office has in flight (default 4: an office running "
        "4 workers; 1 = one package after another)",
    )
    parser.add_argument(
        "--receiver",
        choices=["batch", "per-package"],
        default="batch",
        help="how the receiving offices take packages: as the connector does, the inbox "
        "with content and one bulk ack per batch (default), or inbox + fetch + ack each",
    )
    parser.add_argument(
        "--idle",
        type=float,
        default=0.25,
        help="seconds a receiving office waits after a batch smaller than the limit (default "
        "0.25; the connector pulls every VANBAN_CONNECTOR_PULL_SECONDS, 10 by default)",
    )
    parser.add_argument(
        "--connection-per-request",
        action="store_true",
        help="sending offices open a new connection for each package (default: they keep "
        "it open, as the connector's client does)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="VANBAN_DB_CONN_MAX_AGE of the hub: seconds a database connection is kept "
        "(default 60, as a hub should run; 0 = a new connection per request)",
    )
    args = parser.parse_args()
    import django

    django.setup()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        work = Path(tmp)
        print(f"building {args.packages} signed envelopes ...", flush=True)
        root, packages = make_packages(work, args.packages, "TP")
        flat = [d for pair in zip(*packages.values()) for d in pair]
        size = statistics.mean(len(d) for d in flat)
        print(f"envelope size: {size / 1024:.0f} KiB", flush=True)
        floor_rate = floor(root, flat, work)
        print(f"floor (verify + INSERT + fsync file, bare loop): {floor_rate:.0f} packages/s", flush=True)

        results, total, rss, peak, stored, cpu = run_hub(work / "t", root, packages, 0, True, args)
        sent = [r for r in results if r[0] == "sent"]
        recv = [r for r in results if r[0] == "received"]
        send_time = max(r[1] for r in sent)
        codes: dict = {}
        for r in sent:
            for k, v in r[3].items():
                codes[k] = codes.get(k, 0) + v
        acked = sum(r[2] for r in recv)
        doubles = sum(r[3] for r in recv)
        accept_rate = args.packages / send_time
        deliver_rate = acked / max(r[1] for r in recv)
        print(
            f"accepted durably: {accept_rate:.0f} packages/s ({accept_rate / floor_rate:.2f} of the floor) "
            f"answers {codes}"
        )
        how = "inbox with content -> bulk ack" if args.receiver == "batch" else "inbox -> fetch -> ack each"
        print(
            f"delivered ({how}, concurrently with sending): {deliver_rate:.0f} packages/s, "
            f"{acked} acked, {doubles} seen twice, total {total:.1f} s"
        )
        print(
            f"hub rows (packages, acked deliveries): {stored}; nothing lost: "
            f"{stored.split() == [str(args.packages), str(args.packages)]}"
        )
        print(
            f"hub RSS: {rss / 1024:.0f} MiB at the end, peak {peak / 1024:.0f} MiB; hub CPU "
            f"{cpu / args.packages * 1000:.1f} ms per package accepted and delivered "
            f"({cpu / total:.0%} of one core over the run)"
        )

        n = int(args.rate * args.seconds)
        print(f"latency run: {n} envelopes paced at {args.rate:.0f}/s ...", flush=True)
        _, paced = make_packages(work, n, "LT")
        results, total, rss, peak, stored, _ = run_hub(work / "l", root, paced, args.rate, False, args)
        lat = sorted(x for r in results for x in r[2])
        p50 = lat[len(lat) // 2] * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        print(
            f"latency at {args.rate:.0f} packages/s: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
            f"(max {lat[-1] * 1000:.1f} ms); hub RSS peak {peak / 1024:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
