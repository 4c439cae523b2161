"""``vanban sign pdf`` and ``vanban verify pdf``.

``sign`` and ``verify`` are groups: other modules may add sub-commands (for instance
``verify edxml``) with :func:`command_group`, whatever the registration order.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.cli import CommandError, help_command

__all__ = ["register", "command_group"]

if TYPE_CHECKING:  # subscripting it fails at run time on Python 3.11
    _Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def command_group(subparsers: _Subparsers, name: str, help: str) -> _Subparsers:
    """The sub-command action of top-level group ``name`` (created if absent)."""
    parser = subparsers.choices.get(name)
    if parser is None:
        parser = subparsers.add_parser(name, help=help, description=help)
        parser.set_defaults(func=help_command(parser))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_kind", metavar="KIND")


def register(subparsers: _Subparsers) -> None:
    sign = command_group(subparsers, "sign", "digitally sign documents")
    p = sign.add_parser(
        "pdf",
        help="sign a PDF (PAdES): the signer's signature, or the agency seal with --seal",
        description=(
            "Sign a PDF with PAdES B-B (B-T with --tsa). Without --seal: the signer's "
            "signature, image in --box (default bottom right of the last page). With --seal: "
            "the agency seal over the left third of the last signature, locking the document. "
            "The key comes from --key FILE.p12 (or PEM), a PKCS#11 token "
            "(--pkcs11 MODULE --token LABEL --key-label LABEL) or a remote signer "
            "(--remote URL --remote-key ID)."
        ),
    )
    p.add_argument("input", metavar="IN")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--key", metavar="FILE", help="PKCS#12 (.p12/.pfx) or PEM with key and certificate(s)")
    p.add_argument("--password", help="key file password (env VANBAN_KEY_PASSWORD)")
    p.add_argument("--pkcs11", metavar="MODULE", help="PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so")
    p.add_argument("--token", metavar="LABEL", help="token label")
    p.add_argument("--key-label", metavar="LABEL", help="key (and certificate) label on the token")
    p.add_argument("--pin", help="token PIN (env VANBAN_PKCS11_PIN)")
    p.add_argument("--remote", metavar="URL", help="remote signing service base URL")
    p.add_argument("--remote-key", metavar="ID", help="key id at the remote service")
    p.add_argument("--remote-token", help="bearer token for the remote service (env VANBAN_REMOTE_TOKEN)")
    p.add_argument("--image", metavar="PNG", help="signature (blue) or seal (red) image, PNG with transparency")
    p.add_argument("--seal", action="store_true", help="agency seal signature (văn thư), after the signer's")
    p.add_argument(
        "--attachment",
        metavar="SO_KY_HIEU",
        help="agency signature on a separate attachment: text 'số, ký hiệu + time' top right",
    )
    p.add_argument(
        "--copy", metavar="AGENCY", help="agency signature on an electronic copy: text 'agency + time' top right"
    )
    p.add_argument(
        "--box",
        metavar="PAGE,X1,Y1,X2,Y2",
        help="signature rectangle: page number (1-based, negative from the end) and PDF points",
    )
    p.add_argument("--tsa", metavar="URL", help="RFC 3161 timestamp service (PAdES B-T)")
    p.add_argument("--no-lock", action="store_true", help="with --seal: do not lock the document")
    p.set_defaults(func=_sign_pdf)

    verify = command_group(subparsers, "verify", "verify digital signatures")
    v = verify.add_parser(
        "pdf",
        help="verify the signatures of a PDF (exit 0 all valid, 1 some invalid, 2 unreadable)",
        description="Verify every signature of a PDF against trusted roots. Prints a report in "
        "Vietnamese, or JSON with --json. Exit 0 all valid, 1 some invalid or none, 2 unreadable.",
    )
    v.add_argument("file", metavar="FILE")
    v.add_argument(
        "--trust", action="append", required=True, metavar="ROOT.pem", help="trusted root certificate(s); repeatable"
    )
    v.add_argument(
        "--crl", action="append", default=[], metavar="FILE", help="CRL (PEM or DER) for revocation checks; repeatable"
    )
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=_verify_pdf)


def _parse_box(text: str) -> tuple[int, float, float, float, float]:
    try:
        parts = [float(x) for x in text.split(",")]
        page, x1, y1, x2, y2 = parts
    except ValueError:
        raise CommandError("--box phải có dạng TRANG,X1,Y1,X2,Y2 (ví dụ 1,350,200,500,280).", 2) from None
    p = int(page)
    if p == 0:
        raise CommandError("--box: số trang bắt đầu từ 1 (hoặc âm, tính từ cuối).", 2)
    return (p - 1 if p > 0 else p, x1, y1, x2, y2)


def _signer(args: argparse.Namespace) -> Any:
    from vanban.signing import KeyFileSigner, PKCS11Signer, RemoteSigner

    chosen = [bool(args.key), bool(args.pkcs11), bool(args.remote)]
    if sum(chosen) != 1:
        raise CommandError("Chọn đúng một nguồn khóa: --key, --pkcs11 hoặc --remote.", 2)
    if args.key:
        pw = args.password or os.environ.get("VANBAN_KEY_PASSWORD")
        from vanban.cli.keyfile import sealed_key_bytes

        password = pw.encode("utf-8") if pw else None
        sealed = sealed_key_bytes(args.key)
        if sealed is not None:
            return KeyFileSigner.from_bytes(sealed, password)
        return KeyFileSigner.from_file(args.key, password)
    if args.pkcs11:
        if not args.token or not args.key_label:
            raise CommandError("--pkcs11 cần --token và --key-label.", 2)
        pin = args.pin or os.environ.get("VANBAN_PKCS11_PIN")
        return PKCS11Signer(args.pkcs11, args.token, args.key_label, pin)
    if not args.remote_key:
        raise CommandError("--remote cần --remote-key.", 2)
    return RemoteSigner(args.remote, args.remote_key, token=args.remote_token or os.environ.get("VANBAN_REMOTE_TOKEN"))


def _sign_pdf(args: argparse.Namespace) -> int:
    from vanban.signing import seal_pdf, sign_attachment, sign_copy, sign_pdf

    try:
        data = Path(args.input).read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được {args.input}: {exc.strerror}", 2) from exc
    image = Path(args.image).read_bytes() if args.image else None
    box = _parse_box(args.box) if args.box else None
    signer = _signer(args)  # a SigningError is reported by vanban.cli.main
    try:
        if args.attachment:
            out = sign_attachment(data, signer, args.attachment, timestamp_url=args.tsa)
        elif args.copy:
            out = sign_copy(data, signer, args.copy, timestamp_url=args.tsa)
        elif args.seal:
            out = seal_pdf(data, signer, seal_image=image, box=box, timestamp_url=args.tsa, lock=not args.no_lock)
        else:
            out = sign_pdf(data, signer, image=image, box=box, timestamp_url=args.tsa)
    finally:
        signer.close()
    Path(args.output).write_bytes(out)
    print(f"Đã ký: {args.output}")
    return 0


def _verify_pdf(args: argparse.Namespace) -> int:
    from cryptography import x509

    from vanban.signing import load_trust_roots, validate_pdf

    try:
        roots = load_trust_roots(args.trust)
        crls = []
        for c in args.crl:
            raw = Path(c).read_bytes()
            crls.append(x509.load_pem_x509_crl(raw) if b"-----BEGIN" in raw else x509.load_der_x509_crl(raw))
    except (OSError, ValueError) as exc:
        raise CommandError(f"Không đọc được chứng thư số gốc/CRL: {exc}", 2) from exc
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được {args.file}: {exc.strerror}", 2) from exc
    result = validate_pdf(data, roots, crls=crls)
    print(result.to_json() if args.json else result.report_vi(), end="" if not args.json else "\n")
    return result.exit_code
