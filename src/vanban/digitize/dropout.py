"""Drop red seals and blue signatures from a page image before recognition.

Only the image the OCR engine reads is changed; the archived page keeps its colours.

Colour pages: black text under red ink stays dark in the red channel (red ink reflects red
light, black toner absorbs it), while the paper and the red ink are both bright there: the
red channel alone already shows the text without the seal. Blue ink is dark in the red
channel too, but much brighter in blue than in red, which black text is not: those pixels
are whitened (text crossed by a stroke stays, as it is dark in every channel).

Greyscale pages carry no colour, but a seal in grey is a *flat* mid-grey (solid ink), while
the mid-grey around letters is the sharp edge of a dark stroke. Where flat mid-grey is dense
(the seal's rings, star and letters), everything lighter than halfway between the seal's grey
and the text's black is whitened; the rest of the page is left alone. Pure Pillow: the
work is done by its C filters, well under a second a page."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageFilter

__all__ = ["drop_marks", "drop_colour_marks", "drop_grey_seal"]

BLUE_MARGIN = 40  # blue minus red above this: signature ink
FLAT_SPREAD = 30  # max - min over 3×3 (half size) below this: a flat area, not a stroke's edge
SEAL_DENSITY = 0.05  # share of such pixels around a point that makes it part of a seal


def drop_marks(image: Image.Image) -> Image.Image:
    """A greyscale image for OCR with red and blue marks removed (same size and dpi)."""
    dpi = image.info.get("dpi")
    if image.mode in ("1",):
        return image
    if image.mode in ("L", "LA", "I;16", "I", "F"):
        out = drop_grey_seal(image.convert("L"))
    else:
        out = drop_colour_marks(image.convert("RGB"))
    if dpi:
        out.info["dpi"] = dpi
    return out


def drop_colour_marks(rgb: Image.Image) -> Image.Image:
    """The red channel, with blue ink whitened."""
    red, _green, blue = rgb.split()
    blueish = ImageChops.subtract(blue, red).point(lambda v: 255 if v > BLUE_MARGIN else 0)
    return ImageChops.lighter(red, blueish)


def _percentile(histogram: list[int], share: float) -> int:
    total = sum(histogram)
    if not total:
        return 0
    seen = 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= share * total:
            return value
    return 255


def drop_grey_seal(grey: Image.Image) -> Image.Image:
    """``grey`` with a seal's mid-grey ink whitened, the dark text under it kept."""
    histogram = grey.histogram()
    dark, paper = _percentile(histogram, 0.005), _percentile(histogram, 0.5)
    if paper - dark < 60:
        return grey
    low, high = dark + (paper - dark) * 0.12, paper - (paper - dark) * 0.15
    small = grey.reduce(2)  # the search runs at half size: four times less work
    band = small.point(lambda v: 255 if low < v < high else 0)
    least, most = small.filter(ImageFilter.MinFilter(3)), small.filter(ImageFilter.MaxFilter(3))
    flat = ImageChops.subtract(most, least).point(lambda v: 255 if v < FLAT_SPREAD else 0)
    ink = ImageChops.multiply(band, flat)  # flat mid-grey: solid ink, not the edge of a stroke
    # opened (eroded, then grown back): letters' edges are too thin to survive, a seal's ink is not
    solid = ImageChops.multiply(ink.filter(ImageFilter.MinFilter(3)).filter(ImageFilter.MaxFilter(3)), ink)
    radius = max(3, round(small.width / 140))  # about 1.5 mm on A4
    dense = solid.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v > 255 * SEAL_DENSITY else 0)
    if not dense.getbbox():
        return grey
    # near the solid ink (its thinner rings and letters too): the flat mid-grey, a little grown
    near = dense.filter(ImageFilter.BoxBlur(3 * radius)).point(lambda v: 255 if v > 0 else 0)
    grown = ink.filter(ImageFilter.MaxFilter(5))
    around = dense.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v > 0 else 0)
    region = ImageChops.lighter(ImageChops.multiply(near, grown), around)
    counts = small.histogram(mask=ImageChops.multiply(solid, dense))
    seal = max(range(int(low) + 1, int(high)), key=lambda v: sum(counts[v - 2 : v + 3]))  # the ink's grey
    cut = dark + (seal - dark) * 0.5
    cleaned = grey.point(lambda v: 255 if v > cut else v)
    return Image.composite(cleaned, grey, region.resize(grey.size, Image.Resampling.NEAREST))
