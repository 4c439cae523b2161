"""``vanban report``: the roadmap statistics (docs/reports.md).

- ``monthly --month 2026-10 [--agency CODE] [--format json|xlsx] -o FILE``: the month's
  report for the agency and those under it (default: every agency), read from the
  monthly summary; ``-o -`` writes JSON to standard output.
- ``quarterly --quarter 2026-Q4 [--agency CODE] [--format json|xlsx] -o FILE``: the same
  for a quarter (its months begun so far).
- ``verify --month 2026-10 [--agency CODE]``: the summary against a direct count of the
  documents, agency by agency; exit 1 with each difference, 0 when exact.
- ``rebuild --month 2026-10 [--agency CODE]``: count the month again from the documents
  (after rows were written outside the flow engine, such as an import).
- ``targets --year 2026 [--province CODE] [--load-defaults]``: the roadmap targets in force
  for a year; ``--load-defaults`` first writes the defaults of ``reports/data/targets.json``
  again (for every province).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vanban.cli import EXIT_FAILED, CommandError, django_setup, help_command

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="monthly and quarterly statistics of the roadmap")
    sub = p.add_subparsers(dest="report_command")
    p.set_defaults(func=help_command(p))

    for name, option, example, run in (
        ("monthly", "--month", "2026-10", run_monthly),
        ("quarterly", "--quarter", "2026-Q4", run_quarterly),
    ):
        q = sub.add_parser(name, help=f"the {name} report ({option} {example})")
        q.add_argument(option, required=True, metavar=example)
        q.add_argument("--agency", metavar="CODE", help="this agency and those under it (default: every agency)")
        q.add_argument("--format", choices=("json", "xlsx"), default="json")
        q.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write ('-': stdout, json only)")
        q.set_defaults(func=run)

    for name, run, text in (
        ("verify", run_verify, "compare the summary with a direct count of the documents"),
        ("rebuild", run_rebuild, "count a month again from the documents"),
    ):
        q = sub.add_parser(name, help=text)
        q.add_argument("--month", required=True, metavar="2026-10")
        q.add_argument("--agency", metavar="CODE", help="this agency and those under it (default: every agency)")
        q.set_defaults(func=run)
    _targets_parser(sub)


def _targets_parser(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("targets", help="the roadmap targets in force for a year")
    q.add_argument("--year", type=int, required=True)
    q.add_argument("--province", metavar="CODE", help="the province's root agency (default: the defaults)")
    q.add_argument("--load-defaults", action="store_true", help="write the defaults from the data file first")
    q.set_defaults(func=run_targets)


def run_targets(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.reports.figures import SHARES
    from vanban.reports.report import tree
    from vanban.reports.targets import load_defaults, target_for

    if args.load_defaults:
        print(f"Đã ghi {load_defaults()} mục tiêu mặc định.")
    province_id = tree(args.province).roots[0].pk if args.province else None
    for s in SHARES:
        t = target_for(s.key, args.year, province_id)
        if t is None:
            print(f"{s.label}: chưa có mục tiêu")
        else:
            bound = "không quá" if t.at_most else "ít nhất"
            whose = "của tỉnh" if t.province_id else "mặc định"
            print(f"{s.label}: {bound} {t.percent.normalize():f} % (năm {t.year}, {whose})")
    return 0


def _write(data: dict[str, Any], args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        if args.output == "-":
            raise CommandError("Tệp Excel cần -o TÊN-TỆP.xlsx.")
        from vanban.reports.export import write_xlsx

        write_xlsx(data, Path(args.output))
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if args.output == "-":
            sys.stdout.write(text)
        else:
            Path(args.output).write_text(text, encoding="utf-8")
    if args.output != "-":
        print(f"Đã ghi {data['label'].lower()} vào {args.output}.", file=sys.stderr)
    return 0


def run_monthly(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.reports import monthly, parse_month

    return _write(monthly(parse_month(args.month), args.agency), args)


def run_quarterly(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.reports import parse_quarter, quarterly

    return _write(quarterly(parse_quarter(args.quarter), args.agency), args)


def run_verify(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.reports import parse_month
    from vanban.reports.figures import BY_KEY
    from vanban.reports.report import tree
    from vanban.reports.summary import verify

    month = parse_month(args.month)
    t = tree(args.agency)
    wrong = verify(t.agencies, month)
    for agency_id, key, kept, direct in wrong:
        print(
            f"{t.agencies[agency_id].code}\t{BY_KEY[key].label}: bảng tổng hợp {kept}, đếm trực tiếp {direct}",
            file=sys.stderr,
        )
    if wrong:
        print(f"Tháng {month:%m/%Y}: {len(wrong)} chỉ tiêu lệch.", file=sys.stderr)
        return EXIT_FAILED
    print(f"Tháng {month:%m/%Y}: bảng tổng hợp khớp với văn bản ({len(t.agencies)} cơ quan).")
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.reports import parse_month, rebuild
    from vanban.reports.report import tree

    month = parse_month(args.month)
    n = rebuild(tree(args.agency).agencies, [month])
    print(f"Đã đếm lại tháng {month:%m/%Y} cho {n} cơ quan.")
    return 0
