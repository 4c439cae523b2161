"""Registry objects the page tests build the same way (needs Django set up: import it from
tests only)."""

from __future__ import annotations

from vanban.registry.services.digitized import DigitizedScan
from vanban.storage import put_bytes

__all__ = ["PNG_SCAN", "digitized_scan"]

PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
"""A scanner's original, stored as given (never digitized: no worker runs in these tests)."""


def digitized_scan(pdf: bytes, original: bytes = PNG_SCAN) -> DigitizedScan:
    """The digitized copy ``pdf`` of ``original``, both put in the file store."""
    return DigitizedScan(
        pdf_sha256=put_bytes(pdf),
        pdf_size=len(pdf),
        pdf_name="ban-so-hoa.pdf",
        original_sha256=put_bytes(original),
        original_size=len(original),
        original_name="ban-quet.png",
        original_type="image/png",
    )
