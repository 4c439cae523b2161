"""``vanban records``: dossiers (hồ sơ) and the transfer to the archive (nộp lưu).

- ``import FILE --agency CODE --year YYYY --as USERNAME``: the list of dossiers of a year
  from a spreadsheet (all rows or none, every bad row named), as the agency's administrator
  or clerk would from the page; ``copy`` makes a year's list from the year before.
- ``verify FILE [--trust-roots PEM]`` (default ``$VANBAN_TRUST_ROOTS``, as the server uses)
  checks a transfer package anyone gives us (structure, every checksum, required metadata,
  the manifest's seal signature and its chain) and prints the report in Vietnamese, or as
  JSON with ``--json``. Exit codes: 0 the package is sound, 1 problems found, 2 the file or
  the trust roots cannot be read. Pure library underneath (:mod:`vanban.archivepkg`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from vanban.cli import EXIT_FAILED, EXIT_INPUT, CommandError, django_setup, error_line

__all__ = ["register", "cmd_verify", "run_import", "run_copy"]


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n >= 1 << 20 else f"{n} byte"


def cmd_verify(args: argparse.Namespace) -> int:
    from vanban.archivepkg import PackageUnreadable, verify_package

    trust = args.trust_roots or os.environ.get("VANBAN_TRUST_ROOTS", "")
    if not trust:
        raise CommandError(
            "cần --trust-roots PEM hoặc biến môi trường VANBAN_TRUST_ROOTS (chứng thư gốc tin cậy)"
            " để kiểm tra chữ ký của bản kê",
            2,
        )
    try:
        report = verify_package(args.file, trust_roots=trust)
    except PackageUnreadable as exc:  # the file given cannot be used at all
        print(error_line(exc), file=sys.stderr)
        return EXIT_INPUT
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0 if report.ok else EXIT_FAILED
    out = [f"Gói nộp lưu: {args.file}"]
    if report.agency_name or report.agency_code:
        out.append(f"Cơ quan nộp lưu: {report.agency_name} ({report.agency_code})")
    if report.signer_subject:
        out.append(f"Chứng thư số ký bản kê: {report.signer_subject}")
    out.append(
        f"Số hồ sơ: {report.dossiers}; số tài liệu: {report.documents}; "
        f"số tệp đã kiểm tra: {report.files_checked} ({_size(report.bytes_checked)})"
    )
    if report.ok:
        out.append("KẾT QUẢ: ĐẠT. Cấu trúc, mã kiểm tra SHA-256, dữ liệu đặc tả và chữ ký số của bản kê đều hợp lệ.")
    else:
        out.append(f"KẾT QUẢ: KHÔNG ĐẠT. Phát hiện {len(report.problems)} lỗi:")
        out += [f"  - {p.line_vi()}" for p in report.problems]
    print("\n".join(out))
    return 0 if report.ok else EXIT_FAILED


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


def register(subparsers: Any) -> None:
    """Add ``vanban records ...`` to the top-level parser."""
    parser = subparsers.add_parser("records", help="dossiers and transfer packages to the archive (nộp lưu)")
    sub = parser.add_subparsers(dest="records_command", metavar="SUBCOMMAND", required=True)
    p = sub.add_parser(
        "verify",
        help="check a transfer package: structure, checksums, metadata, the manifest's signature",
        description="Kiểm tra gói nộp lưu: cấu trúc, mã kiểm tra, dữ liệu đặc tả, chữ ký số của bản kê.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--trust-roots",
        metavar="PEM",
        help="trusted root certificate(s): a PEM file or a folder (default: $VANBAN_TRUST_ROOTS)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_verify)
    imp = sub.add_parser("import", help="add a year's list of dossiers from an .xlsx file (all rows or none)")
    imp.add_argument("file", type=Path)
    copy = sub.add_parser("copy", help="make a year's list of dossiers from the year before")
    for each in (imp, copy):
        each.add_argument("--agency", required=True, help="the agency's identifier code (000.00.02.H99)")
        each.add_argument("--year", required=True, type=int)
        each.add_argument("--as", dest="username", required=True, help="the administrator or clerk acting")
    imp.set_defaults(func=run_import)
    copy.set_defaults(func=run_copy)
