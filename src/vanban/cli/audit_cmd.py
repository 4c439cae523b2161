"""``vanban audit verify``: walk the hash chains (every chain, or one with ``--chain``) and
report on each, naming the first broken link of a broken one."""

from __future__ import annotations

import argparse

from vanban.cli import django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="the hash-chained audit log")
    sub = audit.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    verify = sub.add_parser("verify", help="verify every chain (exit 1 if one is broken)")
    verify.add_argument(
        "--chain",
        metavar="KEY",
        help="only this chain: agency:<agency code>, hub or system (an agency code alone also works)",
    )
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.audit import agency_chain, chain_keys, chain_label_vi, verify_chain

    key = getattr(args, "chain", None)
    if key is not None:
        known = chain_keys()
        if key not in known and agency_chain(key) in known:
            key = agency_chain(key)
        if key not in known:
            print(f"Không có {chain_label_vi(key)} trong nhật ký. Các chuỗi hiện có: {', '.join(known) or 'không có'}.")
            print(f"No audit chain {key!r}.")
            return 2
    report = verify_chain(key)
    reports = report.chains if key is None else (report,)
    for r in reports:
        label = chain_label_vi(r.chain)
        if r.ok:
            print(f"{label[0].upper()}{label[1:]} ({r.chain}): toàn vẹn, {r.events} sự kiện, chuỗi băm khớp.")
        else:
            print(f"{label[0].upper()}{label[1:]} ({r.chain}): bị phá vỡ tại sự kiện số {r.broken_seq}: {r.reason_vi}")
            print(f"  Audit chain {r.chain} broken at event {r.broken_seq}: {r.reason_en}")
    broken = [r for r in reports if not r.ok]
    if key is None:
        if not broken:
            print(f"Nhật ký toàn vẹn: {len(reports)} chuỗi, {report.events} sự kiện, mọi chuỗi băm khớp.")
        else:
            rest = "; các chuỗi khác toàn vẹn" if len(broken) < len(reports) else ""
            print(
                f"Nhật ký bị phá vỡ: {len(broken)}/{len(reports)} chuỗi hỏng ({', '.join(r.chain for r in broken)}){rest}."
            )
    return 1 if broken else 0
