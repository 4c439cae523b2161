"""Benchmark: ``vanban directory import`` of a province-sized file (2,000 agencies plus
units), as a ratio to a bare ``bulk_create`` of the same agencies in the same process.

Run: ``.venv/bin/python bench/directory_import_bench.py [--agencies 2000] [--rounds 3]``
(SQLite in a temporary folder by default; set DATABASE_URL=postgresql://... to measure
PostgreSQL — it uses that database's ``test_`` copy made for the run).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path


def make_csv(path: Path, agencies: int) -> int:
    """One province (H77), ~5% departments at level 2, the rest level-3 units under them,
    and two units per department. Returns the number of agency rows."""
    rows = [["loai", "ma_dinh_danh", "ten", "ten_viet_tat", "cap", "ma_co_quan_cap_tren", "ky_hieu"]]
    rows.append(["co_quan", "000.00.00.H77", "Ủy ban nhân dân tỉnh Đo Lường", "UBND", "tinh", "", ""])
    departments = min(99, max(1, agencies // 20))
    n = 1
    for d in range(1, departments + 1):
        code = f"000.00.{d:02d}.H77" if d < 100 else None
        if code is None:
            break
        rows.append(["co_quan", code, f"Sở số {d}", f"S{d}", "tinh", "", ""])
        rows.append(["don_vi", code, "Văn phòng Sở", "", "", "", "VP"])
        rows.append(["don_vi", code, "Phòng Kế hoạch – Tài chính", "", "", "", "KHTC"])
        n += 1
    d, sub = 1, 1
    while n < agencies:
        rows.append(
            ["co_quan", f"000.{sub:02d}.{d:02d}.H77", f"Ủy ban nhân dân xã Thử {d}-{sub}", "UBND", "xa", "", ""]
        )
        n += 1
        d += 1
        if d > departments:
            d, sub = 1, sub + 1
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agencies", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    os.environ.setdefault("VANBAN_VAR_DIR", str(tmp))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import (
        get_runner,  # noqa: F401
        setup_test_environment,  # noqa: F401
    )

    # Work on a throw-away database: the SQLite file in tmp, or a test_ copy of PostgreSQL.
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from vanban.directory.importer import import_directory
        from vanban.directory.models import Agency, Level

        path = tmp / "tinh.csv"
        count = make_csv(path, args.agencies)
        levels = {lv.code: lv for lv in Level.objects.all()}

        def wipe():
            with connection.cursor() as cur:
                for table in ("directory_unit", "directory_agency", "audit_auditevent"):
                    cur.execute(f"DELETE FROM {table}")
                cur.execute("UPDATE audit_auditchainhead SET seq = 0, last_hash = ''")

        def baseline() -> float:
            with open(path, encoding="utf-8") as fh:
                data = [r for r in csv.DictReader(fh) if r["loai"] == "co_quan"]
            start = time.perf_counter()
            with transaction.atomic():
                Agency.objects.bulk_create(
                    [
                        Agency(
                            code=r["ma_dinh_danh"], name=r["ten"], short_name=r["ten_viet_tat"], level=levels[r["cap"]]
                        )
                        for r in data
                    ],
                    batch_size=500,
                )
            return time.perf_counter() - start

        def vanban() -> float:
            start = time.perf_counter()
            result = import_directory(path)
            elapsed = time.perf_counter() - start
            assert result.agencies_created == count, result
            return elapsed

        best_base, best_import = float("inf"), float("inf")
        for _ in range(args.rounds):
            wipe()
            best_base = min(best_base, baseline())
            wipe()
            best_import = min(best_import, vanban())
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {engine}; agencies: {count} (+{2 * (count // 20)} units); best of {args.rounds}")
        print(f"baseline bare bulk_create: {best_base:.3f} s")
        print(
            f"vanban directory import:   {best_import:.3f} s "
            f"(validation, parents, search text, audit chain; {count / best_import:.0f} agencies/s)"
        )
        print(f"ratio import / baseline:   {best_import / best_base:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
