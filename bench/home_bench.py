"""Benchmark: the home page ("Việc của tôi": every tab's count and the open tab's first page)
and each work tab, for the clerk, the leader and an officer of an agency holding
``--docs`` incoming documents (default 1,000,000) and a tenth as many outgoing ones, through
Django's test client (login, middleware, template: the page as a browser gets it), against
a bare ORM query of the same rows in the same run (the open tab's 25 rows and its count).

The documents are spread as a year of a busy agency leaves them: most finished, some waiting
to be registered, assigned, being processed (some late), helped or read; assignment rows
for a tenth. Goal (issue 16): p95 under 150 ms at 1,000,000 documents on PostgreSQL.

Run: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/vanban_bench PYTHONPATH=src
.venv/bin/python bench/home_bench.py [--docs 1000000] [--requests 30]`` (a ``test_`` copy of
the database is created and dropped; without DATABASE_URL it runs on SQLite in a temp folder).
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, n: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _measure(who, label: str, client_class, requests: int) -> list:
    """The home page and each of the person's tabs; the bare ORM query of the open tab."""
    from vanban.registry.models import IncomingDocument
    from vanban.web.worktabs import work_tabs

    client = client_class()
    client.force_login(who.user)
    tabs, work = work_tabs(who)
    open_tab = next((t for t in tabs if t.count), tabs[0])
    page = timed(lambda: client.get("/"), requests)

    def bare() -> None:
        rows = work[open_tab.key]
        list(rows.order_by("-arrived_at" if rows.model is IncomingDocument else "-updated_at")[:25])
        rows.count()

    out = [(f"home, {label}", page, timed(bare, requests))]
    if os.environ.get("VANBAN_BENCH_EXPLAIN"):  # each bounded count alone, and its plan
        from vanban.web.worktabs import COUNT_CAP

        for tab in tabs:
            capped = work[tab.key].order_by()[: COUNT_CAP + 1]
            ms = statistics.median(timed(lambda capped=capped: capped.count(), 5))
            plan = capped.explain(analyze=True) if os.environ["VANBAN_BENCH_EXPLAIN"] == "analyze" else ""
            print(f"{label} count {tab.key}: {ms:.1f} ms\n  " + plan.replace("\n", "\n  "), flush=True)
        page_ms = statistics.median(timed(lambda: client.get("/"), 5))
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        client.get("/")
        prof.disable()
        print(f"{label} page {page_ms:.1f} ms; profile:", flush=True)
        pstats.Stats(prof).sort_stats("cumtime").print_stats(25)
    for tab in tabs:
        out.append(
            (
                f"  tab {tab.title}",
                timed(lambda key=tab.key: client.get("/", {"tab": key}), max(5, requests // 3)),
                None,
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--batch", type=int, default=20_000)
    args = parser.parse_args()

    os.environ.setdefault("VANBAN_VAR_DIR", tempfile.mkdtemp(prefix="vanban-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _run(args, Client)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def _run(args, client_class) -> int:
    from django.db import connection
    from django.utils import timezone

    from vanban.directory import services as directory
    from vanban.directory.models import DocumentType, Level
    from vanban.registry.models import Assignment, IncomingDocument, OutgoingDocument
    from vanban.registry.setup import ensure_registers

    rng = random.Random(16)
    level = Level.objects.get(code="tinh")
    agency = directory.create_agency(None, code="000.00.02.H77", name="Sở Đo Lường", short_name="SĐL", level=level)
    units = [directory.create_unit(None, agency, name=f"Phòng {n}", suffix=f"P{n}") for n in range(1, 9)]

    def person(u, n, r, unit):
        return directory.create_person(
            None, username=u, password="bench-pass-1", full_name=n, agency=agency, unit=unit, roles=[r]
        )

    clerk = person("vt", "Văn Thư", "van-thu", units[0])
    leader = person("ld", "Lãnh Đạo", "lanh-dao", units[0])
    officers = [person(f"cv{n}", f"Chuyên Viên {n}", "chuyen-vien", units[n % 8]) for n in range(40)]
    officer = officers[1]
    ensure_registers(agency)
    cong_van = DocumentType.objects.get(code="cong-van")
    today = timezone.localdate()
    now = timezone.now()
    states = ["hoan-thanh"] * 900 + ["da-den"] * 5 + ["da-vao-so"] * 5 + ["da-phan-cong"] * 40 + ["dang-xu-ly"] * 50
    print(f"generating {args.docs:,} incoming and {args.docs // 10:,} outgoing documents ...", flush=True)
    started = time.perf_counter()
    made = 0
    while made < args.docs:
        n = min(args.batch, args.docs - made)
        rows = []
        for i in range(made, made + n):
            state = rng.choice(states)
            lead = rng.choice(officers) if state not in ("da-den", "da-vao-so") else None
            rows.append(
                IncomingDocument(
                    agency=agency,
                    source="truc",
                    state=state,
                    sender_name=f"Cơ quan gửi {i % 500}",
                    code_number=str(i % 9000 + 1),
                    code_notation="UBND-VP",
                    subject=f"V/v triển khai nhiệm vụ số {i} về cải cách hành chính năm {today.year}",
                    year=today.year,
                    arrival_number=i + 1 if state != "da-den" else None,
                    lead_person=lead,
                    deadline=today + dt.timedelta(days=rng.randint(-20, 30)) if lead else None,
                    arrived_at=now - dt.timedelta(minutes=args.docs - i),
                )
            )
        created = IncomingDocument.objects.bulk_create(rows, batch_size=5000)
        helpers = []
        for doc in created:
            if doc.lead_person_id and rng.random() < 0.1:
                helpers.append(Assignment(document=doc, role="chu-tri", person_id=doc.lead_person_id))
                helpers.append(
                    Assignment(document=doc, role=rng.choice(["phoi-hop", "de-biet"]), person=rng.choice(officers))
                )
        Assignment.objects.bulk_create(helpers, batch_size=5000)
        OutgoingDocument.objects.bulk_create(
            [
                OutgoingDocument(
                    agency=agency,
                    unit=units[i % 8],
                    drafter=rng.choice(officers),
                    document_type=cong_van,
                    subject=f"V/v báo cáo công tác số {i}",
                    signer=leader,
                    state=rng.choice(["da-phat-hanh"] * 95 + ["du-thao", "dang-trinh", "tra-lai", "da-duyet", "da-ky"]),
                )
                for i in range(made // 10, (made + n) // 10)
            ],
            batch_size=5000,
        )
        made += n
        print(f"  {made:,} ({made / (time.perf_counter() - started):,.0f}/s)", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    results = []
    for who, label in ((clerk, "văn thư"), (leader, "lãnh đạo"), (officer, "chuyên viên")):
        results += _measure(who, label, client_class, args.requests)
    print(f"\n{args.docs:,} incoming documents, {connection.vendor}; p50 / p95 ms")
    for name, values, base in results:
        line = f"{name:32s} {statistics.median(values):7.1f} / {pct(values, 95):7.1f}"
        if base:
            line += f"   bare ORM {statistics.median(base):6.1f} / {pct(base, 95):6.1f}"
        print(line)
    worst = max(pct(v, 95) for _n, v, _b in results)
    print(f"worst p95: {worst:.1f} ms (goal < 150 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
