"""``vanban pki``: the test PKI (demo and tests only).

``vanban pki init DIR`` creates the root ("CA thử nghiệm") in DIR (``root.pem``,
``root-key.pem``); ``vanban pki issue DIR --agency CODE --name NAME -o FILE.p12`` issues an
agency (seal) certificate; ``vanban pki issue DIR --person NAME --agency CODE -o FILE.p12``
a personal one. Keys are written UNENCRYPTED unless ``--password`` is given.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from vanban.cli import CommandError, help_command

__all__ = ["register"]

_UNENCRYPTED = (
    "TEST PKI ONLY: the CA key and the PKCS#12 files are written unencrypted "
    "(no password) unless --password / VANBAN_P12_PASSWORD is given."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pki = subparsers.add_parser(
        "pki",
        help="test PKI: a root CA issuing agency and personal certificates (demo/tests)",
        description="Test PKI laid out like a Vietnamese CA. " + _UNENCRYPTED,
    )
    sub = pki.add_subparsers(dest="pki_command", metavar="ACTION")
    pki.set_defaults(func=help_command(pki))

    init = sub.add_parser(
        "init",
        help="create the root CA in DIR (root.pem, root-key.pem)",
        description="Create the test root CA 'CA thử nghiệm' in DIR. " + _UNENCRYPTED,
    )
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--key-type", default="rsa2048", choices=["rsa2048", "rsa3072", "ec-p256"])
    init.add_argument("--name", default="CA thử nghiệm", help="root CA common name")
    init.add_argument("--force", action="store_true", help="overwrite an existing root in DIR")
    init.set_defaults(func=_init)

    issue = sub.add_parser(
        "issue",
        help="issue an agency (--agency CODE --name NAME) or personal (--person NAME --agency CODE) certificate",
        description="Issue a certificate from the test root in DIR, written as PKCS#12. " + _UNENCRYPTED,
    )
    issue.add_argument("directory", metavar="DIR")
    issue.add_argument(
        "--agency", metavar="CODE", required=True, help="agency identifier code (mã định danh), e.g. 000.00.12.H53"
    )
    issue.add_argument(
        "--name", metavar="NAME", help="agency name (for an agency certificate; required without --person)"
    )
    issue.add_argument("--person", metavar="NAME", help="full name: issue a personal certificate")
    issue.add_argument(
        "--agency-name", metavar="NAME", help="agency name in a personal certificate (O); default: --name or the code"
    )
    issue.add_argument("--position", default="", help="position (chức vụ) in a personal certificate")
    issue.add_argument("--person-id", default="", help="citizen id, stored as UID=CCCD:...")
    issue.add_argument("--key-type", default="rsa2048", choices=["rsa2048", "rsa3072", "ec-p256"])
    issue.add_argument("--years", type=int, default=None, help="validity in years (default 5 agency, 3 person)")
    issue.add_argument("-o", "--output", required=True, metavar="FILE.p12")
    issue.add_argument("--password", default=None, help="PKCS#12 password (default: none; env VANBAN_P12_PASSWORD)")
    issue.add_argument(
        "--image", metavar="PNG", help="also write a demo image: signature (person, blue) or seal (agency, red)"
    )
    issue.set_defaults(func=_issue)


def _init(args: argparse.Namespace) -> int:
    from vanban.signing import TestPKI

    d = Path(args.directory)
    if (d / "root.pem").exists() and not args.force:
        raise CommandError(f"{d}/root.pem đã tồn tại (dùng --force để ghi đè).", 2)
    TestPKI.create(d, name=args.name, key_type=args.key_type)  # a SigningError is reported by vanban.cli.main
    print(f"Đã tạo CA thử nghiệm: {d / 'root.pem'} (khóa: {d / 'root-key.pem'}, không mã hóa)")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from vanban.signing import TestPKI, make_seal_image, make_signature_image

    # a SigningError (no CA in the folder, bad key type...) is reported by vanban.cli.main
    password = args.password or os.environ.get("VANBAN_P12_PASSWORD") or None
    from vanban.cli.keyfile import unseal

    pki = TestPKI.load(args.directory, unprotect=unseal)  # the demo's CA key is sealed (vanban keys)
    kwargs = {} if args.years is None else {"years": args.years}
    if args.person:
        agency_name = args.agency_name or args.name or args.agency
        ident = pki.issue_person(
            args.person,
            args.agency,
            agency_name,
            args.position,
            args.key_type,
            person_id=args.person_id,
            **kwargs,
        )
        image = make_signature_image(args.person) if args.image else None
    else:
        if not args.name:
            raise CommandError("Thiếu --name (tên cơ quan) cho chứng thư số cơ quan.", 2)
        ident = pki.issue_agency(args.agency, args.name, args.key_type, **kwargs)
        image = make_seal_image(args.name, code=args.agency) if args.image else None
    ident.write_pkcs12(args.output, password.encode("utf-8") if password else None)
    if image is not None:
        Path(args.image).write_bytes(image)
    kind = "cá nhân" if args.person else "cơ quan"
    print(f"Đã cấp chứng thư số {kind} cho {ident.common_name}: {args.output}")
    return 0
