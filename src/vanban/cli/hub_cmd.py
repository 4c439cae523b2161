"""``vanban hub ...`` (the hub's credentials, routing, OpenAPI document) and
``vanban connector ...`` (an office's hub accounts, outbox and inbox)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from vanban.cli import CommandError, django_setup


def register(subparsers: argparse._SubParsersAction) -> None:
    hub = subparsers.add_parser("hub", help="the interconnection hub: credentials, routing")
    hsub = hub.add_subparsers(dest="hub_command", metavar="SUBCOMMAND", required=True)

    cred = hsub.add_parser("credentials", help="issue or revoke API credentials")
    csub = cred.add_subparsers(dest="cred_command", metavar="ACTION", required=True)
    issue = csub.add_parser("issue", help="issue a credential for agency CODE (prints the token once)")
    issue.add_argument("code", help="agency code, or a peer hub code with --peer")
    issue.add_argument("--peer", action="store_true", help="the credential is for another hub")
    issue.add_argument("--label", default="")
    issue.set_defaults(func=run_credentials_issue)
    revoke = csub.add_parser("revoke", help="revoke a credential by its id")
    revoke.add_argument("id")
    revoke.set_defaults(func=run_credentials_revoke)

    serves = hsub.add_parser("serves", help="set the code patterns this hub serves (none: list them)")
    serves.add_argument("patterns", nargs="*", help="exact code, prefix, or pattern like '*.H53'")
    serves.add_argument("--all", action="store_true", help="serve every agency in the directory")
    serves.set_defaults(func=run_serves)

    peer = hsub.add_parser("peer", help="add or change a peer hub (the parent, or one serving patterns)")
    peer.add_argument("code")
    peer.add_argument("url", help="its API base, e.g. https://truc.quocgia.gov.vn/hub/v1/")
    peer.add_argument("--token", default=os.environ.get("VANBAN_PEER_TOKEN", ""))
    peer.add_argument("--pattern", action="append", default=[])
    peer.add_argument("--parent", action="store_true")
    peer.set_defaults(func=run_peer)

    from vanban.cli.vdxp_cmd import register_hub

    register_hub(hsub)

    openapi = hsub.add_parser("openapi", help="print the hub's OpenAPI document")
    openapi.add_argument("-o", "--output", type=Path)
    openapi.set_defaults(func=run_openapi)

    conn = subparsers.add_parser("connector", help="an office's connection to its hub")
    nsub = conn.add_subparsers(dest="connector_command", metavar="SUBCOMMAND", required=True)
    acc = nsub.add_parser("account", help="hub accounts of the agencies hosted here")
    asub = acc.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    aset = asub.add_parser("set", help="set agency CODE's hub URL, token and XML-signing key")
    aset.add_argument("code")
    aset.add_argument("--hub", required=True, help="hub API base, e.g. https://truc.tinh.gov.vn/hub/v1/")
    aset.add_argument(
        "--token",
        default=os.environ.get("VANBAN_HUB_TOKEN", ""),
        help="the token from 'vanban hub credentials issue' (or $VANBAN_HUB_TOKEN)",
    )
    aset.add_argument("--key", default="", help="PKCS#12 or PEM key file for XML signatures")
    aset.add_argument("--cert", default="", help="PEM certificate file when --key is a PEM key")
    aset.set_defaults(func=run_account_set)

    enq = nsub.add_parser("enqueue", help="queue signed edXML envelopes for sending")
    enq.add_argument("files", type=Path, nargs="+")
    enq.add_argument("--agency", required=True)
    enq.add_argument("--ref", default="", help="document reference (default: file:<name>)")
    enq.set_defaults(func=run_enqueue)

    pull = nsub.add_parser("pull", help="pull every inbox now")
    pull.set_defaults(func=run_pull)
    flush = nsub.add_parser("flush", help="send every due outbox item now")
    flush.set_defaults(func=run_flush)
    show = nsub.add_parser("list", help="outbox, received packages and statuses as JSON")
    show.set_defaults(func=run_list)


def _agency(code: str):
    from vanban.directory.models import Agency

    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(f"Không có cơ quan mã {code} trong danh bạ.", 1)
    return agency


def run_credentials_issue(args) -> int:
    django_setup.setup()
    from vanban.exchange.auth import issue_credential

    if args.peer:
        cred, token = issue_credential(None, peer_code=args.code, label=args.label)
    else:
        cred, token = issue_credential(None, agency=_agency(args.code), label=args.label)
    print(token)
    print(f"Khóa {cred.id} đã cấp; chỉ hiển thị một lần, hãy lưu lại.", file=sys.stderr)
    return 0


def run_credentials_revoke(args) -> int:
    django_setup.setup()
    from vanban.exchange.auth import revoke_credential

    revoke_credential(None, args.id)
    print(f"Đã thu hồi khóa {args.id}.")
    return 0


def run_serves(args) -> int:
    django_setup.setup()
    from vanban.exchange.models import ServedPattern
    from vanban.exchange.services import set_served_patterns

    if args.patterns or args.all:
        set_served_patterns(None, [] if args.all else args.patterns)
    patterns = list(ServedPattern.objects.values_list("pattern", flat=True))
    print("\n".join(patterns) if patterns else "(mọi cơ quan trong danh bạ)")
    return 0


def run_peer(args) -> int:
    django_setup.setup()
    from vanban.exchange.services import set_peer

    if not args.token:
        raise CommandError("Cần --token (hoặc $VANBAN_PEER_TOKEN).", 2)
    peer = set_peer(None, args.code, args.url, args.token, args.pattern, args.parent)
    print(f"Trục {peer.code}: {peer.base_url} {'(cấp trên)' if peer.is_parent else ''} {peer.patterns}")
    return 0


def openapi_document() -> str:
    from vanban.exchange.api import api

    schema = api.get_openapi_schema(path_prefix="/hub/v1")
    plain = json.loads(json.dumps(schema, ensure_ascii=False))  # int status keys -> str
    return json.dumps(plain, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def run_openapi(args) -> int:
    os.environ.setdefault("VANBAN_ROLE", "hub")
    django_setup.setup()
    text = openapi_document()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_account_set(args) -> int:
    django_setup.setup()
    from vanban.connector.accounts import set_account

    if not args.token:
        raise CommandError("Cần --token (hoặc $VANBAN_HUB_TOKEN).", 2)
    for f in (args.key, args.cert):
        if f and not Path(f).is_file():
            raise CommandError(f"Không tìm thấy tệp {f}.", 2)
    set_account(
        None,
        _agency(args.code),
        hub_url=args.hub,
        token=args.token,
        signing_key_path=str(Path(args.key).resolve()) if args.key else "",
        signing_cert_path=str(Path(args.cert).resolve()) if args.cert else "",
    )
    print(f"Đã lưu tài khoản trục cho {args.code}.")
    return 0


def run_enqueue(args) -> int:
    for f in args.files:
        if not f.is_file():
            raise CommandError(f"Không tìm thấy tệp {f}.", 2)
    django_setup.setup()
    from vanban.connector.outbox import enqueue_outgoing
    from vanban.edxml import EdxmlError, Envelope, parse

    agency = _agency(args.agency)
    for f in args.files:
        data = f.read_bytes()
        try:
            pkg = parse(data)
        except EdxmlError as exc:
            raise CommandError(f"{f}: {exc.message_vi}", 1) from None
        if not isinstance(pkg, Envelope):
            raise CommandError(f"{f}: tệp không phải gói tin văn bản.", 1)
        item = enqueue_outgoing(
            agency, args.ref or f"file:{f.name}", pkg.document_id or "", [r.organ_id for r in pkg.recipients], data
        )
        print(item.pk)
    return 0


def run_pull(args) -> int:
    django_setup.setup()
    from vanban.connector.tasks import pull_inbox

    print(json.dumps(pull_inbox.call()))
    return 0


def run_flush(args) -> int:
    django_setup.setup()
    from vanban.connector.tasks import flush_outbox

    print(flush_outbox.call())
    return 0


def run_list(args) -> int:
    django_setup.setup()
    from vanban.connector.models import OutboxItem, ReceivedPackage, ReceivedStatus

    data = {
        "outbox": list(
            OutboxItem.objects.values(
                "id", "agency__code", "kind", "document_id", "state", "attempts", "last_error_code", "hub_package_id"
            )
        ),
        "received": list(
            ReceivedPackage.objects.values(
                "id", "agency__code", "sender_code", "document_id", "verified", "state", "sha256"
            )
        ),
        "statuses": list(ReceivedStatus.objects.values("agency__code", "document_id", "from_code", "status_code")),
    }
    print(json.dumps(data, ensure_ascii=False, default=str))
    return 0
