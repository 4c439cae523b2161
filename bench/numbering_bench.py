"""Benchmark of numbering across the agencies of one installation (a province hosting every
agency): ``--workers`` processes, each with its own database connection, number signed
outgoing documents (cấp số: document row lock, register series lock, register entry, state
change, audit event) spread over ``--agencies`` agencies, against a bare insert loop (one
row per transaction into a table, the same number of processes) in the same run.

Prints numbers/second, the ratio to the bare loop, and the check that each register's
numbers are exactly 1..N (no gap, no duplicate); the audit append alone (one event on the
worker's agency's chain per transaction, the same processes: what the chains cost and
whether they make agencies wait for each other); what the workers' backends were
doing (sampled: running, waiting for a lock, for the WAL flush of a commit, ...) and that
every audit chain verifies.
Goal: at least 200 numbers/s with 8 workers over 8 agencies on PostgreSQL.

``--spread own`` (default): worker i numbers the documents of agency i (each agency has
its own clerk; only what the agencies share could make them wait on each other).
``--spread mixed``: every worker numbers documents of every agency, so workers also wait
on each other's register series lock (the lock that makes the numbers 1..N).

Run: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/vanban_bench .venv/bin/python
bench/numbering_bench.py [--docs 2000] [--workers 8] [--agencies 8] [--spread own|mixed]``
(a ``test_`` copy of the database is created and dropped). PostgreSQL only: SQLite
serialises every writer by design, there is nothing concurrent to measure.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path


def _worker(barrier, job, chunk, clerk_user_id) -> None:
    """A child process (forked): its own connection, wait for the others, run the job."""
    from django.db import connections

    connections.close_all()  # never share the parent's socket
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection

        connection.ensure_connection()
        user = get_user_model().objects.select_related("person").get(pk=clerk_user_id) if clerk_user_id else None
        barrier.wait()
        job(chunk, user)
    except BaseException:  # noqa: BLE001 - reported through the exit code
        traceback.print_exc()
        os._exit(1)
    finally:
        connections.close_all()
    os._exit(0)


def _bare(chunk, _user) -> None:
    from django.db import transaction

    from vanban.registry.models import StateChange

    for pk in chunk:
        with transaction.atomic():
            StateChange.objects.create(document_id=pk, action="bench", old_state="x", new_state="y", actor_name="bench")


def _audit_only(chunk, user) -> None:
    """What the audit chain alone costs: one event on the agency's chain per transaction."""
    from django.db import transaction

    from vanban.audit import AuditAction, record

    agency = user.person.agency
    for pk in chunk:
        with transaction.atomic():
            record(user, AuditAction.OUTGOING_NUMBERED, agency, after={"document": pk})


def _numbering(chunk, user) -> None:
    from vanban.registry.models import OutgoingDocument
    from vanban.registry.services import number_document

    for pk, clerk in chunk:
        number_document(clerk or user, OutgoingDocument(pk=pk))


class _WaitSampler:
    """What the workers' backends are doing, sampled from ``pg_stat_activity`` every 20 ms
    on a connection of its own: the share of samples in which a backend waits for a lock
    (another transaction's row lock: the numbering or audit head row), and for which."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        import psycopg
        from django.db import connection

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as conn:
            while not self._stop.is_set():
                rows = conn.execute(
                    "SELECT COALESCE(wait_event_type, 'CPU') || ':' || COALESCE(wait_event, state), count(*) "
                    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend' AND state <> 'idle' GROUP BY 1"
                ).fetchall()
                for what, n in rows:
                    self.counts[what] = self.counts.get(what, 0) + n
                self.samples += 1
                self._stop.wait(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        total = sum(self.counts.values()) or 1
        top = sorted(self.counts.items(), key=lambda kv: -kv[1])[:4]
        return ", ".join(f"{what} {100 * n / total:.0f}%" for what, n in top)


def _run(ctx, job, chunks, users, sampler=None) -> float:
    """Fork one process per chunk, release them together, time until the last ends."""
    from django.db import connections

    connections.close_all()
    barrier = ctx.Barrier(len(chunks) + 1)
    procs = [ctx.Process(target=_worker, args=(barrier, job, c, u)) for c, u in zip(chunks, users)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    with sampler or contextlib.nullcontext():
        for p in procs:
            p.join()
    elapsed = time.perf_counter() - start
    failed = [p.exitcode for p in procs if p.exitcode != 0]
    if failed:
        raise SystemExit(f"{len(failed)} worker(s) failed (see the tracebacks above)")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="documents to number in all (default 2000)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--agencies", type=int, default=8)
    parser.add_argument("--spread", choices=["own", "mixed"], default="own")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith(("postgresql://", "postgres://")):
        print(
            "Cần PostgreSQL: đặt DATABASE_URL=postgresql://... (ví dụ "
            "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/vanban_bench).\n"
            "This benchmark needs PostgreSQL: set DATABASE_URL=postgresql://...",
            file=sys.stderr,
        )
        return 2

    os.environ.setdefault("VANBAN_VAR_DIR", tempfile.mkdtemp(prefix="vanban-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    ctx = multiprocessing.get_context("fork")
    try:
        from vanban.audit import verify_chain
        from vanban.directory import services as directory
        from vanban.directory.models import DocumentType, Level
        from vanban.registry.files import store
        from vanban.registry.models import OutgoingDocument, RegisterEntry
        from vanban.registry.setup import ensure_registers
        from vanban.signing import make_sample_pdf

        level = Level.objects.get(code="tinh")
        cong_van = DocumentType.objects.get(code="cong-van")
        # a real PDF (numbering reads the signed file); it has no number fields, so numbering
        # writes nothing into it: this measures the locks, not the PDF stamping done before them
        pdf = store(make_sample_pdf().pdf, "a.pdf", "application/pdf")
        per_agency: list[list[int]] = []
        clerks: list[int] = []
        for a in range(args.agencies):
            agency = directory.create_agency(
                None,
                code=f"000.00.{a + 10:02d}.H77",
                name=f"Sở Đo Lường {a + 1}",
                short_name=f"SĐL{a + 1}",
                level=level,
            )
            unit = directory.create_unit(None, agency, name="Văn phòng Sở", suffix="VP")

            def person(u, n, r, agency=agency, unit=unit, a=a):
                return directory.create_person(
                    None,
                    username=f"{u}{a}",
                    password="bench-pass-1",
                    full_name=n,
                    agency=agency,
                    unit=unit,
                    roles=[r],
                )

            officer, leader = person("cv", "Chuyên Viên", "chuyen-vien"), person("ld", "Lãnh Đạo", "lanh-dao")
            clerks.append(person("vt", "Văn Thư", "van-thu").user_id)
            ensure_registers(agency)
            n = args.docs // args.agencies + (1 if a < args.docs % args.agencies else 0)
            created = OutgoingDocument.objects.bulk_create(
                [
                    OutgoingDocument(
                        agency=agency,
                        unit=unit,
                        drafter=officer,
                        document_type=cong_van,
                        subject=f"Văn bản thử số {i}",
                        signer=leader,
                        signed_file=pdf,
                        state="da-ky",
                    )
                    for i in range(n)
                ],
                batch_size=1000,
            )
            per_agency.append([d.pk for d in created])
        all_ids = [pk for ids in per_agency for pk in ids]

        # -- the baseline: a bare insert loop, one row per transaction, same processes --
        bare_chunks = [all_ids[i :: args.workers] for i in range(args.workers)]
        t_bare = _run(ctx, _bare, bare_chunks, [None] * args.workers)

        # -- numbering ------------------------------------------------------------------
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.select_related("person").in_bulk(clerks)
        if args.spread == "own":
            chunks = [[] for _ in range(args.workers)]
            for a, ids in enumerate(per_agency):
                chunks[a % args.workers].extend((pk, None) for pk in ids)
            worker_users = [clerks[w % args.agencies] for w in range(args.workers)]
        else:  # mixed: round robin over the agencies, each document numbered by its agency's clerk
            interleaved = [
                (ids[i], a)
                for i in range(max(map(len, per_agency)))
                for a, ids in enumerate(per_agency)
                if i < len(ids)
            ]
            chunks = [[(pk, users[clerks[a]]) for pk, a in interleaved[w :: args.workers]] for w in range(args.workers)]
            worker_users = [None] * args.workers
        # -- the audit append alone, each worker on its agency's chain ---------------------
        audit_users = [clerks[w % args.agencies] for w in range(args.workers)]
        audit_waits = _WaitSampler()
        t_audit = _run(ctx, _audit_only, bare_chunks, audit_users, audit_waits)

        waits = _WaitSampler()
        t_num = _run(ctx, _numbering, chunks, worker_users, waits)

        # -- checks ---------------------------------------------------------------------
        exact = True
        for ids in per_agency:
            numbers = sorted(OutgoingDocument.objects.filter(pk__in=ids).values_list("number", flat=True))
            entries = sorted(
                RegisterEntry.objects.filter(document_id__in=ids).values_list("register_year__register", "number")
            )
            registers = {r for r, _ in entries}
            exact &= numbers == list(range(1, len(ids) + 1))
            exact &= len(registers) == 1 and [n for _, n in entries] == list(range(1, len(ids) + 1))
        audit = verify_chain()
        n = len(all_ids)
        print(
            f"database: {connection.vendor}; {n} documents of {args.agencies} agencies numbered by {args.workers}"
            f" processes (spread: {args.spread})"
        )
        print(f"  bare insert loop:   {n / t_bare:8.0f} rows/s")
        print(
            f"  audit append alone: {n / t_audit:8.0f} events/s  ratio {t_bare / t_audit:.2f} of the bare loop"
            f"   (workers waiting: {audit_waits.summary()})"
        )
        print(
            f"  vanban numbering:   {n / t_num:8.0f} numbers/s   ratio {t_bare / t_num:.2f} of the bare loop"
            f"   every register exactly 1..N: {'yes' if exact else 'NO'}"
        )
        chains = len(getattr(audit, "chains", ()) or ()) or 1
        print(f"  while numbering, the workers' busy backends were: {waits.summary()}")
        print(f"  audit: {'verifies' if audit.ok else 'BROKEN'} ({audit.events} events, {chains} chain(s))")
        return 0 if exact and audit.ok else 1
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
