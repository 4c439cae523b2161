"""A province in processes for the fault tests (tests/faults; not used by the app): one hub
and four offices, each office one agency with its ``vanban serve``, ``vanban worker`` and a
clerk process (:mod:`testkit.clerk`) that registers what arrives.

The offices reach the hub through a :class:`~testkit.faultproxy.FaultProxy` (``hub_proxy``)
and, when ``DATABASE_URL`` is PostgreSQL, every process reaches PostgreSQL through another
(``db_proxy``): a test cuts, slows or breaks either while documents flow, and
:meth:`Cluster.check` compares the end state with what was sent. Start it once per module:
starting five installations is most of a fault test's time.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from testkit import hub as testing
from testkit.faultproxy import FaultProxy

__all__ = ["AGENCIES", "Cluster", "Office", "Sent", "fault_docs", "report"]

REPO = Path(__file__).resolve().parents[1]
AGENCIES = [
    ("000.00.02.H99", "Sở Nội vụ"),
    ("000.00.03.H99", "Sở Khoa học và Công nghệ"),
    ("000.00.04.H99", "Sở Tài chính"),
    ("000.00.20.H99", "Ủy ban nhân dân xã Đông Hòa"),
]
FAST = {
    "VANBAN_CONNECTOR_PULL_SECONDS": "0.5",
    "VANBAN_CONNECTOR_FLUSH_SECONDS": "0.5",
    "VANBAN_CONNECTOR_BACKOFF_MAX": "2",
    "VANBAN_CONNECTOR_LEASE_SECONDS": "8",
    "VANBAN_CONNECTOR_LONG_POLL": "2",
    "VANBAN_REGISTRY_SYNC_SECONDS": "0.5",
}
PASSWORD = "mat-khau-thu-nghiem-2026"


def fault_docs(default: int) -> int:
    """How many documents a fault test sends: ``$VANBAN_FAULT_DOCS`` (the big run) or ``default``."""
    try:
        return int(os.environ.get("VANBAN_FAULT_DOCS") or default)
    except ValueError:
        return default


def report(name: str, figures: dict) -> None:
    """Print a test's figures on one line (docs/reliability.md quotes them; pytest -s shows them)."""
    print(f"\n[faults] {name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


@dataclass
class Sent:
    """What the tests sent: document id -> (sender code, recipient codes)."""

    docs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def expected_at(self, code: str) -> set[str]:
        return {d for d, (_, to) in self.docs.items() if code in to}

    def expected_statuses(self, code: str) -> set[tuple[str, str, str]]:
        """(document id, from, status) the sender ``code`` must get: 01 (received), 03 (registered)."""
        return {(d, r, s) for d, (frm, to) in self.docs.items() if frm == code for r in to for s in ("01", "03")}


class Office:
    """One office: its node (server + worker) and its clerk process."""

    def __init__(self, node: testing.Node, code: str) -> None:
        self.node, self.code = node, code
        self.clerk: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        self.node.start(port=self.port, threads=2)
        self.port = self.node.port
        self.node.start_worker()
        self.start_clerk()

    def start_clerk(self) -> None:
        env = {
            **self.node.env,
            "DJANGO_SETTINGS_MODULE": "vanban.settings",
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO), self.node.env.get("PYTHONPATH", "")]),
        }
        self.clerk = subprocess.Popen(
            [sys.executable, "-m", "testkit.clerk", self.code, self.clerk_name],
            env=env,
            cwd=str(REPO),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def clerk_name(self) -> str:
        return "vanthu" + self.code.replace(".", "")[-4:].lower()

    def stop(self) -> None:
        if self.clerk is not None and self.clerk.poll() is None:
            self.clerk.kill()
            self.clerk.wait()
        self.node.stop()


def _query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of a node's database read directly (no Django process to start: the end state
    is polled every second)."""
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, connect_timeout=10) as conn:
            return [tuple(r) for r in conn.execute(sql.replace("?", "%s"), params).fetchall()]
    import sqlite3

    conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def _tables() -> dict[str, str]:
    from vanban.connector.models import OutboxItem, ReceivedStatus
    from vanban.directory.models import Agency
    from vanban.registry.models import IncomingDocument

    return {
        "incoming": IncomingDocument._meta.db_table,
        "agency": Agency._meta.db_table,
        "status": ReceivedStatus._meta.db_table,
        "outbox": OutboxItem._meta.db_table,
    }


class Cluster:
    """The hub and four offices, started once; :meth:`close` stops them and drops their databases."""

    def __init__(self, workdir: Path, seed: int = 19) -> None:
        from vanban.signing import TestPKI

        self.workdir = workdir
        self.rng = random.Random(seed)
        self.number = 1000
        self.sent = Sent()
        pki_dir = workdir / "pki"
        pki = TestPKI.create(pki_dir / "ca", now=datetime(2025, 6, 1, tzinfo=UTC))
        self.certs = {code: pki.issue_agency(code, name, "ec-p256", years=20) for code, name in AGENCIES}
        self.p12 = {code: c.write_pkcs12(pki_dir / f"{code}.p12") for code, c in self.certs.items()}
        trust = {"VANBAN_TRUST_ROOTS": str(pki_dir / "ca" / "root.pem")}
        self.db_proxy: FaultProxy | None = None
        if testing.is_postgres():
            server = urllib.parse.urlsplit(testing.base_database_url())
            self.db_proxy = FaultProxy(server.hostname or "127.0.0.1", server.port or 5432)
        self.hub = testing.Node("truc", workdir, "hub", env=trust)
        self.offices = [
            Office(testing.Node(f"vp{i + 1}", workdir, "office", env={**trust, **FAST}), code)
            for i, (code, _) in enumerate(AGENCIES)
        ]
        for node in self.nodes:
            self._through_db_proxy(node)
        self.hub_proxy: FaultProxy | None = None
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    @property
    def nodes(self) -> list[testing.Node]:
        return [self.hub] + [o.node for o in self.offices]

    def _through_db_proxy(self, node: testing.Node) -> None:
        if self.db_proxy is None:
            return
        parts = urllib.parse.urlsplit(node.database_url)
        netloc = (
            f"{parts.username}@127.0.0.1:{self.db_proxy.port}" if parts.username else f"127.0.0.1:{self.db_proxy.port}"
        )
        node.env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(netloc=netloc))

    def _start(self) -> None:
        testing.prepare(self.hub, AGENCIES)  # migrated once, copied to the offices
        for office in self.offices:
            testing.clone_database(self.hub.database_url, office.node.database_url)
        codes = [c for c, _ in AGENCIES]
        tokens = json.loads(
            testing.django_shell(
                self.hub,
                "import json; from vanban.directory.models import Agency; "
                "from vanban.exchange.auth import issue_credential; "
                f"print(json.dumps({{c: issue_credential(None, agency=Agency.objects.get(code=c))[1] for c in {codes!r}}}))",
            )
        )  # one process for the four (as ``vanban hub credentials issue`` does each)
        self.hub.start(threads=8)
        self.hub_port = self.hub.port
        self.hub_proxy = FaultProxy("127.0.0.1", self.hub_port)
        api = f"http://127.0.0.1:{self.hub_proxy.port}/hub/v1/"

        def ready(office: Office) -> None:
            node = office.node
            # as ``vanban connector account set`` does, and the agency's registers and clerk
            testing.django_shell(
                node,
                "from vanban.directory.models import Agency; from vanban.directory import services; "
                "from vanban.registry.setup import ensure_registers; "
                "from vanban.connector.accounts import set_account; "
                f"a = Agency.objects.get(code={office.code!r}); "
                f"set_account(None, a, hub_url={api!r}, token={tokens[office.code]!r}, "
                f"signing_key_path={str(self.p12[office.code])!r}); ensure_registers(a); "
                f"services.create_person(None, username={office.clerk_name!r}, password={PASSWORD!r}, "
                "full_name='Nguyễn Thị Văn Thư', agency=a, unit=None, position='Văn thư', roles=['van-thu']); print('ok')",
            )
            office.start()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(ready, self.offices))

    # -- faults ---------------------------------------------------------------------------

    def restart_hub(self) -> None:
        self.hub.start(port=self.hub_port, threads=8)

    def kill(self, target: str, index: int) -> None:
        """``kill -9`` one process: ``hub``, or an office's ``server``, ``worker`` or ``clerk``."""
        if target == "hub":
            proc = self.hub.proc
        else:
            office = self.offices[index]
            proc = {"server": office.node.proc, "worker": office.node.worker, "clerk": office.clerk}[target]
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def revive(self) -> int:
        """Start again every process of the cluster that is not running; how many."""
        started = 0
        if self.hub.proc is None or self.hub.proc.poll() is not None:
            self.restart_hub()
            started += 1
        for office in self.offices:
            node = office.node
            if node.proc is None or node.proc.poll() is not None:
                node.start(port=office.port, threads=2)
                started += 1
            if node.worker is None or node.worker.poll() is not None:
                node.start_worker()
                started += 1
            if office.clerk is None or office.clerk.poll() is not None:
                office.start_clerk()
                started += 1
        return started

    def dead_workers(self) -> list[str]:
        return [o.code for o in self.offices if o.node.worker is None or o.node.worker.poll() is not None]

    # -- documents --------------------------------------------------------------------------

    def send(self, count: int) -> list[str]:
        """Queue ``count`` signed documents, each from a random office to one to three others
        (``vanban connector enqueue``, one command per sending office); their ids."""
        batches: dict[int, list[Path]] = {}
        ids = []
        folder = self.workdir / "out"
        folder.mkdir(exist_ok=True)
        for _ in range(count):
            self.number += 1
            i = self.rng.randrange(len(self.offices))
            sender = self.offices[i].code
            others = [o.code for o in self.offices if o.code != sender]
            to = tuple(sorted(self.rng.sample(others, self.rng.randint(1, len(others)))))
            env = testing.envelope(sender, list(to), self.number, notation="VP-TN")
            path = folder / f"{self.number}.edxml"
            path.write_bytes(testing.signed(env, self.certs[sender]))
            batches.setdefault(i, []).append(path)
            self.sent.docs[env.document_id] = (sender, to)
            ids.append(env.document_id)

        def enqueue(i: int) -> None:
            files = batches[i]
            for start in range(0, len(files), 200):
                chunk = files[start : start + 200]
                self.offices[i].node.cli("connector", "enqueue", *map(str, chunk), "--agency", self.offices[i].code)

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(enqueue, batches))
        return ids

    # -- the end state ------------------------------------------------------------------------

    def snapshot(self, office: Office) -> dict:
        """What one office holds: its incoming documents, the statuses it got, its outbox."""
        t, url = _tables(), office.node.database_url
        return {
            "docs": _query(
                url,
                f"SELECT d.document_id, d.arrival_number, d.year, d.state FROM {t['incoming']} d "
                f"JOIN {t['agency']} a ON a.id = d.agency_id WHERE a.code = ?",
                (office.code,),
            ),
            "statuses": _query(
                url,
                f"SELECT DISTINCT s.document_id, s.from_code, s.status_code FROM {t['status']} s "
                f"JOIN {t['agency']} a ON a.id = s.agency_id WHERE a.code = ?",
                (office.code,),
            ),
            "outbox": _query(url, f"SELECT state, attempts FROM {t['outbox']}"),
        }

    def settled(self) -> dict | None:
        """Every office's snapshot once all it should have is there (registered, statuses in), else None."""
        shots = {}
        for office in self.offices:
            shot = self.snapshot(office)
            got = {d for d, number, _, _ in shot["docs"] if number}
            statuses = {tuple(s) for s in shot["statuses"]}
            if not self.sent.expected_at(office.code) <= got:
                return None
            if not self.sent.expected_statuses(office.code) <= statuses:
                return None
            if any(state != "sent" for state, _ in shot["outbox"]):
                return None
            shots[office.code] = shot
        return shots

    def wait_settled(self, timeout: float | None = None) -> dict:
        """The snapshots once settled; the bound grows with what was sent (the big run)."""
        timeout = timeout if timeout is not None else max(240.0, 0.5 * len(self.sent.docs))
        return testing.wait_for(
            self.settled, timeout=timeout, every=1.0, what="every document registered and every status back"
        )

    def check(self, shots: dict) -> dict:
        """Assert the end state (each document once in each recipient's register, numbers
        1..n without gap or duplicate, every status back, every audit chain whole); the figures."""
        figures = {"documents": len(self.sent.docs), "deliveries": 0, "duplicates": 0, "statuses": 0, "retries": 0}
        for office in self.offices:
            shot = shots[office.code]
            ids = [d for d, _, _, _ in shot["docs"]]
            expected = self.sent.expected_at(office.code)
            dupes = len(ids) - len(set(ids))
            assert dupes == 0, f"{office.code}: {dupes} documents twice in the register"
            assert set(ids) == expected, (
                f"{office.code}: unexpected {set(ids) - expected}, missing {expected - set(ids)}"
            )
            numbers = sorted(n for _, n, _, _ in shot["docs"])
            assert numbers == list(range(1, len(numbers) + 1)), f"{office.code}: arrival numbers {numbers}"
            statuses = {tuple(s) for s in shot["statuses"]}
            assert self.sent.expected_statuses(office.code) <= statuses
            figures["deliveries"] += len(ids)
            figures["duplicates"] += dupes
            figures["statuses"] += len(self.sent.expected_statuses(office.code))
            figures["retries"] += sum(max(0, attempts - 1) for _, attempts in shot["outbox"])
        with ThreadPoolExecutor(max_workers=5) as pool:
            reports = list(pool.map(lambda node: node.cli("audit", "verify"), self.nodes))  # exit 1 if broken
        for out in reports:
            assert "Nhật ký toàn vẹn" in out, out
        figures["audit_installations_verified"] = len(reports)
        return figures

    def close(self) -> None:
        for office in self.offices:
            office.stop()
        self.hub.stop()
        for proxy in (self.hub_proxy, self.db_proxy):
            if proxy is not None:
                proxy.close()
        for node in self.nodes:
            testing.drop_database(node.database_url)
