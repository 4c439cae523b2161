"""The one pre-flight check for PDFs (issue 19): :func:`check_pdf` tells what a PDF holds
(pages, objects, nesting, bytes once inflated) or refuses it with a
:class:`PdfRefused` (a Vietnamese message and a code) before any reader inflates it.
Limits are a :class:`PdfLimits`, the defaults overridden by ``VANBAN_PDF_LIMITS`` (JSON).

Pure library: no Django (pikepdf only)."""

from vanban.pdfguard.check import PdfFacts, check_pdf
from vanban.pdfguard.errors import (
    PdfEncrypted,
    PdfNotPdf,
    PdfPageLoop,
    PdfRefused,
    PdfTooDeep,
    PdfTooLarge,
    PdfTooLargeInflated,
    PdfTooManyObjects,
    PdfTooManyPages,
    PdfUnreadable,
)
from vanban.pdfguard.limits import ENV_VAR, PdfLimits, default_limits

__all__ = [
    "ENV_VAR",
    "PdfEncrypted",
    "PdfFacts",
    "PdfLimits",
    "PdfNotPdf",
    "PdfPageLoop",
    "PdfRefused",
    "PdfTooDeep",
    "PdfTooLarge",
    "PdfTooLargeInflated",
    "PdfTooManyObjects",
    "PdfTooManyPages",
    "PdfUnreadable",
    "check_pdf",
    "default_limits",
]
