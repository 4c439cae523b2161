"""``vanban audit verify``: walk the hash chain and report the first broken link."""

from __future__ import annotations

import argparse

from vanban.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="the hash-chained audit log")
    sub = audit.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    verify = sub.add_parser("verify", help="verify the chain (exit 1 at the first broken link)")
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.audit import verify_chain

    report = verify_chain()
    if report.ok:
        print(f"Nhật ký toàn vẹn: {report.events} sự kiện, chuỗi băm khớp.")
        return 0
    print(f"Nhật ký bị phá vỡ tại sự kiện số {report.broken_seq}: {report.reason_vi}")
    print(f"Audit chain broken at event {report.broken_seq}: {report.reason_en}")
    return 1
