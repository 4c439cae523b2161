"""The transfer to the archive end to end (nộp lưu, NĐ 30/2020 Điều 31; spec archive.md §2):
:func:`export_transfer` checks the closed dossiers, gives each signed PDF long-term
validation data (PAdES B-LTA) when a timestamp authority is configured, writes the transfer
package (:mod:`vanban.archivepkg`) sealed with the agency's seal key, and only then marks
the dossiers transferred (history + audit, all or none); :func:`receive_transfer` is the
archive's side: it verifies a package and records its receipt, or refuses it with the
verifier's problems (a refused package is recorded too).

The records' metadata (TT 05/2025 element names, :mod:`vanban.records.transfer`) becomes
the package builder's input (its internal names, :mod:`vanban.archivepkg.fieldmap`) in one
table, :data:`DOSSIER_TO_PACKAGE` / :data:`DOCUMENT_TO_PACKAGE`. Streamed: files are opened
one at a time; with long-term validation each PDF is made B-LTA into a temporary folder
first (one PDF in memory at a time), so an unreachable TSA or CRL server refuses the transfer
before any package is written."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from vanban.audit import AuditAction
from vanban.records.errors import PackageRefused, TransferRefused
from vanban.records.models import Dossier, TransferReceipt
from vanban.records.services._common import require_role
from vanban.records.services.disposal import mark_transferred
from vanban.records.transfer import TransferDocument, TransferDossier, check_transfer, transfer_entries

__all__ = [
    "DOSSIER_TO_PACKAGE",
    "DOCUMENT_TO_PACKAGE",
    "TransferExport",
    "archive_tsa_url",
    "export_transfer",
    "receive_transfer",
    "to_package",
]

# records metadata (TT 05/2025 names) → archivepkg internal names (NĐ 30 / TT 02 names)
DOSSIER_TO_PACKAGE: dict[str, str] = {
    "fileCode": "FileCode",
    "title": "Title",
    "maintenance": "Maintenance",
    "mode": "Rights",
    "language": "Language",
    "startDate": "StartDate",
    "endDate": "EndDate",
    "keyword": "Keyword",
    "numberOfPage": "PageTotal",
    "confidenceLevel": "ConfidenceLevel",
    "creator": "Creator",
    "description": "Description",
}
DOCUMENT_TO_PACKAGE: dict[str, str] = {
    "docId": "DocCode",  # computed below: mã hồ sơ + "." + ordinal (spec §1.1, ≤ 25 characters)
    "typeAbbreviation": "TypeName",  # TT 05 typeName is 10 characters: the type's abbreviation (QĐ, CV)
    "codeNumber": "CodeNumber",
    "codeNotation": "CodeNotation",
    "issuedDate": "IssuedDate",
    "organName": "OrganName",
    "subject": "Subject",
    "language": "Language",
    "numberOfPage": "PageAmount",
    "mode": "Mode",
    "confidenceLevel": "ConfidenceLevel",
    "description": "Description",
}
ROLES_EXPORT = ("van-thu",)
ROLES_RECEIVE = ("van-thu", "quan-tri-co-quan")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _mapped(meta: dict[str, Any], table: dict[str, str]) -> dict[str, str]:
    return {internal: _text(meta.get(name)) for name, internal in table.items() if _text(meta.get(name))}


def _doc_id(meta: dict[str, Any]) -> str:
    """Mã định danh tài liệu (``docId``, 25 characters at most): the dossier's number and
    notation + the ordinal, prefixed by as much of the agency code as fits."""
    code = f"{meta['fileCode']}.{meta['docOrdinal']}"
    return code if len(code) <= 25 else code[-25:].lstrip(".")


def to_package(entry: TransferDossier, documents: Iterable[Any] | None = None):
    """One dossier of :func:`transfer_entries` as :class:`vanban.archivepkg.DossierEntry`
    (``documents``: its documents already converted, e.g. made long-term valid)."""
    from vanban.archivepkg import DossierEntry

    docs = tuple(documents) if documents is not None else tuple(_document(d) for d in entry.documents)
    return DossierEntry(metadata=_mapped(entry.metadata, DOSSIER_TO_PACKAGE), documents=docs)


def _document(doc: TransferDocument, path: Path | None = None, sha256: str | None = None):
    """``path``: the document's file rewritten (long-term validation), ``sha256`` its digest."""
    from vanban.archivepkg import DocumentEntry

    meta = dict(doc.metadata, docId=_doc_id(doc.metadata))
    meta["typeAbbreviation"] = meta.get("typeAbbreviation") or meta.get("typeName")
    values = _mapped(meta, DOCUMENT_TO_PACKAGE)
    if path is None:
        return DocumentEntry(values, doc.file_name, "application/pdf", doc.open, doc.size, doc.sha256)
    return DocumentEntry(
        values, doc.file_name, "application/pdf", lambda: open(path, "rb"), path.stat().st_size, sha256
    )


def archive_tsa_url() -> str:
    """The timestamp service for long-term validation (``VANBAN_ARCHIVE_TSA_URL``, else the
    signing one); empty: the PDFs go into the package as they are."""
    return (getattr(settings, "VANBAN_ARCHIVE_TSA_URL", "") or getattr(settings, "VANBAN_SIGNING_TSA_URL", "")).strip()


@dataclass(frozen=True)
class TransferExport:
    """What :func:`export_transfer` wrote."""

    dossiers: list[str]  # their codes
    documents: int
    package_bytes: int
    package_sha256: str
    long_term: bool  # the PDFs were given long-term validation data
    signer_subject: str


def _blocked(checks) -> TransferRefused:
    lines = [f"“{c.dossier.notation}”: " + " ".join(b.message_vi for b in c.blockers) for c in checks if not c.ready]
    return TransferRefused(
        "Chưa nộp lưu được, hồ sơ còn vướng: " + "; ".join(lines),
        "Some dossiers are not ready for transfer.",
        code="transfer_blocked",
        details=[
            {"dossier": c.dossier.code, "blockers": [{"code": b.code, "message": b.message_vi} for b in c.blockers]}
            for c in checks
            if not c.ready
        ],
    )


def _agency_of(dossiers: list[Dossier]):
    if not dossiers:
        raise TransferRefused("Hãy chọn ít nhất một hồ sơ để nộp lưu.", "No dossier selected.", code="no_dossier")
    agencies = {d.agency_id for d in dossiers}
    if len(agencies) > 1:
        raise TransferRefused(
            "Một gói nộp lưu chỉ gồm hồ sơ của một cơ quan.", "Dossiers of several agencies.", code="several_agencies"
        )
    return dossiers[0].agency


def _long_term(entries: Iterator[TransferDossier], folder: Path, tsa_url: str) -> list:
    """Each document made B-LTA into ``folder`` (one PDF in memory at a time); a failure
    (TSA, CRL or OCSP unreachable, a certificate revoked) refuses the whole transfer."""
    from vanban.records.transfer import _trust_roots
    from vanban.signing import SigningError, add_long_term_validation

    roots = _trust_roots()
    out = []
    n = 0
    for entry in entries:
        docs = []
        for doc in entry.documents:
            with doc.open() as src:
                data = src.read()
            try:
                data = add_long_term_validation(data, trust_roots=roots, timestamp_url=tsa_url)
            except SigningError as exc:
                raise TransferRefused(
                    f"Không bổ sung được dữ liệu kiểm tra dài hạn cho chữ ký số của văn bản "
                    f"{doc.metadata.get('docCode', '')}: {exc.message_vi} Chưa hồ sơ nào được nộp lưu.",
                    f"Long-term validation data failed: {exc.message_en}",
                    code=f"ltv_{exc.code}" if not exc.code.startswith(("ltv_", "tsa_")) else exc.code,
                    retryable=exc.retryable,
                ) from exc
            n += 1
            path = folder / f"{n:07d}.pdf"
            path.write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()  # in memory now: the package need not read it twice
            del data
            docs.append(_document(doc, path, digest))
        out.append(to_package(entry, docs))
    return out


def export_transfer(actor, dossiers: Iterable[Dossier], out: str | Path | IO[bytes]) -> TransferExport:
    """Build the transfer package of ``dossiers`` into ``out`` (a path or a binary stream)
    and mark them transferred. Refused (:class:`TransferRefused`, nothing marked) when a
    dossier is blocked (the reasons of :func:`vanban.records.check_transfer`), the agency has
    no seal key, or the long-term validation data cannot be had."""
    from vanban.archivepkg import AgencyInfo, build_package
    from vanban.audit import record
    from vanban.registry import keys

    dossiers = [Dossier.objects.select_related("agency").get(pk=d.pk) for d in dossiers]
    agency = _agency_of(dossiers)
    require_role(actor, agency, ROLES_EXPORT, "lập gói nộp lưu hồ sơ")
    checks = check_transfer(dossiers)
    if not all(c.ready for c in checks):
        raise _blocked(checks)
    tsa_url = archive_tsa_url()
    years = sorted({d.year for d in dossiers})
    label = "năm " + ", ".join(str(y) for y in years)
    with keys.agency_signer(agency) as signer, tempfile.TemporaryDirectory(prefix="vanban-nop-luu-") as tmp:
        entries = transfer_entries(dossiers)
        package = _long_term(entries, Path(tmp), tsa_url) if tsa_url else (to_package(e) for e in entries)
        summary = build_package(
            out, AgencyInfo(agency.code, agency.name), package, sign_manifest=signer, year_label=label
        )
    reason = f"Gói nộp lưu SHA-256 {summary.package_sha256}"
    with transaction.atomic():
        for dossier in dossiers:
            mark_transferred(actor, dossier, reason)
        record(
            actor,
            AuditAction.TRANSFER_EXPORTED,
            object_type="records.TransferPackage",
            object_id=summary.package_sha256,
            object_label=f"Gói nộp lưu {len(dossiers)} hồ sơ",
            after={
                "dossiers": [d.code for d in dossiers],
                "documents": summary.documents,
                "package_sha256": summary.package_sha256,
                "package_bytes": summary.package_bytes,
                "long_term": bool(tsa_url),
            },
        )
    return TransferExport(
        dossiers=[d.code for d in dossiers],
        documents=summary.documents,
        package_bytes=summary.package_bytes,
        package_sha256=summary.package_sha256,
        long_term=bool(tsa_url),
        signer_subject=summary.signer_subject,
    )


def _sha256_of(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def _dossier_codes(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    return sorted({n.split("/")[1] for n in names if n.startswith("hoso/") and n.count("/") >= 2})


def receive_transfer(actor, agency, path: str | Path) -> TransferReceipt:
    """The archive checks the package at ``path`` (:func:`vanban.archivepkg.verify_package`
    with the trust roots) and records its receipt; a package with problems is recorded as
    refused and :class:`PackageRefused` lists them."""
    from vanban.archivepkg import verify_package
    from vanban.audit import record
    from vanban.records.transfer import _trust_roots

    person = require_role(actor, agency, ROLES_RECEIVE, "ghi nhận gói nộp lưu")
    path = Path(path)
    if not path.is_file():
        raise PackageRefused(f"Không tìm thấy tệp “{path.name}”.", f"No file {path}.", code="package_missing")
    roots = _trust_roots()
    if not roots:
        raise PackageRefused(
            "Hệ thống chưa có chứng thư gốc tin cậy: không kiểm tra được chữ ký của bản kê.",
            "No trust roots configured.",
            code="no_trust_roots",
        )
    sha, size = _sha256_of(path)
    report = verify_package(path, trust_roots=roots)
    problems = [{"code": p.code, "path": p.path, "message": p.message_vi} for p in report.problems]
    with transaction.atomic():
        receipt = TransferReceipt.objects.create(
            agency=agency,
            received_by=actor,
            received_by_name=person.full_name,
            package_name=path.name[:255],
            package_sha256=sha,
            package_bytes=size,
            sender_code=report.agency_code[:40],
            sender_name=report.agency_name[:255],
            dossier_codes=_dossier_codes(path),
            documents=report.documents,
            result=TransferReceipt.RESULT_ACCEPTED if report.ok else TransferReceipt.RESULT_REFUSED,
            problems=problems,
        )
        record(
            actor,
            AuditAction.TRANSFER_RECEIVED if report.ok else AuditAction.TRANSFER_REFUSED,
            receipt,
            after={
                "package_sha256": sha,
                "dossiers": receipt.dossier_codes,
                "result": receipt.result,
                "problems": [p["code"] for p in problems],
            },
        )
    if not report.ok:
        raise PackageRefused(
            f"Gói nộp lưu không đạt, không tiếp nhận ({len(problems)} lỗi): "
            + "; ".join(p.line_vi() for p in report.problems[:20])
            + ("; …" if len(problems) > 20 else ""),
            "The transfer package failed verification.",
            code="package_invalid",
            details=problems,
        )
    return receipt
