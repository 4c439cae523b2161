"""``vanban records``: dossiers (hồ sơ) and the transfer to the archive (nộp lưu).

- ``import FILE --agency CODE --year YYYY --as USERNAME``: the list of dossiers of a year
  from a spreadsheet (all rows or none, every bad row named), as the agency's administrator
  or clerk would from the page; ``copy`` makes a year's list from the year before.
- ``verify FILE [--trust-roots PEM]`` (default ``$VANBAN_TRUST_ROOTS``, as the server uses)
  checks a transfer package anyone gives us (structure, every checksum, required metadata,
  the manifest's seal signature and its chain) and prints the report in Vietnamese, or as
  JSON with ``--json``. Exit codes: 0 the package is sound, 1 problems found, 2 the file or
  the trust roots cannot be read. Pure library underneath (:mod:`vanban.archivepkg`).
- ``export --dossier CODE [--dossier CODE…] | --year YYYY --agency CODE --as USERNAME -o FILE``:
  the transfer package of closed dossiers (:func:`vanban.records.export_transfer`: checked,
  PDFs made long-term valid when a TSA is configured, sealed, the dossiers then marked
  transferred); exit 1 with each dossier's blockers when refused. ``--year``: every closed
  dossier of the agency's year.
- ``receive FILE --agency CODE --as USERNAME``: the archive checks a package and records its
  receipt (:func:`vanban.records.receive_transfer`); exit 1 with the problems when refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from vanban.cli import EXIT_FAILED, EXIT_INPUT, CommandError, django_setup, error_line

__all__ = ["register", "cmd_verify", "run_import", "run_copy", "run_export", "run_receive"]


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


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có tài khoản {username}.", 1)
    return user


def _agency(code: str):
    from vanban.directory.models import Agency

    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(f"Không có cơ quan mã {code}.", 1)
    return agency


def _export_dossiers(args: argparse.Namespace) -> list:
    from vanban.records.models import Dossier
    from vanban.records.states import DossierState

    if args.year is not None:
        if not args.agency:
            raise CommandError("--year cần kèm --agency (mã định danh của cơ quan).", 2)
        rows = list(
            Dossier.objects.filter(agency=_agency(args.agency), year=args.year, state=DossierState.CLOSED).order_by(
                "number", "pk"
            )
        )
        if not rows:
            raise CommandError(f"Cơ quan {args.agency} không có hồ sơ đã đóng nào của năm {args.year}.", 1)
        return rows
    rows = []
    for code in args.dossier:
        row = Dossier.objects.filter(code=code).first()
        if row is None:
            raise CommandError(f"Không có hồ sơ mã {code}.", 1)
        rows.append(row)
    return rows


def run_export(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.records import export_transfer
    from vanban.records.errors import TransferRefused

    user = _user(args.username)
    dossiers = _export_dossiers(args)
    out = Path(args.output)
    part = out.with_name(out.name + ".part")
    try:
        result = export_transfer(user, dossiers, part)
    except TransferRefused as exc:
        part.unlink(missing_ok=True)
        if exc.code != "transfer_blocked":
            raise
        lines = ["Lỗi: Chưa nộp lưu được; không hồ sơ nào được đánh dấu đã nộp lưu. [transfer_blocked]"]
        for each in exc.details:
            lines.append(f"  Hồ sơ {each['dossier']}:")
            lines += [f"    - {b['message']}" for b in each["blockers"]]
        print("\n".join(lines), file=sys.stderr)
        return EXIT_FAILED
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(out)
    lines = [
        f"Đã lập gói nộp lưu {out}: {len(result.dossiers)} hồ sơ, {result.documents} tài liệu, "
        f"{result.package_bytes} byte ({_size(result.package_bytes)}).",
        f"SHA-256 của gói: {result.package_sha256}",
        f"Bản kê được ký bằng con dấu số: {result.signer_subject}",
        "Dữ liệu kiểm tra dài hạn (PAdES B-LTA): "
        + (
            "đã bổ sung cho từng tệp PDF."
            if result.long_term
            else "không bổ sung (chưa cấu hình dịch vụ dấu thời gian)."
        ),
        "Các hồ sơ đã được đánh dấu đã nộp lưu:",
        *(f"  - {code}" for code in result.dossiers),
    ]
    print("\n".join(lines))
    return 0


def run_receive(args: argparse.Namespace) -> int:
    if not Path(args.file).is_file():
        raise CommandError(f"Không tìm thấy tệp {args.file}.", 2)
    agency, user = _actor(args)
    from vanban.records import receive_transfer
    from vanban.records.errors import PackageRefused

    try:
        receipt = receive_transfer(user, agency, args.file)
    except PackageRefused as exc:
        if exc.code != "package_invalid":
            raise
        lines = [f"Lỗi: Gói nộp lưu không đạt, không tiếp nhận; đã ghi nhận việc từ chối. [{exc.code}]"]
        lines += [f"  - [{p['code']}] {p['path'] + ': ' if p['path'] else ''}{p['message']}" for p in exc.details]
        print("\n".join(lines), file=sys.stderr)
        return EXIT_FAILED
    lines = [
        f"Đã tiếp nhận gói nộp lưu {args.file} của {receipt.sender_name} ({receipt.sender_code}).",
        f"SHA-256 của gói: {receipt.package_sha256}",
        f"Số hồ sơ: {len(receipt.dossier_codes)}; số tài liệu: {receipt.documents}; dung lượng: "
        f"{_size(receipt.package_bytes)}.",
        *(f"  - {code}" for code in receipt.dossier_codes),
    ]
    print("\n".join(lines))
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
    exp = sub.add_parser(
        "export",
        help="build the transfer package of closed dossiers and mark them transferred",
        description="Lập gói nộp lưu các hồ sơ đã đóng (kiểm tra, ký bản kê bằng con dấu số, đánh dấu đã nộp lưu).",
    )
    which = exp.add_mutually_exclusive_group(required=True)
    which.add_argument("--dossier", action="append", metavar="CODE", help="a dossier's code (repeatable)")
    which.add_argument("--year", type=int, help="every closed dossier of the agency's year")
    exp.add_argument("--agency", help="the agency's identifier code (with --year)")
    exp.add_argument("--as", dest="username", required=True, help="the clerk (văn thư) acting")
    exp.add_argument("-o", "--output", required=True, metavar="FILE", help="the package to write (.zip)")
    exp.set_defaults(func=run_export)
    rec = sub.add_parser(
        "receive",
        help="the archive checks a transfer package and records its receipt",
        description="Lưu trữ cơ quan kiểm tra gói nộp lưu và ghi nhận việc tiếp nhận.",
    )
    rec.add_argument("file", metavar="FILE")
    rec.add_argument("--agency", required=True, help="the receiving agency's identifier code")
    rec.add_argument("--as", dest="username", required=True, help="the clerk or administrator receiving")
    rec.set_defaults(func=run_receive)
