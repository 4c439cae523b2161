"""``vanban backup OUT`` (a ``.tar``/``.tar.gz`` file or a folder) and ``vanban restore
ARCHIVE [--force] [--migrate] [--check]``: see :mod:`vanban.backup` and docs/operator.md.
Progress goes to stderr, the summary to stdout, in Vietnamese."""

from __future__ import annotations

import argparse
import sys

from vanban.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup", help="write a consistent backup (database and files) while the system runs"
    )
    backup.add_argument("out", metavar="OUT", help="OUT.tar, OUT.tar.gz or a folder that does not exist yet")
    backup.add_argument("--quiet", action="store_true", help="no progress lines")
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser("restore", help="check a backup, then load it into an empty installation")
    restore.add_argument("archive", metavar="ARCHIVE", help="the .tar file or folder written by 'vanban backup'")
    restore.add_argument("--force", action="store_true", help="replace the data already there (deletes it)")
    restore.add_argument("--migrate", action="store_true", help="apply the migrations to the new database first")
    restore.add_argument("--check", action="store_true", help="only check every digest of the archive; load nothing")
    restore.add_argument("--quiet", action="store_true", help="no progress lines")
    restore.set_defaults(func=run_restore)


def _progress(args: argparse.Namespace):
    if args.quiet:
        return None

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    return say


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def run_backup(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.backup import create_backup

    report = create_backup(args.out, progress=_progress(args))
    m = report.manifest
    print(
        f"Đã sao lưu vào {report.path}: {report.tables} bảng, {report.rows} dòng, {report.files} tệp"
        f" ({_mb(report.bytes)}), cơ sở dữ liệu {m['database']['vendor']}, lúc {m['created_at_vi']}."
    )
    if report.outside:
        shown = ", ".join(report.outside[:3]) + (
            f" và {len(report.outside) - 3} tệp khác" if len(report.outside) > 3 else ""
        )
        print(
            f"Lưu ý: {len(report.outside)} tệp khóa nằm ngoài thư mục dữ liệu nên không có trong bản sao lưu"
            f" ({shown}; danh sách đủ: outside_files trong manifest.json): hãy sao lưu riêng."
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.backup import manifest_time_vi, restore_backup, verify_archive

    say = _progress(args)
    if args.check:
        manifest = verify_archive(args.archive, progress=say)
        rows = sum(t["rows"] for t in manifest["tables"])
        print(
            f"Bản sao lưu toàn vẹn: tạo lúc {manifest_time_vi(manifest)} (vanban {manifest['vanban_version']},"
            f" {manifest['database']['vendor']}), {len(manifest['tables'])} bảng, {rows} dòng,"
            f" {len(manifest['files']) + len(manifest['var_files'])} tệp, mọi mã SHA-256 khớp."
        )
        return 0
    if args.migrate:
        django_setup.migrate()
    report = restore_backup(args.archive, force=args.force, progress=say)
    from vanban.audit import verify_chain

    print(
        f"Đã khôi phục bản sao lưu lúc {manifest_time_vi(report.manifest)}: {report.tables} bảng,"
        f" {report.rows} dòng, {report.files} tệp."
    )
    for warning in report.warnings:
        print(f"Lưu ý: {warning}")
    chains = verify_chain()
    if chains.ok:
        print(f"Nhật ký toàn vẹn: {len(chains.chains)} chuỗi, {chains.events} sự kiện, mọi chuỗi băm khớp.")
        return 0
    broken = ", ".join(r.chain for r in chains.broken)
    print(f"Nhật ký bị phá vỡ sau khôi phục ({broken}): xem 'vanban audit verify'.")
    return 1
