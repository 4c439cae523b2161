"""Benchmark: vanban's search (``vanban.search``) over N generated documents — realistic
Vietnamese subjects and a page of text each — on SQLite (FTS5) or PostgreSQL (GIN), against
two baselines over the same rows in the same run: a bare ``LIKE`` / ``ILIKE`` scan of the
folded text, and the bare engine ranking every match (FTS5 ``bm25()`` / GIN + ``ts_rank``).

Measured:

- **indexing**: documents/s through vanban's own write path (``indexer.write_many``: the
  entry row and the engine's row, folding included), against the bare engine's build of the
  same folded text (one FTS5 table with its content / one table with a ``tsvector`` and its
  GIN index), both in batches of 1,000 per transaction; each batch is generated once, not
  timed, then written by one and by the other, so both rates cover the same stretch of
  the run;
- **queries**, p50 and p95 over several variants of each kind: one word, two words, a
  phrase, a prefix, a filtered query (one agency, one year, one type). vanban's figure is
  the whole bounded path of the operator's search (``search_as_operator``: candidates, rows,
  re-ranking, snippets; the person's visibility check, one indexed ``pk IN`` query on the
  registry's tables, is not part of it: the generated documents have no registry rows).
  vanban searches one agency's documents (what a person ever sees); the baselines search
  every row (what they would have to do to be fair is no cheaper for them).

Goal at 1,000,000 documents: p95 < 50 ms for every kind; indexing ≥ 0.5× the bare build.

Run: ``PYTHONPATH=src .venv/bin/python bench/search_bench.py [--docs 20000] [--reps 20]``
(SQLite file in a temporary folder); ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/x``
for PostgreSQL (a database ``vanban_bench_search``, or ``--db-name``, is created on that server
and dropped). At 1,000,000 documents the ``ILIKE`` scan takes about a minute per query on
PostgreSQL: ``--baseline-reps 1`` keeps it in the run (``0`` measures vanban alone);
``--progress 50`` prints the rates every 50 batches. On PostgreSQL, ``--keep`` leaves the
database in place (``--build-only`` stops after the indexing) and ``--reuse`` queries a kept
one without building: a million documents are built once, then queried as often as needed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

TYPES = [("CV", "cong-van", "Công văn"), ("QĐ", "quyet-dinh", "Quyết định"), ("TB", "thong-bao", "Thông báo"),
         ("KH", "ke-hoach", "Kế hoạch"), ("BC", "bao-cao", "Báo cáo"), ("TTr", "to-trinh", "Tờ trình")]  # fmt: skip
ACTIONS = ["phê duyệt", "triển khai", "tổ chức", "kiểm tra", "báo cáo", "tăng cường", "hướng dẫn", "rà soát",
           "giao chỉ tiêu", "tuyển dụng", "điều chỉnh", "thực hiện", "sửa chữa", "đầu tư", "khen thưởng"]  # fmt: skip
OBJECTS = ["công chức", "viên chức", "ngân sách", "dự án", "kế hoạch", "chương trình", "hồ sơ", "thủ tục hành chính",
           "chuyển đổi số", "giáo dục", "y tế", "đường giao thông", "đất đai", "môi trường", "an toàn thực phẩm",
           "phòng chống thiên tai", "cải cách hành chính", "thi đua", "quy hoạch", "xây dựng nông thôn mới"]  # fmt: skip
PLACES = ["tỉnh", "huyện Đông Hòa", "xã Hòa Bình", "thành phố", "thị xã Sơn Tây", "các sở, ban, ngành",
          "Ủy ban nhân dân các huyện", "phường Đống Đa"]  # fmt: skip
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {n}/TTr-SNV",
    "Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị khẩn trương {a} {o} trên địa bàn {p}",
    "Giao {p} chủ trì, phối hợp với các đơn vị liên quan {a} {o} và báo cáo kết quả trước ngày {d}",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước và các nguồn vốn hợp pháp khác",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh về Văn phòng Ủy ban nhân dân tỉnh",
    "Quyết định này có hiệu lực kể từ ngày ký ban hành",
    "Chánh Văn phòng, Thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành Quyết định này",
    "Nội dung {o} phải bảo đảm đúng quy định, công khai, minh bạch và hiệu quả",
    "Tiếp tục đẩy mạnh {a} {o}, nâng cao chất lượng phục vụ người dân và doanh nghiệp",
]
QUERIES = {
    "one word": ["ngân sách", "công chức", "quy hoạch", "môi trường"],
    "two words": ["ngân sách giáo dục", "tuyển dụng viên chức", "sửa chữa đường", "đất đai quy hoạch"],
    "phrase": ['"quyết định này có hiệu lực"', '"chuyển đổi số"', '"nông thôn mới"', '"thủ tục hành chính"'],
    "prefix": ["tuyển*", "khen*", "chuyển đổi*", "thiên*"],
    "filtered": ["công chức loai:QĐ nam:2024", "ngân sách loai:CV nam:2023", "dự án nam:2025", "y tế loai:KH"],
}
AGENCIES = 50


def generate(n: int, seed: int = 15):
    import datetime as dt

    from vanban.search.documents import IndexDoc

    rnd = random.Random(seed)
    start = dt.date(2021, 1, 1)
    for i in range(1, n + 1):
        abbr, slug, name = rnd.choice(TYPES)
        a, o, p = rnd.choice(ACTIONS), rnd.choice(OBJECTS), rnd.choice(PLACES)
        day = start + dt.timedelta(days=(i * 1826) // n)
        subject = f"{name} về việc {a} {o} {p} năm {day.year}"
        sentences = [
            rnd.choice(SENTENCES).format(
                n=rnd.randint(1, 999), a=rnd.choice(ACTIONS), o=rnd.choice(OBJECTS), p=rnd.choice(PLACES), d=day
            )
            for _ in range(14)
        ]
        agency = 1 + i % AGENCIES
        yield IndexDoc(
            kind="den" if i % 2 else "di",
            doc_id=i,
            agency_id=agency,
            doc_date=day,
            title=subject,
            label=f"{rnd.randint(1, 999)}/{abbr}-UBND",
            parties=f"Ủy ban nhân dân tỉnh · Sở số {agency}",
            type_name=name,
            type_abbr=abbr.replace("Đ", "D").upper(),
            type_slug=slug,
            state="da-ban-hanh",
            body=". ".join(sentences) + ".",
        )


def batches(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--reps", type=int, default=20, help="runs of each query variant (vanban)")
    parser.add_argument("--baseline-reps", type=int, default=3, help="runs of each variant for the baselines")
    parser.add_argument("--db-name", default="vanban_bench_search", help="PostgreSQL: the database created and dropped")
    parser.add_argument("--progress", type=int, default=0, help="print the rates every N batches (stderr)")
    parser.add_argument("--build-only", action="store_true", help="build and measure the indexing, no queries")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database at the end (for --reuse)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: query a database kept by --keep, building nothing (implies --keep)",
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse

    tmp = Path(tempfile.mkdtemp(prefix="vanban-search-bench-"))
    url = os.environ.get("DATABASE_URL", "")
    pg = url.startswith(("postgres://", "postgresql://"))
    if pg:
        import psycopg

        server = url.rpartition("/")[0]
        if not args.reuse:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{args.db_name}"')
        os.environ["DATABASE_URL"] = f"{server}/{args.db_name}"
    elif args.reuse or args.keep:
        parser.error("--keep and --reuse are for PostgreSQL (DATABASE_URL=postgresql://...)")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("VANBAN_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    try:
        call_command("migrate", verbosity=0)
        return run(args, pg, connection, transaction)
    finally:
        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if pg and not args.keep:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')


def run(args, pg: bool, connection, transaction) -> int:
    from vanban.search.backends import index_words
    from vanban.search.engine import search_as_operator
    from vanban.search.indexer import write_many
    from vanban.textsearch import fold, parse_query

    n = args.docs
    batch = 1000
    if pg:
        with connection.cursor() as c:
            c.execute("SET synchronous_commit = off")  # both sides alike: the disk is not what is measured
    if args.reuse:  # a database kept by an earlier --keep run: its build was measured then
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM search_entry")
            n = c.fetchone()[0]
        print(f"database: PostgreSQL (reused, {args.db_name}); documents: {n:,}", flush=True)
        print("indexing: not measured (database reused)")
    else:
        with connection.cursor() as c:
            if pg:
                c.execute(
                    "CREATE TABLE bare_docs (id bigint PRIMARY KEY, agency_id int, doc_date date, text text, tsv tsvector)"
                )
                c.execute("CREATE INDEX bare_docs_tsv ON bare_docs USING gin (tsv)")
                insert = "INSERT INTO bare_docs VALUES (%s, %s, %s, %s, to_tsvector('simple', %s))"
            else:
                c.execute("CREATE TABLE bare_docs (id INTEGER PRIMARY KEY, agency_id int, doc_date date, text text)")
                c.execute("CREATE VIRTUAL TABLE bare_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')")

        def bare_write(chunk) -> None:  # the bare engine's build of the same folded text
            with transaction.atomic(), connection.cursor() as c:
                for d in chunk:
                    text = fold(f"{d.head} {d.body}")
                    if pg:
                        c.execute(insert, [d.doc_id, d.agency_id, d.doc_date, text, text])
                    else:
                        c.execute(
                            "INSERT INTO bare_docs VALUES (%s, %s, %s, %s)", [d.doc_id, d.agency_id, d.doc_date, text]
                        )
                        c.execute("INSERT INTO bare_fts(rowid, text) VALUES (%s, %s)", [d.doc_id, text])

        # Each batch is generated once (not timed) and written by both, one after the other:
        # the two rates are measured over the same stretch of the run, whatever else the
        # machine is doing meanwhile.
        t_vanban = t_bare = 0.0
        started = time.perf_counter()
        for done, chunk in enumerate(batches(generate(n), batch), start=1):
            t0 = time.perf_counter()
            with transaction.atomic():
                write_many(chunk)
            t1 = time.perf_counter()
            bare_write(chunk)
            t_vanban += t1 - t0
            t_bare += time.perf_counter() - t1
            if args.progress and done % args.progress == 0:
                print(
                    f"  {done * batch:,} docs: vanban {done * batch / t_vanban:,.0f}/s,"
                    f" bare {done * batch / t_bare:,.0f}/s, {time.perf_counter() - started:,.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
        if pg:
            with connection.cursor() as c:
                c.execute("ANALYZE")
        engine = "PostgreSQL" if pg else "SQLite"
        print(f"database: {engine}; documents: {n:,}", flush=True)
        print(
            f"indexing: vanban {n / t_vanban:,.0f} docs/s, bare engine {n / t_bare:,.0f} docs/s,"
            f" ratio {t_bare / t_vanban:.2f} (goal ≥ 0.5)"
        )
    if args.build_only:
        return 0

    def timed(fn, reps: int) -> list[float]:
        out = []
        for _ in range(reps):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        return out

    def baseline_like(text: str):
        q = parse_query(text)
        conds, params = [], []
        for t in q.terms:
            conds.append("text ILIKE %s" if pg else "text LIKE %s")
            params.append("%" + " ".join(t.folded) + ("" if t.kind == "prefix" else "") + "%")
        if q.year:
            conds.append("doc_date >= %s AND doc_date <= %s")
            params += [f"{q.year}-01-01", f"{q.year}-12-31"]
        sql = "SELECT id FROM bare_docs WHERE " + " AND ".join(conds) + " ORDER BY id DESC LIMIT 20"
        with connection.cursor() as c:
            c.execute(sql, params)
            c.fetchall()

    def baseline_engine(text: str):
        q = parse_query(text)
        with connection.cursor() as c:
            if pg:
                from vanban.search.backends import PostgresBackend

                expr = PostgresBackend().expression(q)
                sql = "SELECT id FROM bare_docs WHERE tsv @@ to_tsquery('simple', %s)"
                params: list = [expr]
                if q.year:
                    sql += " AND doc_date >= %s AND doc_date <= %s"
                    params += [f"{q.year}-01-01", f"{q.year}-12-31"]
                c.execute(sql + " ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC LIMIT 20", [*params, expr])
            else:
                from vanban.search.backends import SQLiteBackend

                sql = "SELECT f.rowid FROM bare_fts f JOIN bare_docs d ON d.id = f.rowid WHERE bare_fts MATCH %s"
                params = [SQLiteBackend().expression(q)]
                if q.year:
                    sql += " AND d.doc_date >= %s AND d.doc_date <= %s"
                    params += [f"{q.year}-01-01", f"{q.year}-12-31"]
                c.execute(sql + " ORDER BY bm25(bare_fts) LIMIT 20", params)
            c.fetchall()

    print(f"{'query':<10} {'vanban p50/p95 ms':>20} {'LIKE scan p50/p95':>20} {'bare engine p50/p95':>22}  ratios p95")
    worst = 0.0
    for kind, variants in QUERIES.items():
        ours, like, bare = [], [], []
        for i, text in enumerate(variants):
            agency = 1 + i % AGENCIES
            search_as_operator(text, agency_id=agency)  # warm
            ours += timed(lambda text=text, agency=agency: search_as_operator(text, agency_id=agency), args.reps)
            like += timed(lambda text=text: baseline_like(text), args.baseline_reps)
            bare += timed(lambda text=text: baseline_engine(text), args.baseline_reps)
        worst = max(worst, pct(ours, 0.95))
        if not args.baseline_reps:  # vanban alone (--baseline-reps 0)
            print(f"{kind:<10} {pct(ours, 0.5):>9.1f} / {pct(ours, 0.95):>7.1f}", flush=True)
            continue
        print(
            f"{kind:<10} {pct(ours, 0.5):>9.1f} / {pct(ours, 0.95):>7.1f} {pct(like, 0.5):>9.1f} / {pct(like, 0.95):>7.1f}"
            f" {pct(bare, 0.5):>10.1f} / {pct(bare, 0.95):>8.1f}  LIKE/vanban {pct(like, 0.95) / pct(ours, 0.95):5.1f}x,"
            f" engine/vanban {pct(bare, 0.95) / pct(ours, 0.95):5.1f}x",
            flush=True,
        )
    sample = search_as_operator("ngân sách giáo dục", agency_id=1)
    print(f"(example: 'ngân sách giáo dục' in agency 1: {sample.total} candidates ranked, capped={sample.capped})")
    print(f"worst vanban p95: {worst:.1f} ms (goal < 50 ms at 1,000,000 documents)")
    _ = index_words, statistics
    return 0


if __name__ == "__main__":
    sys.exit(main())
