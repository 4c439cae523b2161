"""Benchmark: the "Việc của tôi" page and the incoming register page with N incoming
documents in the agency's database (default 1,000,000), p50/p95 ms through Django's test
client, each against a bare ORM query of the same rows in the same run. Goal: p95 < 150 ms.

Run: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/vanban_bench .venv/bin/python
bench/incoming_bench.py [--docs 1000000]`` (a ``test_`` copy of the database is created
and dropped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("VANBAN_VAR_DIR", tempfile.mkdtemp(prefix="vanban-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from django.utils import timezone

        from vanban.directory import services as directory
        from vanban.directory.models import Level
        from vanban.registry.models import Assignment, IncomingDocument, Register
        from vanban.registry.setup import ensure_registers

        agency = directory.create_agency(
            None, code="000.00.02.H77", name="Sở Đo Lường", short_name="SĐL", level=Level.objects.get(code="tinh")
        )
        units = [directory.create_unit(None, agency, name=f"Phòng {i}", suffix=f"P{i}") for i in range(10)]
        people = [
            directory.create_person(
                None,
                username=f"cv{i}",
                password="bench-pass-1",
                full_name=f"Chuyên Viên {i}",
                agency=agency,
                unit=units[i % 10],
                roles=["chuyen-vien"],
            )
            for i in range(50)
        ]
        directory.create_person(
            None,
            username="vt",
            password="bench-pass-1",
            full_name="Văn Thư",
            agency=agency,
            unit=units[0],
            roles=["van-thu"],
        )
        directory.create_person(
            None,
            username="ld",
            password="bench-pass-1",
            full_name="Lãnh Đạo",
            agency=agency,
            unit=units[0],
            roles=["lanh-dao"],
        )
        ensure_registers(agency)
        register = Register.objects.get(agency=agency, kind="den", secret=False)
        year = timezone.localdate().year
        states = ["hoan-thanh"] * 90 + ["dang-xu-ly"] * 5 + ["da-phan-cong"] * 3 + ["da-vao-so", "da-den"]
        start = time.perf_counter()
        batch = 10_000
        today = timezone.localdate()
        for offset in range(0, args.docs, batch):
            n = min(batch, args.docs - offset)
            docs = []
            for i in range(n):
                k = offset + i
                state = states[k % len(states)]
                docs.append(
                    IncomingDocument(
                        agency=agency,
                        source="truc",
                        state=state,
                        sender_code="000.00.00.H77",
                        sender_name="Ủy ban nhân dân tỉnh Đo Lường",
                        code_number=str(k % 9999 + 1),
                        code_notation="UBND-VP",
                        subject=f"V/v nội dung văn bản thử số {k}",
                        register=register if state != "da-den" else None,
                        year=year if state != "da-den" else None,
                        arrival_number=k + 1 if state != "da-den" else None,
                        deadline=today if state in ("dang-xu-ly", "da-phan-cong") else None,
                        lead_person=people[k % 50] if state not in ("da-den", "da-vao-so") else None,
                    )
                )
            created = IncomingDocument.objects.bulk_create(docs, batch_size=batch)
            Assignment.objects.bulk_create(
                [
                    Assignment(document=d, role="chu-tri", person=people[(offset + i) % 50])
                    for i, d in enumerate(created)
                    if d.state not in ("da-den", "da-vao-so")
                ],
                batch_size=batch,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(
            f"database: {connection.vendor}; loaded {args.docs} incoming documents in "
            f"{time.perf_counter() - start:.0f} s"
        )

        def timed(fn):
            fn()
            out = []
            for _ in range(args.requests):
                t = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t) * 1000)
            return out

        def report(name, page, orm):
            print(
                f"{name}: page p50 {statistics.median(page):.1f} ms, p95 {pct(page, 95):.1f} ms;"
                f" bare ORM p50 {statistics.median(orm):.1f} ms, p95 {pct(orm, 95):.1f} ms;"
                f" ratio p50 {statistics.median(page) / statistics.median(orm):.1f}x"
                f" (goal p95 < 150 ms: {'met' if pct(page, 95) < 150 else 'NOT met'})"
            )

        officer = people[7]
        client = Client()
        assert client.login(username=officer.user.username, password="bench-pass-1")
        page = timed(lambda: client.get("/viec-cua-toi/"))
        orm = timed(
            lambda: list(
                IncomingDocument.objects.filter(
                    agency=agency, lead_person=officer, state__in=["da-phan-cong", "dang-xu-ly"]
                )[:50]
            )
        )
        report(f"Việc của tôi (officer, {args.docs} documents)", page, orm)

        clerk = Client()
        assert clerk.login(username="vt", password="bench-pass-1")
        page = timed(lambda: clerk.get("/so-van-ban-den/"))
        orm = timed(
            lambda: list(
                IncomingDocument.objects.filter(agency=agency, year=year, arrival_number__isnull=False).order_by(
                    "register_id", "arrival_number"
                )[:100]
            )
        )
        report(f"incoming register, first page ({args.docs} documents)", page, orm)
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
