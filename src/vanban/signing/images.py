"""Signature and seal images (PNG, transparent background), as NĐ 30 Phụ lục I asks:
the signer's signature in blue, the agency seal in red. Generated with Pillow for demos
and tests; real deployments upload scanned images, checked by :func:`check_png`."""

from __future__ import annotations

import io
import math
import os
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from vanban.signing.errors import SigningError

__all__ = [
    "SIGNATURE_BLUE",
    "SEAL_RED",
    "make_signature_image",
    "make_seal_image",
    "check_png",
]

SIGNATURE_BLUE = (20, 40, 200)
SEAL_RED = (220, 20, 30)

_ITALIC_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
)
_BOLD_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)


def _font(candidates: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in candidates:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def make_signature_image(text: str, *, width: int = 600, height: int = 240) -> bytes:
    """A blue 'handwritten' signature of ``text`` (usually the name) on transparency."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    words = text.split()
    shown = words[-1] if words else text  # people sign with their given name
    size = int(height * 0.5)
    font = _font(_ITALIC_CANDIDATES, size)
    while size > 20 and draw.textlength(shown, font=font) > width * 0.8:
        size -= 6
        font = _font(_ITALIC_CANDIDATES, size)
    tw = draw.textlength(shown, font=font)
    x0 = (width - tw) / 2
    y0 = height * 0.12
    colour = SIGNATURE_BLUE + (255,)
    for dx in (0, 1, 2):  # a thicker, pen-like stroke
        draw.text((x0 + dx, y0), shown, font=font, fill=colour)
    # an underline flourish
    pts = []
    for i in range(41):
        t = i / 40
        x = x0 - width * 0.05 + t * (tw + width * 0.12)
        y = height * 0.78 - math.sin(t * math.pi) * height * 0.08 + t * height * 0.04
        pts.append((x, y))
    draw.line(pts, fill=colour, width=max(3, height // 40), joint="curve")
    return _png(img)


def _arc_text(
    img: Image.Image,
    text: str,
    radius: float,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    colour: tuple[int, int, int, int],
    top: bool = True,
) -> None:
    cx, cy = img.width / 2, img.height / 2
    draw = ImageDraw.Draw(img)
    widths = [draw.textlength(ch, font=font) for ch in text]
    total = sum(widths)
    span = min(total / radius, math.radians(300))  # radians covered by the text
    scale = span / (total / radius) if total else 1.0
    angle = -math.pi / 2 - span / 2 if top else math.pi / 2 + span / 2
    for ch, w in zip(text, widths):
        step = w / radius * scale
        mid = angle + step / 2 if top else angle - step / 2
        tile = Image.new("RGBA", (int(w * 2 + 20), int(w * 2 + 60)), (0, 0, 0, 0))
        td = ImageDraw.Draw(tile)
        td.text((tile.width / 2, tile.height / 2), ch, font=font, fill=colour, anchor="mm")
        rot = -math.degrees(mid + math.pi / 2) if top else -math.degrees(mid - math.pi / 2)
        tile = tile.rotate(rot, resample=Image.Resampling.BICUBIC, expand=True)
        x = cx + radius * math.cos(mid) - tile.width / 2
        y = cy + radius * math.sin(mid) - tile.height / 2
        img.alpha_composite(tile, (int(round(x)), int(round(y))))
        angle = angle + step if top else angle - step


def make_seal_image(agency_name: str, *, size: int = 480, code: str = "") -> bytes:
    """A red round seal: two rings, the agency name around, a star in the middle."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    colour = SEAL_RED + (255,)
    c = size / 2
    outer = size / 2 - 4
    ring = max(6, size // 45)
    draw.ellipse((c - outer, c - outer, c + outer, c + outer), outline=colour, width=ring)
    inner = outer * 0.62
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=colour, width=ring // 2)
    # star
    r1, r2 = inner * 0.55, inner * 0.22
    pts = []
    for i in range(10):
        r = r1 if i % 2 == 0 else r2
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(pts, fill=colour)
    text = unicodedata.normalize("NFC", agency_name.upper())
    font = _font(_BOLD_CANDIDATES, int(size * 0.075))
    _arc_text(img, text, (outer + inner) / 2 - ring / 2, font, colour, top=True)
    if code:
        small = _font(_BOLD_CANDIDATES, int(size * 0.05))
        draw.text((c, c + inner * 0.72), code, font=small, fill=colour, anchor="mm")
    return _png(img)


def check_png(data: bytes, *, what: str = "image") -> Image.Image:
    """Accept only a PNG with a transparent background (NĐ 30); return it as RGBA."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SigningError(
            "Ảnh chữ ký/con dấu phải là tệp PNG.", f"The {what} must be a PNG file.", code="image_not_png"
        )
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception as exc:
        raise SigningError("Không đọc được ảnh PNG.", f"Cannot read the PNG {what}.", code="image_unreadable") from exc
    rgba = img.convert("RGBA")
    alpha = rgba.getchannel("A")
    lo, _hi = alpha.getextrema()
    if lo == 255:
        raise SigningError(
            "Ảnh chữ ký/con dấu phải có nền trong suốt.",
            f"The {what} must have a transparent background.",
            code="image_opaque",
        )
    return rgba
