"""A red secrecy stamp (dấu chỉ độ mật) in a page image.

The seal dropout removes red ink from what the OCR engine reads, so a red ``MẬT`` stamp is
not in the recognised text. Here the red ink alone is turned into black on white, cropped to
where it is, and read by Tesseract; a line (or a run of words) that is only a stamp's words
in capitals (:func:`vanban.digitize.secrecy.stamp_of_words`) is the mark. A round seal's
curved letters never read as a stamp word alone. A page without red ink costs nothing."""

from __future__ import annotations

import io
import subprocess
from typing import Any

from PIL import Image, ImageChops

__all__ = ["red_layer", "stamp_in_image"]

MIN_RED_SHARE = 0.0005  # fewer red pixels than this share of the page: no stamp at all
TIMEOUT = 30


def red_layer(image: Image.Image) -> Image.Image:
    """Red ink as black on white (``L``): red well above green and blue."""
    red, green, blue = image.convert("RGB").split()
    above = ImageChops.darker(ImageChops.subtract(red, green), ImageChops.subtract(red, blue))
    return above.point(lambda v: 0 if v > 70 else 255)


def stamp_in_image(image: Any, language: str = "vie") -> str | None:
    """The stamp read from red ink in ``image`` (a PIL image), or None."""
    from vanban.digitize.secrecy import stamp_in_lines

    if not isinstance(image, Image.Image) or image.mode in ("1", "L", "LA", "I", "F", "I;16"):
        return None
    layer = red_layer(image)
    ink = ImageChops.invert(layer)
    box = ink.getbbox()
    if box is None or sum(ink.histogram()[128:]) < MIN_RED_SHARE * image.width * image.height:
        return None
    margin = 10
    crop = layer.crop((max(0, box[0] - margin), max(0, box[1] - margin), box[2] + margin, box[3] + margin))
    buf = io.BytesIO()
    dpi = image.info.get("dpi", (150, 150))
    crop.save(buf, "PNG", dpi=tuple(round(d) for d in dpi))
    try:
        out = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", language, "--psm", "11", "--dpi", str(round(dpi[0]))],
            input=buf.getvalue(),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return stamp_in_lines(out.stdout.decode("utf-8", errors="replace").splitlines())
