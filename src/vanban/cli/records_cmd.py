"""``vanban records import FILE --agency CODE --year YYYY --as USERNAME``: the list of
dossiers of a year from a spreadsheet (all rows or none, every bad row named), as the
agency's administrator or clerk would from the page; ``vanban records copy`` makes a
year's list from the year before."""

from __future__ import annotations

import argparse
from pathlib import Path

from vanban.cli import CommandError, django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("records", help="dossiers (hồ sơ): the yearly list of dossiers")
    sub = group.add_subparsers(dest="records_command", metavar="SUBCOMMAND", required=True)
    imp = sub.add_parser("import", help="add a year's list of dossiers from an .xlsx file (all rows or none)")
    imp.add_argument("file", type=Path)
    copy = sub.add_parser("copy", help="make a year's list of dossiers from the year before")
    for p in (imp, copy):
        p.add_argument("--agency", required=True, help="the agency's identifier code (000.00.02.H99)")
        p.add_argument("--year", required=True, type=int)
        p.add_argument("--as", dest="username", required=True, help="the administrator or clerk acting")
    imp.set_defaults(func=run_import)
    copy.set_defaults(func=run_copy)


def _actor(args: argparse.Namespace):
    django_setup.setup()
    from django.contrib.auth import get_user_model

    from vanban.directory.models import Agency

    agency = Agency.objects.filter(code=args.agency).first()
    if agency is None:
        raise CommandError(f"Không có cơ quan mã {args.agency}.", 1)
    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise CommandError(f"Không có tài khoản {args.username}.", 1)
    return agency, user


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CommandError(f"Không tìm thấy tệp {args.file}.", 2)
    agency, user = _actor(args)
    from vanban.records import import_list

    made = import_list(user, agency, args.year, args.file.read_bytes())  # refusals: vanban.cli.main, exit 1
    print(f"Đã nhập {len(made)} hồ sơ vào danh mục hồ sơ năm {args.year} của {agency.name}.")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    agency, user = _actor(args)
    from vanban.records import copy_list

    made = copy_list(user, agency, args.year)
    print(f"Đã sao {made.dossiers.count()} hồ sơ từ năm {args.year - 1} sang danh mục hồ sơ năm {args.year}.")
    return 0
