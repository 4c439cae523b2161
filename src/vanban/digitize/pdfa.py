"""What can be checked of PDF/A-2b here without an independent validator.

veraPDF is neither packaged for Debian 12 nor on PyPI, so the output is checked the way
OCRmyPDF checks its own: the XMP metadata claims PDF/A-2B (``pdfaid:part`` 2,
``pdfaid:conformance`` B), and on top of that the requirements that are cheap to verify
with pikepdf: an output intent ``GTS_PDFA1`` with an ICC profile, every font embedded, no
encryption, no JavaScript. :func:`pdfa_problems` lists what fails (empty: passes)."""

from __future__ import annotations

import io

import pikepdf

__all__ = ["pdfa_problems", "is_pdfa"]


def pdfa_problems(pdf: bytes) -> list[str]:
    """The PDF/A-2b requirements ``pdf`` visibly fails, in English (empty when none)."""
    from ocrmypdf.pdfa import find_nonembedded_fonts

    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as exc:
        return [f"unreadable: {exc}"]
    problems = []
    with doc:
        meta = doc.open_metadata()
        if str(meta.get("pdfaid:part", "")) != "2" or str(meta.get("pdfaid:conformance", "")).upper() != "B":
            problems.append("XMP does not claim PDF/A-2B")
        intents = doc.Root.get("/OutputIntents")
        if not intents or not any(
            i.get("/S") == pikepdf.Name("/GTS_PDFA1") and "/DestOutputProfile" in i for i in intents
        ):
            problems.append("no GTS_PDFA1 output intent with an ICC profile")
        if doc.is_encrypted:
            problems.append("encrypted")
        names = doc.Root.get("/Names")
        if names is not None and "/JavaScript" in names:
            problems.append("JavaScript")
        missing = find_nonembedded_fonts(doc)
        if missing:
            problems.append("fonts not embedded: " + ", ".join(sorted(missing)))
    return problems


def is_pdfa(pdf: bytes) -> bool:
    """Whether ``pdf`` claims PDF/A-2b and shows none of :func:`pdfa_problems`."""
    return not pdfa_problems(pdf)
