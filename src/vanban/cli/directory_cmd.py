"""``vanban directory import FILE``: load a province's agencies and units."""

from __future__ import annotations

import argparse
from pathlib import Path

from vanban.cli import CommandError, django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    directory = subparsers.add_parser("directory", help="the directory of agencies")
    sub = directory.add_subparsers(dest="directory_command", metavar="SUBCOMMAND", required=True)
    imp = sub.add_parser(
        "import",
        help="import agencies and units from an .xlsx or .csv file (all rows or none)",
    )
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CommandError(f"Không tìm thấy tệp {args.file}.", 2)
    django_setup.setup()
    from vanban.directory.importer import import_directory

    result = import_directory(args.file)  # ImportRefused (exit 1, every bad row) is reported by vanban.cli.main
    print(
        f"Đã nhập {args.file.name}: {result.agencies_created} cơ quan mới, "
        f"{result.agencies_updated} cơ quan cập nhật, {result.agencies_unchanged} không đổi, "
        f"{result.units_created} đơn vị mới, {result.units_updated} đơn vị cập nhật."
    )
    return 0
