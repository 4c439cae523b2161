"""Check a transfer package anyone gives us: :func:`verify_package`.

Order: open the ZIP (refusing entry names that are absolute or climb with ``..``, and sizes
or ratios past :class:`~vanban.archivepkg.report.VerifyLimits`, before anything is read);
parse the manifest (``METS.xml``) with the hardened parser of :mod:`vanban.edxml.safexml`;
check its seal signature with :func:`vanban.edxml.dsig.verify_tree` against the trust roots
(the chain, the key usage, that it is an agency's seal, of the agency the manifest names);
then read every other entry once, in bounded chunks, comparing size and SHA-256 with the
manifest, and check each ``EAD``/``EAD_doc`` against the field-mapping table; finally the
structure: files missing or extra, a document without its metadata, ``checksums.sha256``
agreeing with the manifest. Every finding is a :class:`~vanban.archivepkg.report.Problem`
in the report; nothing a package holds makes this raise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from cryptography import x509

from vanban.archivepkg import layout
from vanban.archivepkg.errors import PackageUnreadable
from vanban.archivepkg.manifest import ManifestContent, ManifestEntry, read_manifest
from vanban.archivepkg.metadata import check_fields, field_values
from vanban.archivepkg.report import PackageReport, VerifyLimits
from vanban.edxml.dsig import TrustStore, trust_store, verify_tree
from vanban.edxml.errors import EdxmlError
from vanban.edxml.safexml import parse_xml
from vanban.signing.identity import certificate_kind

__all__ = ["verify_package", "TrustRoots"]

TrustRoots = TrustStore | str | Path | Sequence[x509.Certificate]
CHUNK = 1 << 20
# what a hostile archive can make zipfile / zlib raise while reading
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
_SHA = re.compile(r"^[0-9a-f]{64}$")


def _store(trust_roots: TrustRoots) -> TrustStore:
    if isinstance(trust_roots, (TrustStore, str, Path)):
        return trust_store(trust_roots)
    return TrustStore(list(trust_roots))


def verify_package(
    path_or_stream: str | Path | IO[bytes],
    *,
    trust_roots: TrustRoots,
    at: dt.datetime | None = None,
    limits: VerifyLimits | None = None,
) -> PackageReport:
    """The report on a package; see the module docstring. ``at`` is the time the seal
    certificate must be valid at (now by default). Raises :class:`PackageUnreadable` only
    when the path cannot be opened, and the trust roots' loading errors."""
    store = _store(trust_roots)
    lim = limits or VerifyLimits()
    report = PackageReport()
    try:
        fh: IO[bytes] = open(path_or_stream, "rb") if isinstance(path_or_stream, (str, Path)) else path_or_stream
    except OSError as exc:
        raise PackageUnreadable(
            f"Không mở được tệp “{path_or_stream}”: {exc.strerror}.", f"Cannot open {path_or_stream}: {exc}"
        ) from None
    try:
        try:
            zf = zipfile.ZipFile(fh)
        except _READ_ERRORS as exc:
            report.add("not-a-zip", "Tệp không phải gói ZIP đọc được.", f"Not a readable ZIP file: {exc}")
            return report
        with zf:
            _verify(zf, store, at, lim, report)
    finally:
        if isinstance(path_or_stream, (str, Path)):
            fh.close()
    return report


def _safe_entries(zf: zipfile.ZipFile, lim: VerifyLimits, report: PackageReport) -> dict[str, zipfile.ZipInfo] | None:
    infos = zf.infolist()
    if len(infos) > lim.max_entries:
        report.add(
            "too-many-entries",
            f"Gói có {len(infos)} tệp, vượt giới hạn {lim.max_entries}.",
            f"{len(infos)} entries, over the limit {lim.max_entries}.",
        )
        return None
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        reason = layout.unsafe_reason(name)
        if reason:
            report.add("unsafe-name", f"Tên tệp bị từ chối ({reason}).", f"Unsafe entry name refused: {reason}.", name)
            continue
        if info.is_dir():
            continue
        if name in entries:
            report.add("duplicate-entry", "Tệp xuất hiện hai lần trong gói.", "Entry present twice.", name)
            continue
        if info.file_size > lim.max_entry_size:
            report.add(
                "entry-too-large",
                f"Tệp lớn {info.file_size} byte, vượt giới hạn {lim.max_entry_size}.",
                "Entry over the size limit.",
                name,
            )
            continue
        if info.file_size > 1 << 20 and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            report.add(
                "compression-ratio",
                "Tỉ lệ nén bất thường (nghi “bom nén”), tệp không được đọc.",
                "Suspicious compression ratio (zip bomb), entry not read.",
                name,
            )
            continue
        total += info.file_size
        entries[name] = info
    if total > lim.max_total_size:
        report.add(
            "package-too-large",
            f"Tổng dung lượng giải nén {total} byte vượt giới hạn {lim.max_total_size}.",
            "Total uncompressed size over the limit.",
        )
        return None
    return entries


def _read_all(zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: int) -> tuple[int, str, bytes | None]:
    """``(size, sha256 hex, bytes if size <= keep)`` reading in chunks."""
    sha = hashlib.sha256()
    kept: list[bytes] | None = [] if info.file_size <= keep else None
    n = 0
    with zf.open(info) as src:
        while chunk := src.read(CHUNK):
            sha.update(chunk)
            n += len(chunk)
            if kept is not None:
                if n > keep:
                    kept = None
                else:
                    kept.append(chunk)
    return n, sha.hexdigest(), b"".join(kept) if kept is not None else None


def _manifest(
    zf: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    store: TrustStore,
    at: dt.datetime | None,
    lim: VerifyLimits,
    report: PackageReport,
) -> ManifestContent | None:
    info = entries.get(layout.MANIFEST)
    if info is None:
        report.add("manifest-missing", "Gói không có bản kê (METS.xml).", "The package has no manifest (METS.xml).")
        return None
    if info.file_size > lim.max_manifest_size:
        report.add("manifest-too-large", "Bản kê quá lớn.", "The manifest is too large.", layout.MANIFEST)
        return None
    try:
        _n, _sha, data = _read_all(zf, info, lim.max_manifest_size)
        root = parse_xml(data or b"", max_size=lim.max_manifest_size, check_root=False)
    except _READ_ERRORS as exc:
        report.add("entry-unreadable", "Không đọc được bản kê.", f"Cannot read the manifest: {exc}", layout.MANIFEST)
        return None
    except EdxmlError as exc:
        report.add(
            "manifest-invalid", f"Bản kê không phải XML hợp lệ: {exc.message_vi}", exc.message_en, layout.MANIFEST
        )
        return None
    content = read_manifest(root)
    report.agency_code, report.agency_name = content.agency_code, content.agency_name
    for path in content.duplicates:
        report.add("manifest-duplicate", "Bản kê liệt kê tệp này hai lần.", "The manifest lists it twice.", path)
    result = verify_tree(root, store, sender=content.agency_code or None, notes=[], at=at)
    report.signer_subject, report.signer_agency_code = result.signer_subject, result.agency_code
    if result.code == "signature-invalid":
        report.add(
            "signature-invalid",
            "Chữ ký số trên bản kê không hợp lệ: bản kê đã bị thay đổi sau khi ký.",
            result.message_en,
            layout.MANIFEST,
        )
    elif not result.valid or result.code != "valid":
        report.add(
            f"signature-{result.code}",
            f"Chữ ký số trên bản kê: {result.message_vi}",
            result.message_en,
            layout.MANIFEST,
        )
    elif result.certificate is not None and certificate_kind(result.certificate) != "agency":
        report.add(
            "signature-not-seal",
            "Bản kê không được ký bằng chứng thư số của cơ quan (con dấu).",
            "The manifest is not signed with an agency (seal) certificate.",
            layout.MANIFEST,
        )
    return content


def _verify(
    zf: zipfile.ZipFile, store: TrustStore, at: dt.datetime | None, lim: VerifyLimits, report: PackageReport
) -> None:
    entries = _safe_entries(zf, lim, report)
    if entries is None:
        return
    content = _manifest(zf, entries, store, at, lim, report)
    if content is None:
        return
    listed = content.entries
    for name in sorted(entries):
        if name != layout.MANIFEST and name not in listed:
            report.add(
                "extra-file", "Tệp có trong gói nhưng không có trong bản kê.", "Entry not in the manifest.", name
            )
    for path in sorted(listed):
        if path not in entries and not _has(report, path):
            report.add("missing-file", "Tệp có trong bản kê nhưng thiếu trong gói.", "Listed file is missing.", path)
    dossiers: dict[str, dict[str, str]] = {}  # folder segment -> EAD.xml values
    data_ordinals: dict[str, set[int]] = {}
    md_ordinals: dict[str, set[int]] = {}
    checksums: bytes | None = None
    for path, want in sorted(listed.items()):
        info = entries.get(path)
        if info is None:
            continue
        kind, folder, ordinal = layout.classify(path)
        if kind == "other":
            report.add("unexpected-path", "Tệp nằm ngoài cấu trúc thư mục của gói.", "Entry outside the layout.", path)
        try:
            size, sha, data = _read_all(zf, info, lim.max_metadata_size if path.endswith((".xml", ".sha256")) else 0)
        except _READ_ERRORS as exc:
            report.add("entry-unreadable", "Không đọc được tệp (dữ liệu nén hỏng).", f"Cannot read: {exc}", path)
            continue
        report.files_checked += 1
        report.bytes_checked += size
        if size != want.size or not hmac.compare_digest(sha, want.sha256):
            report.add(
                "checksum-mismatch",
                "Mã kiểm tra SHA-256 hoặc kích thước không khớp bản kê: tệp đã bị thay đổi hoặc hỏng.",
                "SHA-256 or size differs from the manifest: the file changed or is corrupt.",
                path,
            )
        if kind == "dossier-metadata":
            dossiers[folder] = _check_xml(data, "dossier", path, report)
        elif kind == "document-metadata":
            md_ordinals.setdefault(folder, set()).add(ordinal)
            _check_xml(data, "document", path, report)
        elif kind == "document-data":
            data_ordinals.setdefault(folder, set()).add(ordinal)
        elif path == layout.CHECKSUMS:
            checksums = data
    _structure(listed, entries, dossiers, data_ordinals, md_ordinals, checksums, report)


def _has(report: PackageReport, path: str) -> bool:
    return any(p.path == path for p in report.problems)


def _check_xml(data: bytes | None, kind: str, path: str, report: PackageReport) -> dict[str, str]:
    """Check one ``EAD``/``EAD_doc`` and return its element values ({} if unreadable)."""
    if data is None:
        report.add("metadata-too-large", "Tệp dữ liệu đặc tả quá lớn.", "Metadata file too large.", path)
        return {}
    try:
        root = parse_xml(data, max_size=len(data) + 1, check_root=False)
    except EdxmlError as exc:
        report.add("metadata-invalid", f"Dữ liệu đặc tả không phải XML hợp lệ: {exc.message_vi}", exc.message_en, path)
        return {}
    for code, vi, en in check_fields(root, kind):
        report.add(code, vi, en, path)
    return field_values(root)


def _structure(
    listed: dict[str, ManifestEntry],
    entries: dict[str, zipfile.ZipInfo],
    dossiers: dict[str, dict[str, str]],
    data_ordinals: dict[str, set[int]],
    md_ordinals: dict[str, set[int]],
    checksums: bytes | None,
    report: PackageReport,
) -> None:
    for root_file in (layout.CHECKSUMS, layout.MUC_LUC):
        if root_file not in listed:
            report.add(
                "structure", "Gói thiếu tệp bắt buộc ở thư mục gốc.", "A required root file is missing.", root_file
            )
    for folder in sorted(set(data_ordinals) | set(md_ordinals)):
        if folder not in dossiers:
            path = f"hoso/{folder}/metadata/descriptive/EAD.xml"
            report.add("structure", "Hồ sơ thiếu tệp dữ liệu đặc tả EAD.xml.", "Dossier without EAD.xml.", path)
        for n in sorted(data_ordinals.get(folder, set()) ^ md_ordinals.get(folder, set())):
            report.add(
                "structure",
                f"Tài liệu số {n} thiếu tệp nội dung hoặc tệp dữ liệu đặc tả EAD_doc.",
                f"Document {n} lacks its file or its EAD_doc.",
                f"hoso/{folder}",
            )
    for folder, values in sorted(dossiers.items()):
        path = f"hoso/{folder}/metadata/descriptive/EAD.xml"
        code, total = values.get("fileCode", ""), values.get("totalDoc", "")
        if code and layout.dossier_folder(code) != f"hoso/{folder}":
            report.add(
                "structure", f"Mã hồ sơ “{code[:100]}” không khớp thư mục của hồ sơ.", "fileCode ≠ folder.", path
            )
        count = len(data_ordinals.get(folder, set()))
        if total and total != str(count):
            report.add(
                "structure",
                f"Tổng số tài liệu ghi {total[:12]} nhưng hồ sơ có {count} tài liệu.",
                f"totalDoc says {total[:12]}, the folder holds {count}.",
                path,
            )
    report.dossiers = len(dossiers)
    report.documents = sum(len(v) for v in data_ordinals.values())
    if checksums is None:
        return
    try:
        lines = checksums.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        lines = ["?"]
    sums: dict[str, str] = {}
    for line in lines:
        sha, sep, path = line.partition("  ")
        if not sep or not _SHA.match(sha):
            report.add("checksums-invalid", "Dòng không đúng dạng “<sha256>  <tệp>”.", "Bad line.", layout.CHECKSUMS)
            return
        sums[path] = sha
    expected = {p: e.sha256 for p, e in listed.items() if p != layout.CHECKSUMS}
    if sums != expected:
        report.add(
            "checksums-mismatch",
            "Tệp checksums.sha256 không khớp bản kê.",
            "checksums.sha256 disagrees with the manifest.",
            layout.CHECKSUMS,
        )
