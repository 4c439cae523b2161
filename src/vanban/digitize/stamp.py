"""A red rectangular secrecy stamp in a page image (first version: not detected yet)."""

from __future__ import annotations

from typing import Any

__all__ = ["stamp_in_image"]


def stamp_in_image(image: Any) -> str | None:
    """The stamp read from a red rectangle in ``image`` (a PIL image), or None."""
    return None
