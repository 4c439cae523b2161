"""The text layer of a PDF for the index, read with pdfium in bounded time and memory: at
most ``max_pages`` pages and ``max_chars`` characters; a PDF that cannot be read, or that
:func:`vanban.pdfguard.check_pdf` refuses, gives ""."""

from __future__ import annotations

from vanban.pdfguard import PdfRefused, check_pdf

__all__ = ["pdf_text", "MAX_PAGES", "MAX_CHARS"]

MAX_PAGES = 60
MAX_CHARS = 200_000


def pdf_text(data: bytes, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS) -> str:
    import pypdfium2 as pdfium

    try:
        check_pdf(data)  # a decompression bomb is never handed to pdfium
        pdf = pdfium.PdfDocument(data)
    except (PdfRefused, pdfium.PdfiumError):
        return ""
    parts: list[str] = []
    size = 0
    try:
        for index in range(min(len(pdf), max_pages)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            parts.append(text)
            size += len(text)
            if size >= max_chars:
                break
    except pdfium.PdfiumError:
        pass
    finally:
        pdf.close()
    return "\n".join(parts)[:max_chars]
