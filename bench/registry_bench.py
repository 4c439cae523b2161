"""Benchmark of the registry, each figure against a baseline run in the same process:

1. Numbering 1,000 signed documents (cấp số, vào sổ: row lock, register entry, state change,
   audit event) from 8 concurrent workers: numbers/second and a check that they are exactly
   1..1000; baseline: the same 8 workers doing a bare insert loop of 1,000 rows.
2. The outgoing register page with 100,000 documents in the year: p50/p95 ms of the page
   (first page and a middle page, through Django's test client, logged in as the clerk);
   baseline: a bare ORM query of the same 100 rows.

Run: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/vanban_bench .venv/bin/python
bench/registry_bench.py [--docs 1000] [--register-docs 100000]`` (a ``test_`` copy of the
database is created and dropped; without DATABASE_URL it runs on SQLite in a temp folder).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--register-docs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    os.environ.setdefault("VANBAN_VAR_DIR", tempfile.mkdtemp(prefix="vanban-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from django.utils import timezone

        from vanban.directory import services as directory
        from vanban.directory.models import DocumentType, Level
        from vanban.registry.files import store
        from vanban.registry.models import OutgoingDocument, Recipient, StateChange
        from vanban.registry.services import number_document
        from vanban.registry.setup import ensure_registers
        from vanban.signing import make_sample_pdf

        level = Level.objects.get(code="tinh")
        agency = directory.create_agency(None, code="000.00.02.H77", name="Sở Đo Lường", short_name="SĐL", level=level)
        unit = directory.create_unit(None, agency, name="Văn phòng Sở", suffix="VP")

        def person(u, n, r):
            return directory.create_person(
                None, username=u, password="bench-pass-1", full_name=n, agency=agency, unit=unit, roles=[r]
            )

        officer, leader, clerk = (
            person("cv", "Chuyên Viên", "chuyen-vien"),
            person("ld", "Lãnh Đạo", "lanh-dao"),
            person("vt", "Văn Thư", "van-thu"),
        )
        ensure_registers(agency)
        cong_van = DocumentType.objects.get(code="cong-van")
        # a real PDF (numbering reads the signed file); it has no number fields, so numbering
        # writes nothing into it: this measures the locks, not the PDF stamping done before them
        pdf = store(make_sample_pdf().pdf, "a.pdf", "application/pdf")

        def docs(n, **extra):
            return [
                OutgoingDocument(
                    agency=agency,
                    unit=unit,
                    drafter=officer,
                    document_type=cong_van,
                    subject=f"Văn bản thử số {i}",
                    signer=leader,
                    signed_file=pdf,
                    **extra,
                )
                for i in range(n)
            ]

        # -- 1. concurrent numbering -------------------------------------------------
        OutgoingDocument.objects.bulk_create(docs(args.docs, state="da-ky"), batch_size=1000)
        ids = list(OutgoingDocument.objects.filter(state="da-ky").values_list("pk", flat=True))
        chunks = [ids[i :: args.workers] for i in range(args.workers)]
        errors: list[BaseException] = []

        def run_threads(target):
            barrier = threading.Barrier(args.workers)

            def wrap(chunk):
                try:
                    barrier.wait()
                    target(chunk)
                except BaseException as exc:  # noqa: BLE001
                    errors.append(exc)
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=wrap, args=(c,)) for c in chunks]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.perf_counter() - start

        def numbering(chunk):
            for pk in chunk:
                number_document(clerk.user, OutgoingDocument(pk=pk))

        def bare(chunk):
            for pk in chunk:
                with transaction.atomic():
                    StateChange.objects.create(
                        document_id=pk, action="bench", old_state="x", new_state="y", actor_name="bench"
                    )

        t_bare = run_threads(bare)
        t_num = run_threads(numbering)
        if errors:
            raise errors[0]
        numbers = sorted(OutgoingDocument.objects.filter(pk__in=ids).values_list("number", flat=True))
        exact = numbers == list(range(1, args.docs + 1))
        vendor = connection.vendor
        print(f"database: {vendor}; {args.docs} documents numbered by {args.workers} workers")
        print(f"  bare insert loop:   {args.docs / t_bare:8.0f} rows/s")
        print(
            f"  vanban numbering:   {args.docs / t_num:8.0f} numbers/s   ratio {t_bare / t_num:.2f}"
            f"   numbers exactly 1..{args.docs}: {'yes' if exact else 'NO'}"
        )

        # -- 2. register page at scale -----------------------------------------------
        year = timezone.localdate().year
        from vanban.registry.models import Register

        register = Register.objects.create(agency=agency, kind="di", name="Sổ văn bản đi (dữ liệu thử tải)")
        start = time.perf_counter()
        batch = 5000
        for offset in range(0, args.register_docs, batch):
            rows = docs(
                min(batch, args.register_docs - offset),
                state="da-phat-hanh",
                register=register,
                year=year,
                issued_on=timezone.localdate(),
                notation="SĐL-VP",
            )
            for i, d in enumerate(rows):
                d.number = offset + i + 1
            created = OutgoingDocument.objects.bulk_create(rows, batch_size=batch)
            Recipient.objects.bulk_create(
                [
                    Recipient(document=d, kind="don-vi", unit=unit, name=unit.name, delivery="da-chuyen")
                    for d in created
                ],
                batch_size=batch,
            )
            StateChange.objects.bulk_create(
                [
                    StateChange(
                        document=d,
                        action="issue",
                        old_state="da-dong-dau",
                        new_state="da-phat-hanh",
                        actor_name="Văn Thư",
                    )
                    for d in created
                ],
                batch_size=batch,
            )
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"loaded {args.register_docs} issued documents in {time.perf_counter() - start:.1f} s")

        client = Client()
        assert client.login(username="vt", password="bench-pass-1")
        middle = max(1, args.register_docs // 100 // 2)

        def page_ms(page_no):
            t = time.perf_counter()
            response = client.get("/so-van-ban-di/", {"trang": page_no})
            assert response.status_code == 200 and "SĐL-VP".encode() in response.content
            return (time.perf_counter() - t) * 1000

        def orm_ms(page_no):
            t = time.perf_counter()
            list(
                OutgoingDocument.objects.filter(agency=agency, year=year, number__isnull=False).order_by(
                    "register_id", "number"
                )[(page_no - 1) * 100 : page_no * 100]
            )
            return (time.perf_counter() - t) * 1000

        for which, no in (("first page", 1), ("middle page", middle)):
            page_ms(no), orm_ms(no)  # warm up
            pages = [page_ms(no) for _ in range(args.requests)]
            orms = [orm_ms(no) for _ in range(args.requests)]
            print(
                f"register {which} ({args.register_docs} documents): page p50 {statistics.median(pages):.1f} ms,"
                f" p95 {pct(pages, 95):.1f} ms; bare ORM p50 {statistics.median(orms):.1f} ms,"
                f" p95 {pct(orms, 95):.1f} ms; ratio p50 {statistics.median(pages) / statistics.median(orms):.1f}x"
            )
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
