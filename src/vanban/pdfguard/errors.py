"""The refusals of :mod:`vanban.pdfguard`, on :class:`vanban.errors.DomainError`.

One class per reason, each with its stable code (``pdf_not_pdf``, ``pdf_unreadable``,
``pdf_encrypted``, ``pdf_too_large``, ``pdf_too_large_inflated``, ``pdf_too_deep``,
``pdf_too_many_objects``, ``pdf_too_many_pages``, ``pdf_page_loop``) and a Vietnamese
message a clerk can act on; ``details`` says which limit and what was found."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = [
    "PdfEncrypted",
    "PdfNotPdf",
    "PdfPageLoop",
    "PdfRefused",
    "PdfTooDeep",
    "PdfTooLarge",
    "PdfTooLargeInflated",
    "PdfTooManyObjects",
    "PdfTooManyPages",
    "PdfUnreadable",
]


class PdfRefused(DomainError):
    """A PDF that vanban will not read: the base of every refusal here."""

    code = "pdf_refused"


class PdfNotPdf(PdfRefused):
    code = "pdf_not_pdf"


class PdfUnreadable(PdfRefused):
    code = "pdf_unreadable"


class PdfEncrypted(PdfRefused):
    code = "pdf_encrypted"


class PdfTooLarge(PdfRefused):
    code = "pdf_too_large"


class PdfTooLargeInflated(PdfRefused):
    code = "pdf_too_large_inflated"


class PdfTooDeep(PdfRefused):
    code = "pdf_too_deep"


class PdfTooManyObjects(PdfRefused):
    code = "pdf_too_many_objects"


class PdfTooManyPages(PdfRefused):
    code = "pdf_too_many_pages"


class PdfPageLoop(PdfRefused):
    code = "pdf_page_loop"
