"""``vanban edxml``: validate, show, build, sign and verify edXML packages.

Exit codes: 0 success / valid, 1 problems found (invalid package, bad signature),
2 unreadable or hostile input (or bad usage). An :class:`EdxmlError` that needs no more
context than its own message is left to :func:`vanban.cli.main`, which reports it.
Pure library underneath: no Django.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import uuid
from pathlib import Path
from typing import Any

from vanban.cli import CommandError
from vanban.edxml import (
    DEFAULT_MAX_SIZE,
    Attachment,
    EdxmlError,
    Envelope,
    Severity,
    TrustStore,
    build,
    load_identity,
    parse,
    sign,
    validate,
    verify,
)
from vanban.edxml.jsonio import from_dict, to_dict

__all__ = ["register"]


def _read(path: str, max_size: int) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_size:
            raise CommandError(f"{path}: tệp quá lớn ({size} byte, giới hạn {max_size}) / file too large", 2)
        return p.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: không đọc được tệp / cannot read file: {exc.strerror}", 2) from None


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"{path}: không ghi được tệp / cannot write file: {exc.strerror}", 2) from None


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def cmd_validate(args: argparse.Namespace) -> int:
    worst = 0
    report = []
    for path in args.files:
        try:
            problems = validate(_read(path, args.max_size), max_size=args.max_size)
        except CommandError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            worst = 2
            report.append({"file": path, "readable": False, "error": str(exc)})
            continue
        except EdxmlError as exc:
            print(f"{path}: KHÔNG ĐỌC ĐƯỢC / UNREADABLE [{exc.code}] {exc}", file=sys.stderr)
            worst = 2
            report.append({"file": path, "readable": False, "error": exc.to_dict()})
            continue
        errors = [p for p in problems if p.severity is Severity.ERROR]
        shown = problems if args.warnings else errors
        if args.json:
            report.append(
                {"file": path, "readable": True, "valid": not errors, "problems": [p.to_dict() for p in shown]}
            )
        else:
            status = "HỢP LỆ / VALID" if not errors else f"CÓ LỖI / INVALID ({len(errors)})"
            print(f"{path}: {status}")
            for p in shown:
                print(f"  {p}")
        if errors:
            worst = max(worst, 1)
    if args.json:
        _dump(report)
    return worst


def cmd_show(args: argparse.Namespace) -> int:
    data = _read(args.file, args.max_size)
    try:
        pkg = parse(data, max_size=args.max_size, verify_digests=False)
    except EdxmlError as exc:
        raise CommandError(f"{args.file}: không đọc được gói tin / unreadable package [{exc.code}]: {exc}", 2) from None
    try:
        problems = [p.to_dict() for p in validate(data, max_size=args.max_size)]
    except EdxmlError as exc:  # pragma: no cover - parse succeeded, so validate should too
        problems = [exc.to_dict()]
    out: dict[str, Any] = to_dict(pkg)
    sig = pkg.signature
    out["signature"] = (
        None
        if sig is None
        else {
            "present": sig.present,
            "namespace_ok": sig.namespace_ok,
            "signature_method": sig.signature_method,
            "digest_method": sig.digest_method,
            "reference_uris": list(sig.reference_uris),
            "subject_name": sig.subject_name,
            "has_certificate": sig.has_certificate,
            "placeholder": sig.placeholder,
        }
    )
    if args.trust:
        out["signature_verification"] = verify(data, TrustStore.from_path(*args.trust)).to_dict()
    out["problems"] = problems
    out["valid"] = not any(p["severity"] == "error" for p in problems)
    _dump(out)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    src = Path(args.from_json)
    try:
        spec = json.loads(src.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{src}: không đọc được tệp / cannot read file: {exc.strerror}", 2) from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{src}: JSON không hợp lệ / invalid JSON: {exc}", 2) from None
    try:
        pkg = from_dict(spec, base_dir=src.parent)
    except EdxmlError as exc:
        raise CommandError(f"{src}: {exc}", 2) from None
    if args.attach:
        if not isinstance(pkg, Envelope):
            raise CommandError("--attach chỉ dùng cho gói tin văn bản / --attach needs an envelope", 2)
        for path in args.attach:
            p = Path(path)
            content = _read(path, DEFAULT_MAX_SIZE)
            ctype = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
            pkg.attachments.append(Attachment(str(uuid.uuid4()), p.name, ctype, content, p.name))
    data = build(pkg, digests=not args.no_digest)
    _write(args.output, data)
    errors = [p for p in validate(data) if p.severity is Severity.ERROR]
    for problem in errors:
        print(f"  {problem}", file=sys.stderr)
    print(f"Đã ghi / wrote {args.output} ({len(data)} byte)" + (f", {len(errors)} lỗi / errors" if errors else ""))
    return 1 if errors else 0


def cmd_sign(args: argparse.Namespace) -> int:
    data = _read(args.input, args.max_size)
    from vanban.cli.keyfile import sealed_key_bytes

    sealed = sealed_key_bytes(args.key)
    identity = load_identity(args.key if sealed is None else sealed, args.cert, args.password, name=args.key)
    signed = sign(data, identity, max_size=args.max_size)
    _write(args.output, signed)
    subject = identity.certificate.subject.rfc4514_string()
    print(f"Đã ký / signed {args.output} ({subject})")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    data = _read(args.file, args.max_size)
    try:
        store = TrustStore.from_path(*args.trust)
        result = verify(data, store, max_size=args.max_size)
    except EdxmlError as exc:
        raise CommandError(f"{args.file}: [{exc.code}] {exc}", 2) from None
    if args.json:
        _dump(result.to_dict())
    else:
        print(f"{args.file}: {result.message_vi} / {result.message_en}")
        if result.signer_subject:
            print(f"  Người ký / signer: {result.signer_subject}")
            print(
                f"  Mã định danh / agency code: {result.agency_code or '—'}; cơ quan gửi / sender: {result.sender_organ_id}"
            )
    if not result.valid:
        return 1
    if result.sender_matches is False and not args.allow_other_sender:
        return 1
    return 0


def register(subparsers: Any) -> None:
    """Add ``vanban edxml ...`` to the top-level parser."""
    parser = subparsers.add_parser("edxml", help="edXML packages (QCVN 102:2016): validate, show, build, sign, verify")
    sub = parser.add_subparsers(dest="edxml_command", metavar="SUBCOMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--max-size", type=int, default=DEFAULT_MAX_SIZE, help="largest package accepted, in bytes (default 50 MB)"
        )

    p = sub.add_parser("validate", help="check packages against the XSD and the standard's rules")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON report")
    p.add_argument("--warnings", action="store_true", help="also list warnings (tolerated quirks)")
    common(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("show", help="print a JSON summary of a package, with its problems")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--trust", action="append", metavar="ROOT", help="also verify the signature against ROOT (PEM file or folder)"
    )
    common(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("build", help="build a canonical package from JSON (see docs/edxml.md)")
    p.add_argument("--from", dest="from_json", required=True, metavar="JSON")
    p.add_argument("--attach", nargs="*", default=[], metavar="FILE", help="files to attach")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--no-digest", action="store_true", help="leave out the vb:sha256 attachment digests")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("sign", help="sign a package (XML-DSig, enveloped, RSA/ECDSA-SHA256)")
    p.add_argument("input", metavar="IN")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--key", required=True, metavar="FILE", help="PKCS#12 file, or PEM private key with --cert")
    p.add_argument("--cert", metavar="CERT.pem", help="PEM certificate (and chain) for a PEM key")
    p.add_argument("--password", help="password of the PKCS#12 file or PEM key")
    common(p)
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("verify", help="verify a package's XML signature against trusted roots")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--trust",
        action="append",
        required=True,
        metavar="ROOT",
        help="root certificate PEM file or folder (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--allow-other-sender", action="store_true", help="exit 0 even if the certificate's agency is not the sender"
    )
    common(p)
    p.set_defaults(func=cmd_verify)
