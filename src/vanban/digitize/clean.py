"""Clean a page image for the OCR engine: paper grain, specks and dark scanner borders away.

What ``unpaper`` does for OCRmyPDF's ``--clean`` (its noise filter and its scan-area mask), in
a few Pillow C filters on the image the OCR engine reads (the archived page is not touched):

- the paper's grain: everything clearly lighter than halfway from the ink to the paper
  becomes white;
- specks: dark clusters of at most three pixels with no other ink within two pixels (a dot
  of dust, the scanner's noise) are whitened; a diacritic's dot is far bigger at any
  resolution a scan is read at;
- borders: dark bands along the edges (the scanner's lid, a copy's shadow), found on a small
  copy, are whitened."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageFilter

__all__ = ["clean_page"]

SPECK_PIXELS = 3  # a dark cluster this small, alone in its window, is a speck
SPECK_RADIUS = 4  # the window: 9×9 pixels (other ink nearer than that: part of a letter)
_BORDER_STEP = 8  # the border search runs on a copy 1/8 the size


def _levels(grey: Image.Image) -> tuple[int, int]:
    """(ink, paper): the 0.5th percentile and the median grey."""
    histogram = grey.histogram()
    total = sum(histogram)
    seen, dark = 0, None
    for value, count in enumerate(histogram):
        seen += count
        if dark is None and seen >= total * 0.005:
            dark = value
        if seen >= total * 0.5:
            return dark if dark is not None else value, value
    return 0, 255


def _border(small: Image.Image, cut: int) -> tuple[int, int, int, int]:
    """How many small rows/columns from the top, bottom, left and right are mostly ink."""
    rows = list(small.resize((1, small.height), Image.Resampling.BOX).tobytes())
    columns = list(small.resize((small.width, 1), Image.Resampling.BOX).tobytes())

    def run(values: list[int]) -> int:
        count = 0
        for value in values:
            if value >= cut:
                break
            count += 1
        return count if count < len(values) // 4 else 0  # a dark quarter of a page is content

    return run(rows), run(rows[::-1]), run(columns), run(columns[::-1])


def clean_page(grey: Image.Image) -> Image.Image:
    """``grey`` (mode L) cleaned for recognition: same size and resolution."""
    if grey.mode != "L":
        return grey
    dark, paper = _levels(grey)
    if paper - dark < 40:
        return grey  # blank or flat: nothing to tell ink from paper by
    ink_cut = (dark + paper) // 2
    paper_cut = paper - (paper - dark) // 5
    out = grey.point(lambda v: 255 if v >= paper_cut else v)
    ink = grey.point(lambda v: 255 if v < ink_cut else 0)
    window = (2 * SPECK_RADIUS + 1) ** 2
    most = (255 * SPECK_PIXELS + window - 1) // window
    crowd = ink.filter(ImageFilter.BoxBlur(SPECK_RADIUS)).point(lambda v: 255 if v <= most else 0)
    specks = ImageChops.multiply(ink, crowd)
    if specks.getbbox():
        out.paste(255, mask=specks)
    top, bottom, left, right = _border(grey.reduce(_BORDER_STEP), ink_cut)
    if any((top, bottom, left, right)):
        draw, step = ImageDraw.Draw(out), _BORDER_STEP
        width, height = out.size
        for box, count in (
            ((0, 0, width, (top + 1) * step), top),
            ((0, height - (bottom + 1) * step, width, height), bottom),
            ((0, 0, (left + 1) * step, height), left),
            ((width - (right + 1) * step, 0, width, height), right),
        ):
            if count:
                draw.rectangle(box, fill=255)
    if "dpi" in grey.info:
        out.info["dpi"] = grey.info["dpi"]
    return out
