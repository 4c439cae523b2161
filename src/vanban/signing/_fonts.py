"""Fonts for Vietnamese text in PDFs and stamps.

pyHanko writes glyph widths in font units, while PDF expects 1/1000 em; Liberation and
DejaVu use 2048 units per em, so text comes out letter-spaced. We rescale the font once
to 1000 units per em (fontTools) into a cache directory and use that copy everywhere.
Liberation Serif is the metric twin of Times New Roman (which NĐ 30 asks for) and covers
Vietnamese fully.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from vanban.signing.errors import SigningError

__all__ = ["serif_font_path", "serif_italic_font_path", "cache_dir", "FONT_CANDIDATES", "ITALIC_CANDIDATES"]

FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)

ITALIC_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
)

_lock = threading.Lock()
_cached: dict[str, str] = {}


def cache_dir() -> Path:
    """``$VANBAN_CACHE_DIR`` or ``~/.cache/vanban`` (a temp dir if home is read-only)."""
    env = os.environ.get("VANBAN_CACHE_DIR")
    base = Path(env) if env else Path.home() / ".cache" / "vanban"
    try:
        base.mkdir(parents=True, exist_ok=True)
        return base
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"vanban-cache-{os.getuid()}"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def _source_font() -> str:
    env = os.environ.get("VANBAN_SIGNING_FONT")
    for cand in ((env,) if env else ()) + FONT_CANDIDATES:
        if cand and os.path.exists(cand):
            return cand
    raise SigningError(
        "Không tìm thấy phông chữ Liberation Serif (gói fonts-liberation2).",
        "Liberation Serif not found (install fonts-liberation2 or set VANBAN_SIGNING_FONT).",
        code="font_missing",
    )


def serif_font_path() -> str:
    """Path of the serif font rescaled to 1000 units per em (created on first use)."""
    return _rescaled(_source_font())


def serif_italic_font_path() -> str:
    """The italic serif (NĐ 30's date line), rescaled like :func:`serif_font_path`; the
    upright font when no italic is installed."""
    for cand in ITALIC_CANDIDATES:
        if os.path.exists(cand):
            return _rescaled(cand)
    return serif_font_path()


def _rescaled(src: str) -> str:
    with _lock:
        if src in _cached:
            return _cached[src]
        data = Path(src).read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        target = cache_dir() / "fonts" / f"{Path(src).stem}-upem1000-v2-{digest}.ttf"
        if not target.exists():
            from fontTools.ttLib import TTFont
            from fontTools.ttLib.scaleUpem import scale_upem

            target.parent.mkdir(parents=True, exist_ok=True)
            font = TTFont(src)
            if "FFTM" in font:  # FontForge timestamp table: subsetters warn about it
                del font["FFTM"]
            if font["head"].unitsPerEm != 1000:
                scale_upem(font, 1000)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            font.save(str(tmp))
            os.replace(tmp, target)
        _cached[src] = str(target)
        return str(target)
