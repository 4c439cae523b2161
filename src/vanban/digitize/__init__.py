"""Digitizing paper (số hóa): scans to archival PDF/A with a text layer, the register fields
and the secrecy stamp read from the scan.

``digitize(source)`` takes a scan (PNG, JPEG, TIFF incl. multi-page, or PDF) and gives a
:class:`DigitizeResult`: the PDF/A-2b made by OCRmyPDF with Tesseract's Vietnamese model,
pages deskewed, turned upright and cleaned, the red seal and the blue signature dropped from
what the OCR engine reads (the archived image keeps them); the text and confidence per page;
the fields of the register (:func:`extract_fields`) and the secrecy stamp
(:func:`find_secrecy`). A PDF that already has text is not recognised again. Refusals are
:class:`DigitizeError` with a stable code.

Pure library: no Django."""

from vanban.digitize.errors import DigitizeError
from vanban.digitize.fields import extract_fields
from vanban.digitize.model import DigitizeOptions, DigitizeResult, Field, Fields, PageResult
from vanban.digitize.pdfa import is_pdfa, pdfa_problems
from vanban.digitize.pipeline import digitize, write_atomically
from vanban.digitize.secrecy import find_secrecy

__all__ = [
    "digitize",
    "DigitizeOptions",
    "DigitizeResult",
    "PageResult",
    "DigitizeError",
    "extract_fields",
    "Fields",
    "Field",
    "find_secrecy",
    "is_pdfa",
    "pdfa_problems",
    "write_atomically",
]
