"""``vanban hub systems ...`` (the national hub's protocol: system ids and secrets) and
``vanban hub conformance report`` (what the sandbox recorded); see ``docs/vdxp.md``."""

from __future__ import annotations

import argparse
import json
import sys

from vanban.cli import CommandError, django_setup


def register_hub(hsub: argparse._SubParsersAction) -> None:
    systems = hsub.add_parser("systems", help="VDXP system ids (the national hub's protocol)")
    ssub = systems.add_subparsers(dest="systems_command", metavar="ACTION", required=True)
    issue = ssub.add_parser("issue", help="issue a system id and secret for agency CODE(s) (the secret shown once)")
    issue.add_argument("codes", nargs="+", metavar="CODE")
    issue.add_argument("--json", action="store_true", help='print {"systemid": ..., "secret": ...}')
    issue.add_argument("--label", default="")
    issue.add_argument("--sandbox", action="store_true", help="a test system, accepted only by a --sandbox hub")
    issue.add_argument("--systemid", default="", help="with --sandbox: the vendor's test system id")
    issue.add_argument("--secret", default="", help="with --sandbox: the vendor's test secret")
    issue.set_defaults(func=run_systems_issue)
    revoke = ssub.add_parser("revoke", help="revoke a system id")
    revoke.add_argument("systemid")
    revoke.set_defaults(func=run_systems_revoke)
    show = ssub.add_parser("list", help="the system ids and their agency codes")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_systems_list)

    conf = hsub.add_parser("conformance", help="the VDXP conformance sandbox")
    csub = conf.add_subparsers(dest="conformance_command", metavar="ACTION", required=True)
    rep = csub.add_parser("report", help="what the sandbox recorded for SYSTEMID")
    rep.add_argument("systemid")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(func=run_conformance_report)


def run_systems_issue(args) -> int:
    django_setup.setup()
    from vanban.exchange.vdxp.systems import issue_system

    if (args.systemid or args.secret) and not args.sandbox:
        raise CommandError("--systemid và --secret chỉ dùng với --sandbox (hệ thống thử nghiệm).", 2)
    system, secret = issue_system(
        None, args.codes, systemid=args.systemid, secret=args.secret, sandbox=args.sandbox, label=args.label
    )
    if args.json:
        print(json.dumps({"systemid": system.systemid, "secret": secret}))
    else:
        print(f"systemid: {system.systemid}")
        print(f"secret: {secret}")
    print(
        f"Mã hệ thống {system.systemid} đã cấp cho {', '.join(system.agency_codes)}; "
        "khóa bí mật chỉ hiển thị một lần, hãy lưu lại.",
        file=sys.stderr,
    )
    return 0


def run_systems_revoke(args) -> int:
    django_setup.setup()
    from vanban.exchange.vdxp.systems import revoke_system

    revoke_system(None, args.systemid)
    print(f"Đã thu hồi mã hệ thống {args.systemid}.")
    return 0


def run_systems_list(args) -> int:
    django_setup.setup()
    from vanban.exchange.models import VdxpSystem

    rows = [
        {
            "systemid": s.systemid,
            "agency_codes": s.agency_codes,
            "sandbox": s.sandbox,
            "revoked": s.revoked_at is not None,
            "label": s.label,
        }
        for s in VdxpSystem.objects.all()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        flags = (" (thử nghiệm)" if r["sandbox"] else "") + (" (đã thu hồi)" if r["revoked"] else "")
        print(f"{r['systemid']}: {', '.join(r['agency_codes'])}{flags}")
    if not rows:
        print("(chưa cấp mã hệ thống nào)")
    return 0


def run_conformance_report(args) -> int:
    django_setup.setup()
    from vanban.exchange.vdxp.conformance import report, report_text

    rows = report(args.systemid)
    if args.json:
        print(json.dumps({"systemid": args.systemid, "requests": rows}, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(report_text(args.systemid, rows))
    return 0
