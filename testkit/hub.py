"""Test support for the hub and the connector (used by tests/ and bench/; not by the app).

- :func:`envelope`, :func:`status`, :func:`signed`: edXML packages signed with the test PKI;
- :class:`Node`: one ``vanban serve`` process with its own database and files (SQLite file,
  or a fresh PostgreSQL database when the base ``DATABASE_URL`` is PostgreSQL), plus
  ``cli()`` to run ``vanban`` commands against the same state.
"""

from __future__ import annotations

import atexit
import collections
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from vanban.edxml import (
    Attachment,
    Business,
    DocumentCode,
    DocumentType,
    Envelope,
    Organization,
    OtherInfo,
    PromulgationInfo,
    ResponseFor,
    SignerInfo,
    SigningIdentity,
    StatusMessage,
    TraceHeader,
    build,
    sign,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VANBAN = str(Path(sys.executable).parent / "vanban")


def identity(issued) -> SigningIdentity:
    """A :class:`vanban.signing.IssuedCertificate` as an XML-signing identity."""
    return SigningIdentity(issued.key, (issued.cert, *issued.chain))


def envelope(
    sender: str,
    recipients: list[str],
    number: int,
    *,
    pdf: bytes | None = None,
    subject: str = "V/v thử nghiệm trao đổi văn bản",
    business_type: int = 0,
    about: str | None = None,
    notation: str = "UBND-VP",
    padding: int = 0,
    document_id: str | None = None,
) -> Envelope:
    today = dt.datetime.now(VN).date()
    now = dt.datetime.now(VN).replace(tzinfo=None, microsecond=0)
    attachments = []
    if pdf is not None:
        attachments.append(
            Attachment(content_id=f"{number}.pdf", name=f"{number}.pdf", content_type="application/pdf", content=pdf)
        )
    if padding:
        attachments.append(
            Attachment(
                content_id=f"{number}-phu-luc.txt",
                name="phu-luc.txt",
                content_type="text/plain",
                content=os.urandom(padding),
            )
        )
    reasons = {
        0: "Văn bản điện tử mới",
        1: "Thu hồi văn bản điện tử",
        2: "Cập nhật văn bản điện tử",
        3: "Văn bản thay thế",
    }
    return Envelope(
        sender=Organization(organ_id=sender, organ_name=f"Cơ quan {sender}"),
        recipients=[Organization(organ_id=r, organ_name=f"Cơ quan {r}") for r in recipients],
        code=DocumentCode(str(number), notation),
        promulgation_info=PromulgationInfo(place="Thử Nghiệm", promulgation_date=today),
        document_type=DocumentType(type=1, type_detail=18, type_name="Công văn"),
        subject=subject,
        signer_info=SignerInfo(competence="TM. ỦY BAN NHÂN DÂN", position="Chủ tịch", full_name="Nguyễn Văn An"),
        other_info=OtherInfo(priority=0, page_amount=1),
        document_id=document_id or f"{sender},{today:%Y/%m/%d},{number}/{notation}",
        trace_headers=[TraceHeader(organ_id=sender, timestamp=now)],
        business=Business(
            business_doc_type=business_type, document_id=about, business_doc_reason=reasons[business_type], paper=0
        ),
        attachments=attachments,
    )


def status(sender: str, original_sender: str, document_id: str, code: str, description: str = "") -> StatusMessage:
    return StatusMessage(
        sender=Organization(organ_id=sender, organ_name=f"Cơ quan {sender}"),
        response_for=ResponseFor(organ_id=original_sender, document_id=document_id),
        status_code=code,
        description=description or None,
        timestamp=dt.datetime.now(VN).replace(tzinfo=None, microsecond=0),
    )


def signed(pkg, issued) -> bytes:
    return sign(build(pkg), identity(issued))


# --- processes ---------------------------------------------------------------------------------


def base_database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def is_postgres() -> bool:
    return base_database_url().startswith(("postgres://", "postgresql://"))


def create_database(name: str, workdir: Path) -> str:
    """A new empty database for one process: a SQLite file, or a PostgreSQL database on the
    server of ``$DATABASE_URL`` (dropped by :func:`drop_database`)."""
    if not is_postgres():
        return f"sqlite:///{workdir / (name + '.sqlite3')}"
    import psycopg

    base = base_database_url()
    server, _, _ = base.rpartition("/")
    prefix = os.environ.get("VANBAN_TEST_DB_PREFIX") or "vanban_t_"  # several suites on one server
    dbname = f"{prefix}{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    return f"{server}/{dbname}"


def drop_database(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    server, _, dbname = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def clone_database(source: str, target: str) -> None:
    """Make ``target`` a copy of ``source`` (migrated once, used by several nodes): the
    SQLite file copied, or on PostgreSQL ``CREATE DATABASE ... TEMPLATE`` (no session may be
    open on ``source``)."""
    if not source.startswith(("postgres://", "postgresql://")):
        import sqlite3

        src = source.removeprefix("sqlite:///")
        with sqlite3.connect(src) as conn:  # fold the write-ahead log into the file first
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(src, target.removeprefix("sqlite:///"))
        return
    import psycopg

    server, _, src_name = source.rpartition("/")
    dst_name = target.rpartition("/")[2]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dst_name}"')
        conn.execute(f'CREATE DATABASE "{dst_name}" TEMPLATE "{src_name}"')


_templates: dict[str, str] = {}
_templates_lock = threading.Lock()


def _run_migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--settings=vanban.settings", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )


def migrated_template(env: dict[str, str]) -> str:
    """A database on the server of ``$DATABASE_URL`` (or a SQLite file) migrated once in this
    process and copied for each node (a few seconds of CPU each saved); dropped at exit.
    Migrations read no environment, so one copy serves hubs and offices alike."""
    key = base_database_url() if is_postgres() else "sqlite"
    with _templates_lock:
        if key not in _templates:
            workdir = Path(tempfile.mkdtemp(prefix="vanban-template-"))
            url = create_database("template", workdir)
            _run_migrate({**env, "DATABASE_URL": url, "VANBAN_VAR_DIR": str(workdir)})
            atexit.register(drop_database, url)
            atexit.register(shutil.rmtree, workdir, True)
            _templates[key] = url
        return _templates[key]


class Node:
    """One installation (hub or office): its own database, files and environment."""

    def __init__(self, name: str, workdir: Path, role: str, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.role = role
        self.dir = workdir / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.database_url = create_database(name, workdir)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("VANBAN_") and k != "DATABASE_URL"}
        self.env.update(
            {
                "DATABASE_URL": self.database_url,
                "VANBAN_VAR_DIR": str(self.dir),
                "VANBAN_ROLE": role,
                "VANBAN_HUB_CODE": name,
                "VANBAN_LOG_LEVEL": "WARNING",
            }
        )
        self.env.update(env or {})
        self.proc: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.url = ""

    @property
    def api(self) -> str:
        return self.url + "hub/v1/"

    def cli(self, *args: str, check: bool = True, input: str | None = None) -> str:
        done = subprocess.run([VANBAN, *args], env=self.env, capture_output=True, text=True, input=input, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"vanban {' '.join(args)} ({self.name}) failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def migrate(self) -> None:
        """Bring the node's database to the current migrations: a copy of a database this
        process migrated once (:func:`migrated_template`), as ``migrate`` would leave it."""
        template = migrated_template(self.env)
        with _templates_lock:  # one copy at a time from the template (PostgreSQL asks it)
            clone_database(template, self.database_url)

    def start(self, port: int = 0, threads: int = 8, processes: int = 1, args: tuple[str, ...] = ()) -> str:
        self.proc = subprocess.Popen(
            [
                VANBAN,
                "serve",
                "--role",
                self.role,
                "--port",
                str(port),
                "--threads",
                str(threads),
                "--processes",
                str(processes),
                *args,
            ],
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"đang phục vụ tại (http://127\.0\.0\.1:\d+/)", line)
            if m:
                self.url = m.group(1)
                # keep reading what the server prints: a full pipe would block its logging
                # (waitress warns about queue depth under load) and with it the server
                self.output = collections.deque(lines, maxlen=200)
                threading.Thread(target=self._drain, args=(self.proc, self.output), daemon=True).start()
                return self.url
        self.proc.kill()
        raise RuntimeError(f"{self.name} did not start:\n" + "".join(lines))

    @staticmethod
    def _drain(proc: subprocess.Popen, keep: collections.deque) -> None:
        for line in proc.stdout:
            keep.append(line)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def start_worker(self) -> None:
        """Start ``vanban worker``; what it logs goes to :attr:`worker_log` (see :meth:`tail`)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.worker_log, "ab") as log:
            self.worker = subprocess.Popen(
                [VANBAN, "worker", "--interval", "0.2"], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    @property
    def worker_log(self) -> Path:
        return self.dir / "worker.log"

    def tail(self, lines: int = 60) -> str:
        """The last lines the server printed and the worker logged: what a failed test shows."""
        parts = []
        served = list(getattr(self, "output", ()))[-lines:]
        if served:
            parts.append(f"--- {self.name}: vanban serve ---\n" + "".join(served))
        if self.worker_log.exists():
            logged = self.worker_log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            parts.append(f"--- {self.name}: vanban worker ---\n" + "\n".join(logged))
        return "\n".join(parts)

    def stop(self, kill: bool = False) -> None:
        for proc in (self.worker, self.proc):
            if proc is None or proc.poll() is not None:
                continue
            if kill:
                proc.kill()
            else:
                proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.proc = self.worker = None

    def close(self) -> None:
        self.stop()
        drop_database(self.database_url)


def directory_csv(path: Path, agencies: list[tuple[str, str]]) -> Path:
    """An import file for ``vanban directory import``: (code, name) rows at province level."""
    lines = ["ma_dinh_danh,ten,cap"] + [f"{code},{name},tinh" for code, name in agencies]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepare(node: Node, agencies: list[tuple[str, str]]) -> None:
    """Migrate the node's database and load the agencies into its directory."""
    node.migrate()
    node.cli("directory", "import", str(directory_csv(node.dir / "agencies.csv", agencies)))


def issue_token(node: Node, code: str, *, peer: bool = False) -> str:
    args = ["hub", "credentials", "issue", code] + (["--peer"] if peer else [])
    return node.cli(*args).strip().splitlines()[-1]


def wait_for(predicate, timeout: float = 60.0, every: float = 0.3, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def django_shell(node: Node, code: str) -> str:
    """Run Python in the node's Django (``python -m django shell -c``); its last output line."""
    done = subprocess.run(
        [sys.executable, "-m", "django", "shell", "--settings=vanban.settings", "-c", code],
        env=node.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ""  # the shell may print a banner first
