"""``vanban storage fixity [--all] [--batch N] [--json]``: re-hash stored files against their
content address (:mod:`vanban.fixity`). Without ``--all`` one batch, from where the last run
(or the worker's periodic task) stopped; with ``--all`` one whole pass from the start. A
damaged or missing file is audited and mailed to the administrators as the periodic task
does; the summary is printed in Vietnamese (``--json``: one JSON object). Exit status 0
when every file checked is intact, 1 when some is not."""

from __future__ import annotations

import argparse
import json

from vanban.cli import EXIT_FAILED, EXIT_RETRY, CommandError, django_setup, help_command


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("storage", help="stored files: fixity check")
    sub = group.add_subparsers(dest="storage_command", metavar="SUBCOMMAND")
    group.set_defaults(func=help_command(group))
    fixity = sub.add_parser("fixity", help="re-hash stored files and report any that is damaged or missing")
    fixity.add_argument("--all", action="store_true", help="one whole pass from the start, not one batch")
    fixity.add_argument("--batch", type=int, metavar="N", help="rows per batch (default VANBAN_FIXITY_BATCH)")
    fixity.add_argument("--json", action="store_true", help="the report as one JSON object")
    fixity.set_defaults(func=run_fixity)


def run_fixity(args: argparse.Namespace) -> int:
    if args.batch is not None and args.batch < 1:
        raise CommandError("--batch phải là số dương.")
    django_setup.setup()
    from vanban.fixity.services import check_all, check_batch

    report = check_all(args.batch) if args.all else check_batch(args.batch)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(report.lines_vi()))
    if report.busy:
        return EXIT_RETRY
    return EXIT_FAILED if report.findings else 0
