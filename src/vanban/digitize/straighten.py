"""Straighten leaning scans before recognition, in the PDF itself, only where a page leans.

A scanned page drawn as one image is measured on a small copy (a JPEG is decoded at a
quarter of its size): the page's ink is turned by candidate angles and the angle whose row
(or column, for a page lying on its side) profile is sharpest — text lines in line with the
axis — is the lean. A page leaning by at least ``min_angle`` degrees is then drawn turned
back, by a transformation put around its content: no pixel is resampled or re-encoded, the
image stays byte for byte what the scanner wrote (what falls outside the page is clipped,
the corners left are blank), and OCRmyPDF reads the page as drawn, straight. Pages are
measured in threads (Pillow decodes outside the GIL); pikepdf is used from the calling thread
only.

What this cannot measure (a page drawn from several images, an image pikepdf cannot
decode) is reported, so the caller can let OCRmyPDF's slower ``--deskew`` handle it."""

from __future__ import annotations

import io
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pikepdf
from PIL import Image

__all__ = ["MIN_ANGLE", "Straightened", "skew_correction", "straighten_pdf"]

COARSE_LIMIT = 5  # degrees each way: more than a scanner's feeder ever leans a sheet
# A lean under this is left as scanned: Tesseract reads it as well as a straight page, and
# turning resamples the page when it is read (measured on the 200-dpi greyscale sealed page
# leaning 0.5°: 1.5 % characters wrong as scanned, 2.4 % turned straight).
MIN_ANGLE = 1.0
_WIDTH = 640  # the measuring copy: lines 2 px apart at a tenth of a degree


def _ink(image: Image.Image) -> Image.Image | None:
    """A copy about ``_WIDTH`` wide with ink 255 and paper 0; None for a page with no
    contrast (blank)."""
    factor = max(1, image.width // _WIDTH)
    small = (image.reduce(factor) if factor > 1 else image).convert("L")
    histogram = small.histogram()
    total = sum(histogram)
    seen, dark, paper = 0, None, None
    for value, count in enumerate(histogram):
        seen += count
        if dark is None and seen >= total * 0.005:
            dark = value
        if seen >= total * 0.5:
            paper = value
            break
    if dark is None or paper is None or paper - dark < 40:
        return None
    cut = (dark + paper) // 2
    return small.point(lambda v: 255 if v < cut else 0)


def _sharpness(profile: list[int]) -> int:
    return sum((b - a) * (b - a) for a, b in zip(profile, profile[1:], strict=False))


class _Profiles:
    """The sharpness of the ink's row and column profiles at an angle (remembered)."""

    def __init__(self, ink: Image.Image) -> None:
        self.ink = ink
        self.seen: dict[float, tuple[int, float]] = {}

    def __call__(self, angle: float) -> tuple[int, float]:
        angle = round(angle, 2)
        if angle not in self.seen:
            turned = self.ink.rotate(angle, fillcolor=0) if angle else self.ink
            rows = list(turned.resize((1, turned.height), Image.Resampling.BOX).tobytes())
            columns = list(turned.resize((turned.width, 1), Image.Resampling.BOX).tobytes())
            self.seen[angle] = (max(_sharpness(rows), _sharpness(columns)), -abs(angle))
        return self.seen[angle]


def skew_correction(image: Image.Image) -> float:
    """The angle in degrees (counter-clockwise, as ``Image.rotate`` takes it) that puts the
    page's text lines straight, to a tenth of a degree within 5° either way; 0.0 for a blank
    page. Coarse to fine: whole degrees on a half-size copy, then quarter and tenth degrees
    around the best."""
    ink = _ink(image)
    if ink is None:
        return 0.0
    coarse = _Profiles(ink.reduce(2))
    best = max((float(a) for a in range(-COARSE_LIMIT, COARSE_LIMIT + 1)), key=coarse)
    fine = _Profiles(ink)
    best = max((best + 0.25 * k for k in range(-3, 4)), key=fine)
    finest: float = max((best + 0.1 * k for k in range(-2, 3)), key=fine)
    return round(finest, 1)


@dataclass(frozen=True)
class Straightened:
    """The PDF with leaning pages turned straight; ``turned`` the degrees each page was turned
    (0.0 for a page left as it was); ``unmeasured`` the 1-based pages this could not measure."""

    pdf: bytes
    turned: tuple[float, ...]
    unmeasured: tuple[int, ...]


_Source = bytes | Image.Image  # a JPEG's bytes (decoded small in a thread) or the decoded image


def _source_of(page: pikepdf.Page) -> _Source | None:
    """What to measure the page on: its one image, when it draws exactly one and nothing else
    that this module can read; None otherwise."""
    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is None or len(xobjects) != 1:
        return None
    stream = next(iter(xobjects.values()))
    if not isinstance(stream, pikepdf.Stream) or stream.get("/Subtype") != pikepdf.Name.Image:
        return None
    try:
        image = pikepdf.PdfImage(stream)
        if image.filters == ["/DCTDecode"] and image.mode in ("L", "RGB") and not any(image.decode_parms):
            return bytes(stream.read_raw_bytes())
        # declared size and inflated bytes were bounded when the PDF was examined
        return image.as_pil_image()
    except Exception:  # noqa: BLE001 - pikepdf's many image errors: not measurable, left to OCRmyPDF
        return None


def _measure(source: _Source) -> float | None:
    """The page's correction, or None when its image cannot be decoded."""
    try:
        if isinstance(source, bytes):
            jpeg = Image.open(io.BytesIO(source))
            jpeg.draft("L", (jpeg.width // 4, jpeg.height // 4))  # the JPEG decoded at a quarter size
            return skew_correction(jpeg.convert("L"))
        return skew_correction(source)
    except (OSError, ValueError, SyntaxError):
        return None


def _turn(doc: pikepdf.Pdf, page: pikepdf.Page, degrees: float) -> None:
    """Draw the page turned by ``degrees`` (counter-clockwise) about its centre: the image is
    not touched; what falls outside the page is clipped, the corners it leaves are blank."""
    box = [float(v) for v in page.mediabox]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    e, f = cx - cos * cx + sin * cy, cy - sin * cx - cos * cy
    matrix = " ".join(f"{v:.6f}" for v in (cos, sin, -sin, cos, e, f))
    page.contents_add(doc.make_stream(f"q {matrix} cm\n".encode()), prepend=True)
    page.contents_add(doc.make_stream(b"\nQ\n"))


def straighten_pdf(
    pdf: bytes, skip: tuple[bool, ...] = (), *, min_angle: float = MIN_ANGLE, jobs: int = 1
) -> Straightened:
    """Turn straight each page of ``pdf`` leaning by ``min_angle`` degrees or more; pages
    marked in ``skip`` (they have text already) are left alone."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        skipped = [number <= len(skip) and skip[number - 1] for number in range(1, len(doc.pages) + 1)]
        sources = [None if skipped[i] else _source_of(page) for i, page in enumerate(doc.pages)]
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            angles = list(pool.map(lambda source: _measure(source) if source is not None else None, sources))
        unmeasured = tuple(i + 1 for i, angle in enumerate(angles) if angle is None and not skipped[i])
        turned = tuple(angle if angle is not None and abs(angle) >= min_angle else 0.0 for angle in angles)
        if not any(turned):
            return Straightened(pdf, turned, unmeasured)
        for page, degrees in zip(doc.pages, turned, strict=True):
            if degrees:
                _turn(doc, page, degrees)
        out = io.BytesIO()
        doc.save(out)
    return Straightened(out.getvalue(), turned, unmeasured)
