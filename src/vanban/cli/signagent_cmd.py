"""``vanban signing-agent``: the local signing agent the signing page talks to, run by the
person on their own computer with their USB token plugged in (:mod:`vanban.signagent`).

It listens on 127.0.0.1 only, answers only the server's pages (``--origin``, the site's
address), prints a pairing code to type into the page once, and asks the token's PIN on
this terminal for each signing (one PIN for a batch). For tests and unattended runs the PIN
comes from an environment variable (``--pin-env NAME``) instead; it is never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from vanban.cli import CommandError

DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "signing-agent", help="local signing agent for a USB token (PKCS#11), for the signing page"
    )
    p.add_argument(
        "--origin", action="append", required=True, help="the server's site address, e.g. https://vanban.tinh.gov.vn"
    )
    p.add_argument(
        "--module",
        default=os.environ.get("VANBAN_PKCS11_MODULE", DEFAULT_MODULE),
        help="the token's PKCS#11 library (.so)",
    )
    p.add_argument("--token", required=True, help="the token's label")
    p.add_argument("--key", required=True, help="the label of the key and its certificate on the token")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    p.add_argument("--pin-env", metavar="NAME", help="read the PIN from this environment variable (tests)")
    p.add_argument("--no-pairing", action="store_true", help="accept the pages without a pairing code")
    p.set_defaults(func=run)


def _pin_source(args: argparse.Namespace):
    if args.pin_env:
        name = args.pin_env

        def from_env(count: int = 0) -> str:
            value = os.environ.get(name)
            if not value:
                raise CommandError(f"biến môi trường {name} không có mã PIN")
            return value

        from_env()  # fail at start, not at the first signature
        return from_env
    if not sys.stdin.isatty():
        raise CommandError("cần một cửa sổ dòng lệnh để hỏi mã PIN (hoặc --pin-env TÊN_BIẾN)")

    def ask(count: int) -> str:
        return getpass.getpass(
            f"Trang văn bản yêu cầu ký {count} văn bản. Nhập mã PIN của thiết bị ký số (bỏ trống để từ chối): "
        )

    return ask


def run(args: argparse.Namespace) -> int:
    from vanban.signagent import AgentConfig, SigningAgent, TokenKey

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for origin in args.origin:
        if not origin.startswith(("https://", "http://")) or origin.rstrip("/").count("/") != 2:
            raise CommandError(
                f"--origin phải là địa chỉ trang, ví dụ https://vanban.tinh.gov.vn (không phải {origin!r})"
            )
    config = AgentConfig(
        key=TokenKey(args.module, args.token, args.key),
        origins=tuple(o.rstrip("/") for o in args.origin),
        pin=_pin_source(args),
        port=args.port,
    )
    if args.no_pairing:
        config.pairing_code = None
    try:
        agent = SigningAgent(config)
    except OSError as exc:
        raise CommandError(f"không mở được cổng 127.0.0.1:{args.port}: {exc}") from exc
    print(f"Phần mềm ký số đang chạy tại {agent.url} cho {', '.join(config.origins)}.", flush=True)
    if config.pairing_code:
        print(f"Mã ghép nối: {config.pairing_code}", flush=True)
    try:
        agent.serve()
    except KeyboardInterrupt:
        pass
    finally:
        agent.stop()
    return 0
