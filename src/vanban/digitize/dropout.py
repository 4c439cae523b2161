"""Drop red seals and blue signatures from a page image before recognition.

Only the image the OCR engine reads is changed; the archived page keeps its colours.

Colour pages: black text under red ink stays dark in the red channel (red ink reflects red
light), while the paper and the red ink are both bright there. Blue ink is dark in the red
channel too, but it is much brighter in blue than in red, which black text is not: those
pixels are whitened. Greyscale pages carry no colour: see :func:`drop_marks` for what is
done there."""

from __future__ import annotations

from PIL import Image, ImageChops

__all__ = ["drop_marks"]

BLUE_MARGIN = 40  # blue minus red above this: signature ink


def drop_marks(image: Image.Image) -> Image.Image:
    """A greyscale image for OCR with red and blue marks removed (same size and dpi)."""
    dpi = image.info.get("dpi")
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return image
    rgb = image.convert("RGB")
    red, _green, blue = rgb.split()
    blueish = ImageChops.subtract(blue, red).point(lambda v: 255 if v > BLUE_MARGIN else 0)
    out = ImageChops.lighter(red, blueish)
    if dpi:
        out.info["dpi"] = dpi
    return out
