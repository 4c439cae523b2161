"""The values the digitizing library takes and gives: options, the result, pages, fields."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DigitizeOptions", "DigitizeResult", "PageResult", "Field", "Fields"]


def _cpus() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class DigitizeOptions:
    """How to digitize.

    ``language`` is Tesseract's language (``vie``); ``jobs`` the pages recognised at once
    (default: every core); ``max_pages`` and ``max_pixels`` (per page image) bound what is
    accepted; ``deskew``, ``rotate``, ``clean`` straighten, turn upright and clean the page
    images before recognition; ``seal_dropout`` removes red seals and blue signatures from the
    image the OCR engine sees (the archived image keeps them); ``timeout`` bounds the whole
    run in seconds (``page_timeout`` one page's recognition)."""

    language: str = "vie"
    jobs: int = field(default_factory=_cpus)
    max_pages: int = 500
    max_pixels: int = 100_000_000
    deskew: bool = True
    rotate: bool = True
    clean: bool = True
    seal_dropout: bool = True
    timeout: float = 1800.0
    page_timeout: float = 180.0
    max_inflated_bytes: int = 1_000_000_000


@dataclass(frozen=True)
class PageResult:
    """One page: ``number`` (1-based), its recognised ``text``, ``confidence`` 0..1 (mean word
    confidence; 1.0 for a page whose text came from the PDF's own text layer)."""

    number: int
    text: str
    confidence: float


@dataclass(frozen=True)
class Field:
    """One field read from the scan: the ``value`` (None when not found) and a ``confidence``
    0..1 (0 when not found)."""

    value: Any = None
    confidence: float = 0.0

    @property
    def found(self) -> bool:
        return self.value is not None


def _none() -> Field:
    return Field()


@dataclass(frozen=True)
class Fields:
    """The register fields of an administrative document (Nghị định 30/2020 layout).

    ``agency`` cơ quan ban hành; ``number_notation`` "13/UBND-VP1"; ``number`` 13 (int);
    ``notation`` "UBND-VP1"; ``place`` "Hà Nội"; ``date`` a :class:`datetime.date`;
    ``doc_type`` the document type code of the project's reference data ("cong-van",
    "quyet-dinh", ...); ``doc_type_name`` its name; ``subject`` the trích yếu."""

    agency: Field = field(default_factory=_none)
    number_notation: Field = field(default_factory=_none)
    number: Field = field(default_factory=_none)
    notation: Field = field(default_factory=_none)
    place: Field = field(default_factory=_none)
    date: Field = field(default_factory=_none)
    doc_type: Field = field(default_factory=_none)
    doc_type_name: Field = field(default_factory=_none)
    subject: Field = field(default_factory=_none)

    NAMES = (
        "agency",
        "number_notation",
        "number",
        "notation",
        "place",
        "date",
        "doc_type",
        "doc_type_name",
        "subject",
    )

    def as_dict(self) -> dict[str, Any]:
        """``{name: {"value": ..., "confidence": ...}}``, dates as ``YYYY-MM-DD`` (JSON-able)."""
        out: dict[str, Any] = {}
        for name in self.NAMES:
            f: Field = getattr(self, name)
            value = f.value.isoformat() if isinstance(f.value, datetime.date) else f.value
            out[name] = {"value": value, "confidence": round(f.confidence, 3)}
        return out

    def found(self) -> list[str]:
        """The names of the fields that were found."""
        return [name for name in self.NAMES if getattr(self, name).found]


@dataclass(frozen=True)
class DigitizeResult:
    """What :func:`vanban.digitize.digitize` gives.

    ``pdf`` the PDF/A-2b with its text layer (or the input PDF unchanged when it already had
    text: ``ocr_done`` is then False and ``message_vi`` says so); ``original`` the bytes given
    and ``original_media_type``; ``pages`` one :class:`PageResult` each; ``text`` all pages;
    ``secrecy`` "MẬT" / "TỐI MẬT" / "TUYỆT MẬT" or None; ``fields`` the register fields;
    ``pdfa_ok`` whether the output claims PDF/A-2b in its XMP and OCRmyPDF made it so."""

    pdf: bytes
    original: bytes
    original_media_type: str
    page_count: int
    pages: list[PageResult]
    ocr_done: bool
    message_vi: str
    text: str
    secrecy: str | None
    fields: Fields
    pdfa_ok: bool

    @property
    def confidence(self) -> float:
        """Mean page confidence (0 when there are no pages)."""
        return sum(p.confidence for p in self.pages) / len(self.pages) if self.pages else 0.0
