"""``vanban search "QUERY" [--agency CODE] [--limit N] [--json]``: find documents from the
command line (the server's operator: every agency, or one with ``--agency``);
``vanban search reindex``: rebuild the whole index, with a progress bar."""

from __future__ import annotations

import argparse
import json
import sys

from vanban.cli import CommandError, django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "search",
        help="find documents (query language: docs/user-guide.md); 'search reindex' rebuilds the index",
    )
    p.add_argument("query", nargs="+", help='what to look for, e.g. "quyết định" tuyển* -dự so:13/UBND-VP1')
    p.add_argument("--agency", metavar="CODE", help="only this agency's documents (its identifier code)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    p.add_argument("--json", action="store_true", help="one JSON object per hit, one per line")
    p.set_defaults(func=run)


def _bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\rĐánh chỉ mục lại: [{'#' * filled}{'.' * (width - filled)}] {done}/{total} văn bản")
    sys.stderr.flush()


def run_reindex() -> int:
    from vanban.search import reindex

    total = reindex(progress=_bar)
    if total:
        sys.stderr.write("\n")
    print(f"Đã đánh chỉ mục lại {total} văn bản.")
    return 0


def run(args: argparse.Namespace) -> int:
    django_setup.setup()
    if args.query == ["reindex"]:
        return run_reindex()
    from vanban.directory.models import Agency
    from vanban.search import search_as_operator

    if args.limit < 1:
        raise CommandError("--limit phải là số dương.")
    agency_id = None
    agencies = {}
    if args.agency:
        agency = Agency.objects.filter(code=args.agency).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan mã {args.agency}.", exit_code=1)
        agency_id = agency.pk
    results = search_as_operator(" ".join(args.query), agency_id=agency_id, limit=args.limit)
    agencies = dict(Agency.objects.filter(pk__in={h.agency_id for h in results.hits}).values_list("pk", "code"))
    for h in results.hits:
        if args.json:
            row = {
                "id": h.doc_id,
                "kind": h.kind,
                "agency": agencies.get(h.agency_id, ""),
                "number_notation": h.label,
                "subject": h.title,
                "date": h.date.isoformat() if h.date else None,
                "score": h.score,
            }
            print(json.dumps(row, ensure_ascii=False))
        else:
            date = h.date.strftime("%d/%m/%Y") if h.date else ""
            print(f"{h.kind_name} #{h.doc_id}\t{h.label or '—'}\t{date}\t{h.title}")
    if not args.json:
        more = " (còn nữa)" if results.capped else ""
        print(f"{len(results.hits)} kết quả{more}.")
    return 0
