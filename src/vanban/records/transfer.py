"""Before a transfer to the archive (kiểm tra trước khi nộp lưu): what blocks each closed
dossier — a required metadata field missing (spec archive.md §1.2, §1.3; the list is data),
a document with no file, not PDF/A, unsigned, or whose signature does not verify — as
typed results with Vietnamese reasons; and :func:`transfer_entries`, the plain data the
transfer package (``vanban.archivepkg``, built elsewhere) is made from: one metadata dict
per dossier and per document in the spec's field names, and a way to open each file.

The metadata is read from the registers by one mapping (:func:`dossier_metadata`,
:func:`document_metadata`); the checks and the package read the same dicts."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from vanban.records.codes import field_label, required_document_fields, required_dossier_fields
from vanban.records.documents import DocumentView, date_vi, view_of
from vanban.records.errors import DossierRefused
from vanban.records.models import Dossier, FiledDocument
from vanban.records.states import DossierState

__all__ = [
    "Blocker",
    "TransferCheck",
    "TransferDocument",
    "TransferDossier",
    "check_transfer",
    "transfer_entries",
    "dossier_metadata",
    "document_metadata",
    "open_file",
]


@dataclass(frozen=True)
class Blocker:
    """One reason a dossier cannot go to the archive yet."""

    code: str  # not_closed | empty | missing_field | no_file | not_pdfa | unsigned | signature_invalid | ...
    message_vi: str
    field: str = ""
    document: str = ""  # the document's docCode, when the reason is one document's


@dataclass
class TransferCheck:
    """The bottom line for one dossier: ``ready`` when nothing blocks it."""

    dossier: Dossier
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blockers


@dataclass(frozen=True)
class TransferDocument:
    metadata: dict[str, Any]
    file_name: str
    sha256: str
    size: int
    open: Callable[[], BinaryIO]
    """Opens the file from storage (a stream, checked against its SHA-256 as it is read)."""


@dataclass(frozen=True)
class TransferDossier:
    metadata: dict[str, Any]
    documents: tuple[TransferDocument, ...]


def _items(dossier: Dossier) -> list[FiledDocument]:
    return list(
        dossier.items.select_related(
            "outgoing__agency",
            "outgoing__document_type",
            "outgoing__signed_file",
            "incoming__document_type",
            "incoming__main_file",
            "incoming__digitized_file",
        ).order_by("ordinal")
    )


def _pages(view: DocumentView) -> int | None:
    doc = view.document
    if view.kind == "di":
        return doc.pages
    if not view.file_sha256:
        return None
    from vanban.pdfguard import check_pdf
    from vanban.storage import get_bytes

    try:
        return check_pdf(get_bytes(view.file_sha256)).pages
    except Exception:  # an unreadable file is reported by the format check, not here
        return None


def _abbreviation(document) -> str:
    kind = getattr(document, "document_type", None)
    return kind.abbreviation if kind is not None else ""


def document_metadata(dossier: Dossier, item: FiledDocument, pages: int | None = None) -> dict[str, Any]:
    """The document's metadata, TT 05/2025 ``EAD_doc`` names (spec archive.md §1.3)."""
    view = view_of(item.document)
    return {
        "docCode": f"{dossier.code}.{item.ordinal:07d}",
        "fileCode": dossier.code,
        "docOrdinal": item.ordinal,
        "maintenance": dossier.maintenance,
        "typeName": view.type_name,
        "typeAbbreviation": _abbreviation(item.document),
        "codeNumber": view.code_number,
        "codeNotation": view.code_notation,
        "issuedDate": date_vi(view.issued_on),
        "organName": view.organ_name,
        "subject": view.subject,
        "language": dossier.language,
        "numberOfPage": pages if pages is not None else _pages(view),
        "mode": dossier.mode,
        "confidenceLevel": view.confidence_level,
        "description": "",
        "fileName": view.file_name,
        "sha256": view.file_sha256,
    }


def dossier_metadata(dossier: Dossier, documents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The dossier's metadata, TT 05/2025 ``SIP_hoso`` names (spec archive.md §1.2)."""
    if documents is None:
        documents = [document_metadata(dossier, i) for i in _items(dossier)]
    levels = {d["confidenceLevel"] for d in documents}
    pages = [d["numberOfPage"] for d in documents]
    creator = dossier.responsible.full_name if dossier.responsible is not None else ""
    return {
        "fileCode": dossier.code,
        "organId": dossier.agency.code,
        "fileCatalog": dossier.year,
        "fileNotation": dossier.notation,
        "title": dossier.title,
        "maintenance": dossier.maintenance,
        "retention": dossier.retention_label,
        "mode": dossier.mode,
        "language": dossier.language,
        "startDate": date_vi(dossier.start_date),
        "endDate": date_vi(dossier.end_date),
        "keyword": dossier.keyword,
        "totalDoc": len(documents),
        "numberOfPage": sum(p for p in pages if p) if pages and all(pages) else None,
        "confidenceLevel": (levels.pop() if len(levels) == 1 else "03") if levels else "",
        "creator": creator,
        "unit": dossier.unit.name if dossier.unit is not None else "",
        "description": dossier.description,
    }


def _missing(metadata: dict[str, Any], required: Iterable[str]) -> list[str]:
    return [name for name in required if metadata.get(name) in (None, "", 0)]


def _trust_roots():
    from django.conf import settings

    from vanban.signing import load_trust_roots

    root = Path(getattr(settings, "VANBAN_TRUST_ROOTS", "") or "")
    if not str(root) or str(root) == ".":
        return []
    paths = sorted(root.glob("*.pem")) if root.is_dir() else ([root] if root.exists() else [])
    return load_trust_roots(paths) if paths else []


def _file_blockers(view: DocumentView, doc_code: str, roots) -> list[Blocker]:
    from vanban.digitize import is_pdfa
    from vanban.signing import validate_pdf
    from vanban.storage import StorageError, get_bytes

    label = f"Văn bản {view.label}"
    if not view.file_sha256:
        return [Blocker("no_file", f"{label}: không có tệp văn bản.", document=doc_code)]
    try:
        data = get_bytes(view.file_sha256)
    except StorageError as exc:
        return [Blocker("file_unreadable", f"{label}: không đọc được tệp ({exc.message_vi}).", document=doc_code)]
    out = []
    if not is_pdfa(data):
        out.append(Blocker("not_pdfa", f"{label}: tệp không phải PDF/A.", document=doc_code))
    if not roots:
        out.append(
            Blocker(
                "no_trust_roots",
                f"{label}: không kiểm tra được chữ ký số vì hệ thống chưa có chứng thư gốc tin cậy.",
                document=doc_code,
            )
        )
        return out
    result = validate_pdf(data, roots)
    if result.verdict == "no_signature":
        out.append(Blocker("unsigned", f"{label}: chưa được ký số.", document=doc_code))
    elif result.verdict == "unreadable":
        out.append(Blocker("file_unreadable", f"{label}: không đọc được tệp PDF.", document=doc_code))
    elif not result.valid:
        found = [p.message_vi for c in result.signatures for p in c.problems] + [p.message_vi for p in result.problems]
        why = "; ".join(dict.fromkeys(m.rstrip(".") for m in found if m))  # each reason once, in order
        out.append(
            Blocker(
                "signature_invalid",
                f"{label}: chữ ký số không hợp lệ" + (f" ({why})." if why else "."),
                document=doc_code,
            )
        )
    return out


def check_one(dossier: Dossier, roots=None) -> TransferCheck:
    """What blocks ``dossier`` from the transfer (nothing: ready)."""
    roots = _trust_roots() if roots is None else roots
    dossier = Dossier.objects.select_related("agency", "unit", "responsible").get(pk=dossier.pk)
    check = TransferCheck(dossier)
    if dossier.state != DossierState.CLOSED:
        check.blockers.append(
            Blocker(
                "not_closed",
                f"Hồ sơ đang ở trạng thái “{DossierState(dossier.state).label}”: chỉ nộp lưu hồ sơ đã đóng.",
            )
        )
        return check  # the rest is filled in when it is closed
    items = _items(dossier)
    docs = [document_metadata(dossier, i) for i in items]
    meta = dossier_metadata(dossier, docs)
    if not items:
        check.blockers.append(Blocker("empty", "Hồ sơ chưa có văn bản nào."))
    for name in _missing(meta, required_dossier_fields()):
        check.blockers.append(Blocker("missing_field", f"Hồ sơ thiếu thông tin “{field_label(name)}”.", field=name))
    for item, doc in zip(items, docs, strict=True):
        view = view_of(item.document)
        for name in _missing(doc, required_document_fields()):
            check.blockers.append(
                Blocker(
                    "missing_field",
                    f"Văn bản {view.label}: thiếu thông tin “{field_label(name)}”.",
                    field=name,
                    document=doc["docCode"],
                )
            )
        check.blockers.extend(_file_blockers(view, doc["docCode"], roots))
    return check


def check_transfer(dossiers: Iterable[Dossier]) -> list[TransferCheck]:
    """The check of each dossier, in the order given."""
    roots = _trust_roots()
    return [check_one(d, roots) for d in dossiers]


def open_file(sha256: str) -> BinaryIO:
    from vanban.storage import store

    return store("files").open(sha256)


def transfer_entries(dossiers: Iterable[Dossier]) -> Iterator[TransferDossier]:
    """Per dossier, its metadata and each document's metadata with a way to open its file
    (nothing is read until opened: a package of thousands of files can be streamed). A
    destroyed dossier has no files to give: :class:`DossierRefused`."""
    for dossier in dossiers:
        if dossier.state == DossierState.DESTROYED:
            raise DossierRefused(
                f"Hồ sơ “{dossier.notation}” đã bị hủy: không còn tệp để nộp lưu.",
                "The dossier was destroyed.",
                code="dossier_destroyed",
            )
        items = _items(dossier)
        docs = [document_metadata(dossier, i) for i in items]
        entries = tuple(
            TransferDocument(
                metadata=meta,
                file_name=meta["fileName"],
                sha256=meta["sha256"],
                size=view_of(item.document).file_size,
                open=functools.partial(open_file, meta["sha256"]),
            )
            for item, meta in zip(items, docs, strict=True)
        )
        yield TransferDossier(metadata=dossier_metadata(dossier, docs), documents=entries)
