"""Validating signed PDFs: per signature who signed (person or agency, agency code),
when (claimed time, RFC 3161 timestamp), the certificate chain against a trust store,
revocation where CRLs are given, integrity, coverage and what changed afterwards; a
verdict per signature and for the document.

Never raises for a bad PDF: :func:`validate_pdf` always returns a
:class:`ValidationResult` (``verdict`` ``valid`` / ``invalid`` / ``no_signature`` /
``unreadable``), with :meth:`~ValidationResult.to_json` and
:meth:`~ValidationResult.report_vi`.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from vanban.pdfguard import PdfRefused, check_pdf
from vanban.signing._async import run_sync
from vanban.signing._time import iso_vn
from vanban.signing.identity import (
    agency_code_from_certificate,
    certificate_kind,
    subject_field,
)

__all__ = [
    "Problem",
    "TimestampInfo",
    "SignatureCheck",
    "ValidationResult",
    "validate_pdf",
    "load_trust_roots",
    "PROBLEMS",
]

# Stable machine codes (never reused) -> (Vietnamese, English)
PROBLEMS: dict[str, tuple[str, str]] = {
    "unreadable": ("Không đọc được tệp PDF.", "The PDF cannot be read."),
    "no_signature": ("Văn bản không có chữ ký số.", "The document carries no signature."),
    "signature_unreadable": (
        "Không đọc được chữ ký số (dữ liệu chữ ký hỏng).",
        "The signature data cannot be read.",
    ),
    "tampered": (
        "Nội dung đã bị thay đổi sau khi ký: chữ ký không khớp với dữ liệu.",
        "The signed bytes were altered: the signature does not match.",
    ),
    "bad_signature": (
        "Chữ ký số không đúng với khóa công khai của chứng thư số.",
        "The signature does not verify against the certificate's key.",
    ),
    "untrusted": (
        "Chứng thư số không chuỗi được về một tổ chức chứng thực tin cậy.",
        "The certificate does not chain to a trusted root.",
    ),
    "expired": (
        "Chứng thư số đã hết hạn (hoặc chưa có hiệu lực) tại thời điểm ký/kiểm tra.",
        "The certificate was expired (or not yet valid) at signing/validation time.",
    ),
    "revoked": ("Chứng thư số đã bị thu hồi.", "The certificate was revoked."),
    "forbidden_change": (
        "Văn bản bị sửa đổi sau khi ký theo cách không được phép.",
        "The document was changed after signing in a way that is not allowed.",
    ),
    "partial_coverage": (
        "Chữ ký không bao trùm toàn bộ phiên bản văn bản.",
        "The signature does not cover its whole revision.",
    ),
    "timestamp_invalid": (
        "Dấu thời gian không hợp lệ hoặc không tin cậy.",
        "The timestamp token is invalid or untrusted.",
    ),
    "key_usage": (
        "Chứng thư số không được phép dùng để ký văn bản.",
        "The certificate's key usage does not allow document signing.",
    ),
    # warnings
    "revocation_unknown": (
        "Chưa kiểm tra được tình trạng thu hồi (không có CRL/OCSP).",
        "Revocation status not checked (no CRL/OCSP available).",
    ),
    "claimed_time_only": (
        "Thời gian ký do người ký tự khai (không có dấu thời gian).",
        "The signing time is claimed by the signer (no timestamp).",
    ),
    "signature_removed": (
        "Có chữ ký số đã bị gỡ khỏi văn bản sau khi ký.",
        "A signature present in an earlier revision was removed from the document.",
    ),
    "changed_after": (
        "Có thay đổi được phép sau chữ ký này (ghi số, ngày văn bản; chữ ký/đóng dấu tiếp theo).",
        "Allowed changes were made after this signature (number and date filled in, later signatures).",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One finding: a stable machine ``code``, and what it means in vi and en."""

    code: str
    message_vi: str
    message_en: str

    @classmethod
    def of(cls, code: str, detail_vi: str = "", detail_en: str = "") -> Problem:
        vi, en = PROBLEMS[code]
        return cls(code, f"{vi} {detail_vi}".strip(), f"{en} {detail_en}".strip())


@dataclass
class TimestampInfo:
    time: str
    authority: str
    valid: bool


@dataclass
class SignatureCheck:
    """What one signature says and whether it holds."""

    index: int
    field_name: str
    verdict: str = "invalid"  # "valid" | "invalid"
    signer_name: str = ""
    kind: str = ""  # "person" | "agency" | ""
    agency_code: str | None = None
    organization: str = ""
    position: str = ""
    signing_time: str | None = None  # ISO 8601, +07:00
    signing_time_source: str = ""  # "timestamp" | "claimed" | ""
    timestamp: TimestampInfo | None = None
    certificate_serial: str = ""
    certificate_issuer: str = ""
    certificate_not_before: str = ""
    certificate_not_after: str = ""
    chain: list[str] = field(default_factory=list)
    trusted: bool = False
    revocation: str = "unknown"  # "good" | "revoked" | "unknown"
    intact: bool = False
    coverage: str = ""  # "whole_document" | "whole_revision" | "partial"
    modification_level: str = ""  # none | form_filling | annotations | other
    changed_fields_after: list[str] = field(default_factory=list)
    docmdp: str | None = None  # permission this signature imposes
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"


@dataclass
class ValidationResult:
    """The document's bottom line and one :class:`SignatureCheck` per signature."""

    verdict: str  # "valid" | "invalid" | "no_signature" | "unreadable"
    signatures: list[SignatureCheck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_sha256: str = ""
    validated_at: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    @property
    def exit_code(self) -> int:
        """0 all valid, 1 some signature invalid (or none), 2 unreadable."""
        return {"valid": 0, "unreadable": 2}.get(self.verdict, 1)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def report_vi(self) -> str:
        from vanban.signing._report import report_vi

        return report_vi(self)


def load_trust_roots(paths: Iterable[str | Path]) -> list[x509.Certificate]:
    """Certificates from PEM or DER files (a PEM file may hold several)."""
    certs: list[x509.Certificate] = []
    for p in paths:
        data = Path(p).read_bytes()
        if b"-----BEGIN" in data:
            certs.extend(x509.load_pem_x509_certificates(data))
        else:
            certs.append(x509.load_der_x509_certificate(data))
    return certs


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _crypto(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def _name(n: x509.Name) -> str:
    cn = n.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cn[0].value) if cn else n.rfc4514_string()


def validate_pdf(
    pdf_bytes: bytes,
    trust_roots: Sequence[x509.Certificate],
    *,
    crls: Sequence[x509.CertificateRevocationList] = (),
    moment: datetime | None = None,
    other_certs: Sequence[x509.Certificate] = (),
) -> ValidationResult:
    """Check every signature of ``pdf_bytes`` against ``trust_roots``.

    ``crls`` gives revocation information (checked where given, "unknown" otherwise);
    ``moment`` is the validation time (default now). Never raises for a bad PDF.
    """
    now = moment or datetime.now(tz=UTC)
    result = ValidationResult(
        verdict="invalid",
        file_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        validated_at=iso_vn(now),
    )
    try:
        check_pdf(pdf_bytes)  # a decompression bomb or a looping file is never opened by pyHanko
    except PdfRefused as exc:
        result.verdict = "unreadable"
        result.problems.append(Problem.of("unreadable", exc.message_vi, exc.message_en))
        return result
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        every = list(reader.embedded_signatures)
        sigs = list(reader.embedded_regular_signatures)  # document timestamps (B-LTA) are no signers
    except Exception as exc:  # anything: a broken file is a verdict, not a crash
        result.verdict = "unreadable"
        result.problems.append(Problem.of("unreadable", "", type(exc).__name__))
        return result
    if not sigs:
        result.verdict = "no_signature"
        result.problems.append(Problem.of("no_signature"))
        return result
    checks = run_sync(_validate_all(reader, sigs, trust_roots, crls, now, other_certs))
    result.signatures = checks
    removed = _removed_signatures(pdf_bytes, every)
    if removed:
        result.problems.append(Problem.of("signature_removed", f"(số chữ ký bị gỡ: {removed})", f"({removed} removed)"))
    ok = all(c.valid for c in checks) and not removed
    result.verdict = "valid" if ok else "invalid"
    return result


_BYTERANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _removed_signatures(pdf_bytes: bytes, sigs: list[Any]) -> int:
    """Signature dictionaries written in the file (they are never compressed: their
    /Contents sit at a fixed byte offset) that the document no longer references."""
    in_file = {tuple(int(x) for x in m.groups()) for m in _BYTERANGE.finditer(pdf_bytes)}
    in_file = {br for br in in_file if br[0] == 0 and br[2] + br[3] <= len(pdf_bytes)}
    referenced = set()
    for sig in sigs:
        try:
            referenced.add(tuple(int(x) for x in sig.sig_object["/ByteRange"]))
        except Exception:
            continue
    return len(in_file - referenced)


async def _validate_all(
    reader: Any,
    sigs: list[Any],
    trust_roots: Sequence[x509.Certificate],
    crls: Sequence[x509.CertificateRevocationList],
    now: datetime,
    other_certs: Sequence[x509.Certificate],
) -> list[SignatureCheck]:
    from pyhanko_certvalidator import ValidationContext

    roots = [_asn1(c) for c in trust_roots]
    crl_der = [c.public_bytes(serialization.Encoding.DER) for c in crls]
    crl_issuers = {c.issuer for c in crls}
    out = []
    for ix, sig in enumerate(sigs):
        vc = ValidationContext(
            trust_roots=roots,
            other_certs=[_asn1(c) for c in other_certs],
            crls=crl_der,
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=now,
        )
        out.append(await _validate_one(ix, sig, vc, crl_issuers))
    return out


_MOD_LEVELS = {
    "NONE": "none",
    "LTA_UPDATES": "lta_updates",
    "FORM_FILLING": "form_filling",
    "ANNOTATIONS": "annotations",
    "OTHER": "other",
}
_DOCMDP = {1: "no_changes", 2: "form_filling", 3: "annotations"}


@functools.cache
def _diff_policy() -> Any:
    """pyHanko's default policy of what may change after a signature, without in-place
    appearance stream updates (rewriting an existing stream: never done here, and more room
    for abuse). Also the way around pyHanko 0.38 calling any later revision an update of a
    locked field's appearance when that appearance was made before the signature's own
    revision (a number filled in before the seal, then a document timestamp). Built once:
    the policy keeps no state between files, as pyHanko's own default."""
    from pyhanko.sign.diff_analysis import (
        CatalogModificationRule,
        DocInfoRule,
        DSSCompareRule,
        FormUpdatingRule,
        GenericFieldModificationRule,
        MetadataUpdateRule,
        ModificationLevel,
        ObjectStreamRule,
        SigFieldCreationRule,
        SigFieldModificationRule,
        StandardDiffPolicy,
        XrefStreamRule,
    )

    lta = ModificationLevel.LTA_UPDATES
    return StandardDiffPolicy(
        global_rules=[
            CatalogModificationRule(),
            DocInfoRule().as_qualified(lta),
            XrefStreamRule().as_qualified(lta),
            ObjectStreamRule().as_qualified(lta),
            DSSCompareRule().as_qualified(lta),
            MetadataUpdateRule().as_qualified(lta),
        ],
        form_rule=FormUpdatingRule(
            field_rules=[
                SigFieldCreationRule(),
                SigFieldModificationRule(allow_in_place_appearance_stream_changes=False),
                GenericFieldModificationRule(allow_in_place_appearance_stream_changes=False),
            ],
        ),
    )


async def _validate_one(ix: int, sig: Any, vc: Any, crl_issuers: set[x509.Name]) -> SignatureCheck:
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    check = SignatureCheck(index=ix + 1, field_name=str(sig.field_name))
    try:
        cert = _crypto(sig.signer_cert)
        _describe_cert(check, cert)
    except Exception:
        check.problems.append(Problem.of("signature_unreadable"))
        return check
    try:
        status = await async_validate_pdf_signature(
            sig, signer_validation_context=vc, ts_validation_context=vc, diff_policy=_diff_policy()
        )
    except Exception as exc:
        check.problems.append(Problem.of("signature_unreadable", "", type(exc).__name__))
        return check

    check.intact = bool(status.intact)
    check.trusted = bool(status.trusted)
    if status.validation_path is not None:
        try:
            check.chain = [_name(_crypto(c).subject) for c in status.validation_path.iter_certs(include_root=True)]
        except Exception:  # pragma: no cover - exotic path objects
            check.chain = []
    # signing time
    ts = status.timestamp_validity
    if ts is not None:
        tsa = ""
        try:
            tsa = _name(_crypto(ts.signing_cert).subject)
        except Exception:
            pass
        ts_ok = bool(ts.valid and ts.intact and ts.trusted)
        check.timestamp = TimestampInfo(iso_vn(ts.timestamp), tsa, ts_ok)
        check.signing_time = iso_vn(ts.timestamp)
        check.signing_time_source = "timestamp"
        if not ts_ok:
            check.problems.append(Problem.of("timestamp_invalid"))
    elif status.signer_reported_dt is not None:
        check.signing_time = iso_vn(status.signer_reported_dt)
        check.signing_time_source = "claimed"
        check.warnings.append(Problem.of("claimed_time_only"))
    # integrity
    if not status.intact:
        check.problems.append(Problem.of("tampered"))
    elif not status.valid:
        check.problems.append(Problem.of("bad_signature"))
    # trust, expiry, revocation
    if status.revoked:
        check.revocation = "revoked"
        check.problems.append(Problem.of("revoked"))
    elif not status.trusted:
        check.problems.append(_trust_problem(status, cert, check))
    if check.revocation != "revoked":
        if cert.issuer in crl_issuers and status.trusted:
            check.revocation = "good"
        else:
            check.warnings.append(Problem.of("revocation_unknown"))
    # coverage and later changes
    cov = status.coverage
    if cov == SignatureCoverageLevel.ENTIRE_FILE:
        check.coverage = "whole_document"
    elif cov == SignatureCoverageLevel.ENTIRE_REVISION:
        check.coverage = "whole_revision"
    else:
        check.coverage = "partial"
        check.problems.append(Problem.of("partial_coverage"))
    level = status.modification_level
    check.modification_level = _MOD_LEVELS.get(level.name, "other") if level is not None else ""
    diff = status.diff_result
    changed = getattr(diff, "changed_form_fields", None)
    if changed:
        check.changed_fields_after = sorted(str(f) for f in changed)
    docmdp = getattr(sig, "docmdp_level", None)
    check.docmdp = _DOCMDP.get(int(docmdp.value)) if docmdp is not None else None
    forbidden = status.docmdp_ok is False or (level is not None and level.name == "OTHER")
    if forbidden:
        detail_vi = detail_en = ""
        if diff is not None and not hasattr(diff, "modification_level"):
            detail_en = f"({str(diff)[:200]})"
        check.problems.append(Problem.of("forbidden_change", "", detail_en))
        _ = detail_vi
    elif check.coverage == "whole_revision":
        check.warnings.append(Problem.of("changed_after"))
    check.verdict = "valid" if not check.problems and status.bottom_line else "invalid"
    if check.verdict == "invalid" and not check.problems:  # pyHanko said no, we said nothing
        check.problems.append(Problem.of("key_usage"))
    return check


def _describe_cert(check: SignatureCheck, cert: x509.Certificate) -> None:
    check.signer_name = subject_field(cert, NameOID.COMMON_NAME)
    check.kind = certificate_kind(cert)
    check.agency_code = agency_code_from_certificate(cert)
    check.organization = subject_field(cert, NameOID.ORGANIZATION_NAME)
    check.position = subject_field(cert, NameOID.TITLE)
    check.certificate_serial = format(cert.serial_number, "X")
    check.certificate_issuer = _name(cert.issuer)
    check.certificate_not_before = iso_vn(cert.not_valid_before_utc)
    check.certificate_not_after = iso_vn(cert.not_valid_after_utc)


def _trust_problem(status: Any, cert: x509.Certificate, check: SignatureCheck) -> Problem:
    indic = getattr(status.trust_problem_indic, "name", "") or ""
    if "EXPIRED" in indic or "OUT_OF_BOUNDS" in indic or "NOT_YET_VALID" in indic:
        return Problem.of(
            "expired",
            f"(hiệu lực {check.certificate_not_before} → {check.certificate_not_after})",
            f"(valid {check.certificate_not_before} to {check.certificate_not_after})",
        )
    if "REVOKED" in indic:
        check.revocation = "revoked"
        return Problem.of("revoked")
    if "KEY_USAGE" in indic or "CONSTRAINTS" in indic:
        return Problem.of("key_usage")
    # an expired certificate chained to a trusted root may also surface as no chain
    moment = status.validation_time or datetime.now(tz=UTC)
    if moment > cert.not_valid_after_utc or moment < cert.not_valid_before_utc:
        return Problem.of(
            "expired",
            f"(hiệu lực {check.certificate_not_before} → {check.certificate_not_after})",
            f"(valid {check.certificate_not_before} to {check.certificate_not_after})",
        )
    return Problem.of("untrusted", f"(bên cấp: {check.certificate_issuer})", f"(issuer: {check.certificate_issuer})")
