"""Scans for the digitizing tests, made once per session (testkit.scans), and the OCR runs
over them, ours and bare OCRmyPDF's, also once per session: OCR costs seconds a page."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from testkit import scans


@dataclass
class Scan:
    """A generated scan file: its bytes, its media type and the truth of each page."""

    data: bytes
    media_type: str
    truths: list[str]


def _tiff(pages: list[Image.Image], dpi: int) -> bytes:
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_deflate")
    return buf.getvalue()


@pytest.fixture(scope="session")
def page_scans() -> dict[str, Scan]:
    """The page kinds of the CER test: a 300-dpi two-page TIFF (a 2° skew, an upside-down
    page, paper noise), and 200-dpi colour JPEGs with a light and a dense red seal over
    several lines and a blue signature crossing a line, and the dense one in greyscale."""
    text, lines, _ = scans.text_page(300, scans.BODY[:7])
    other, lines2, _ = scans.text_page(300, scans.BODY[6:])
    skewed = scans.scan(text, dpi=300, skew=2.0, grey=True)
    upside = scans.scan(other, dpi=300, upside_down=True, grey=True)
    out = {
        "300 dpi, 2° skew + upside-down (TIFF)": Scan(
            _tiff([skewed, upside], 300), "image/tiff", ["\n".join(lines), "\n".join(lines2)]
        )
    }
    for seal in ("light", "dense"):
        page = scans.signed_page(200, seal)
        colour = scans.scan(page.image, dpi=200, skew=0.5, noise=8)
        out[f"200 dpi colour JPEG, {seal} seal + signature"] = Scan(
            scans.to_bytes(colour, "JPEG", 200, 80), "image/jpeg", [page.truth_text]
        )
        if seal == "dense":
            grey = scans.scan(page.image, dpi=200, skew=0.5, noise=8, grey=True)
            out["200 dpi greyscale JPEG, dense seal + signature"] = Scan(
                scans.to_bytes(grey, "JPEG", 200, 80), "image/jpeg", [page.truth_text]
            )
    return out


@pytest.fixture(scope="session")
def ocr_results(page_scans):
    """``digitize`` on each page kind, with the progress calls it made."""
    from vanban.digitize import digitize

    results = {}
    for kind, scan in page_scans.items():
        calls: list[tuple[int, int]] = []
        result = digitize(scan.data, progress=lambda done, total, calls=calls: calls.append((done, total)))
        results[kind] = (result, calls)
    return results


@pytest.fixture(scope="session")
def bare_texts(page_scans) -> dict[str, list[str]]:
    """Bare ``ocrmypdf -l vie`` (no dropout, no preprocessing) on the same files: page texts."""
    import ocrmypdf

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (kind, scan) in enumerate(page_scans.items()):
            source = Path(tmp) / f"{index}.{scan.media_type.split('/')[1]}"
            source.write_bytes(scan.data)
            if scan.media_type == "image/tiff":  # ocrmypdf takes one image; the pages in a PDF
                import img2pdf

                source = Path(tmp) / f"{index}.pdf"
                source.write_bytes(img2pdf.convert(scan.data))
            sidecar = Path(tmp) / f"{index}.txt"
            ocrmypdf.ocr(source, Path(tmp) / f"{index}-out.pdf", language=["vie"], sidecar=sidecar, progress_bar=False)
            out[kind] = sidecar.read_text(encoding="utf-8").split("\f")
    return out


@pytest.fixture(scope="session")
def document_scans() -> tuple[list[scans.Doc], bytes]:
    """The generated documents of :func:`testkit.scans.documents` as one multi-page TIFF."""
    return scans.documents(), scans.documents_tiff(dpi=200)
