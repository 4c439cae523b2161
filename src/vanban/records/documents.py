"""What the dossiers read of a registry document (outgoing or incoming), through the
registry's public models only: its agency, year, type, unit, subject, the file that is
kept (the issued, signed PDF; the digitized copy or the received PDF) and the document
metadata of spec archive.md §1.3 (TT 05/2025 ``EAD_doc`` names)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from vanban.registry.models import IncomingDocument, OutgoingDocument
from vanban.registry.states import ConfidenceLevel

__all__ = ["DocumentView", "view_of", "date_vi"]


def date_vi(day: dt.date | dt.datetime | None) -> str:
    """``dd/mm/yyyy`` (a moment: its day in Asia/Ho_Chi_Minh); empty for none."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class DocumentView:
    """One document as the dossiers see it."""

    kind: str  # "di" (outgoing) | "den" (incoming)
    document: Any
    agency_id: int
    year: int
    date: dt.date
    type_code: str
    type_name: str
    unit_id: int | None
    subject: str
    code_number: str
    code_notation: str
    issued_on: dt.date | None
    organ_name: str
    confidence_level: str
    file_sha256: str
    file_name: str
    file_size: int

    @property
    def label(self) -> str:
        number = f"{self.code_number}/{self.code_notation}" if self.code_number else self.code_notation
        return f"{number or 'Văn bản chưa có số'} – {self.subject[:80]}"


def _outgoing(doc: OutgoingDocument) -> DocumentView:
    kept = doc.signed_file
    if kept is None:
        version = doc.current_version
        kept = version.file if version is not None else None
    day = doc.issued_on or timezone.localdate(doc.created_at)
    return DocumentView(
        kind="di",
        document=doc,
        agency_id=doc.agency_id,
        year=doc.year or day.year,
        date=day,
        type_code=doc.document_type.code,
        type_name=doc.document_type.name,
        unit_id=doc.unit_id,
        subject=doc.subject,
        code_number=f"{doc.number:02d}" if doc.number is not None else "",
        code_notation=doc.notation,
        issued_on=doc.issued_on,
        organ_name=doc.agency.name,
        confidence_level=ConfidenceLevel.BORN_DIGITAL,
        file_sha256=kept.sha256 if kept else "",
        file_name=kept.name if kept else "",
        file_size=kept.size if kept else 0,
    )


def _incoming(doc: IncomingDocument) -> DocumentView:
    kept = doc.digitized_file or doc.main_file
    day = doc.issued_on or timezone.localdate(doc.arrived_at)
    return DocumentView(
        kind="den",
        document=doc,
        agency_id=doc.agency_id,
        year=doc.year or timezone.localdate(doc.arrived_at).year,
        date=day,
        type_code=doc.document_type.code if doc.document_type is not None else "",
        type_name=doc.document_type.name if doc.document_type is not None else doc.type_name,
        unit_id=doc.lead_unit_id,
        subject=doc.subject,
        code_number=doc.code_number,
        code_notation=doc.code_notation,
        issued_on=doc.issued_on,
        organ_name=doc.sender_name,
        confidence_level=doc.confidence_level or ConfidenceLevel.BORN_DIGITAL,
        file_sha256=kept.sha256 if kept else "",
        file_name=kept.name if kept else "",
        file_size=kept.size if kept else 0,
    )


def view_of(document) -> DocumentView:
    """The view of an :class:`OutgoingDocument` or an :class:`IncomingDocument`."""
    if isinstance(document, OutgoingDocument):
        return _outgoing(document)
    if isinstance(document, IncomingDocument):
        return _incoming(document)
    raise TypeError(f"not a registry document: {type(document).__name__}")
