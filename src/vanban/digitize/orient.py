"""Turn upright the pages that were scanned upside down or on their side — asked only of pages
that read poorly.

Tesseract's orientation detection costs about as much as reading the page, so it is not run
on every page (OCRmyPDF's ``--rotate-pages`` does): a page read upright comes out with a mean
word confidence near 0.9, one read upside down or sideways near 0.45. Only pages under
:data:`UPRIGHT_CONFIDENCE` are rendered and given to Tesseract's ``osd`` model; a page it
finds turned, sure enough, gets its ``/Rotate`` changed (lossless: the image is not touched)
and the caller reads the document again."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf

__all__ = ["UPRIGHT_CONFIDENCE", "ORIENTATION_CONFIDENCE", "poorly_read", "page_turns", "turn_pages"]

UPRIGHT_CONFIDENCE = 0.7  # a page read with less than this mean word confidence is checked
ORIENTATION_CONFIDENCE = 14.0  # Tesseract's orientation confidence needed to turn (OCRmyPDF's default)
_RENDER_DPI = 200
_ROTATE = re.compile(rb"^Rotate:\s*(\d+)", re.MULTILINE)
_CONFIDENCE = re.compile(rb"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)


def poorly_read(pages: list[tuple[str, float] | None]) -> list[int]:
    """The 1-based pages read with some text but a low confidence."""
    return [
        number
        for number, page in enumerate(pages, start=1)
        if page is not None and page[0].strip() and page[1] < UPRIGHT_CONFIDENCE
    ]


def _orientation(png: Path, timeout: float) -> int:
    """Degrees clockwise that turn the page upright (0 when upright or not sure)."""
    try:
        done = subprocess.run(
            ["tesseract", str(png), "stdout", "--psm", "0", "-l", "osd"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 0
    rotate, confidence = _ROTATE.search(done.stdout), _CONFIDENCE.search(done.stdout)
    if done.returncode != 0 or not rotate or not confidence:
        return 0  # too few characters, or a page Tesseract cannot place: left as it is
    degrees = int(rotate.group(1)) % 360
    return degrees if degrees in (90, 180, 270) and float(confidence.group(1)) >= ORIENTATION_CONFIDENCE else 0


def page_turns(pdf: bytes, numbers: list[int], timeout: float) -> dict[int, int]:
    """For each of the 1-based pages ``numbers``, the clockwise turn that makes it upright
    (pages found upright are left out)."""
    import pypdfium2 as pdfium

    turns: dict[int, int] = {}
    doc = pdfium.PdfDocument(pdf)
    try:
        with tempfile.TemporaryDirectory(prefix="vanban-osd-") as tmp:
            for number in numbers:
                page = doc[number - 1]
                image = page.render(scale=_RENDER_DPI / 72, grayscale=True).to_pil()
                page.close()
                png = Path(tmp) / f"{number}.png"
                image.save(png, dpi=(_RENDER_DPI, _RENDER_DPI))
                degrees = _orientation(png, timeout)
                if degrees:
                    turns[number] = degrees
    finally:
        doc.close()
    return turns


def turn_pages(pdf: bytes, turns: dict[int, int]) -> bytes:
    """``pdf`` with each page in ``turns`` turned clockwise by its degrees."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, degrees in turns.items():
            doc.pages[number - 1].rotate(degrees, relative=True)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
