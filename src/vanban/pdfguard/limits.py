"""The bounds a PDF must keep to be read (:class:`PdfLimits`), with defaults that let
every real document through (a 600 dpi colour A3 scan page inflates to about 200 MB) and
read from ``VANBAN_PDF_LIMITS`` (JSON, e.g. ``{"max_stream_inflated": 134217728}``)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from vanban.errors import DomainError

__all__ = ["ENV_VAR", "PdfLimits", "default_limits"]

ENV_VAR = "VANBAN_PDF_LIMITS"
_MiB = 1024 * 1024


@dataclass(frozen=True)
class PdfLimits:
    """What :func:`vanban.pdfguard.check_pdf` refuses beyond (all inclusive maxima)."""

    max_file_bytes: int = 110 * _MiB
    """The file itself (the web forms stop at 50 MB before this)."""
    max_stream_inflated: int = 256 * _MiB
    """One stream once its filters are undone (a content stream, an image, a font)."""
    max_total_inflated: int = 1024 * _MiB
    """All streams together once inflated."""
    max_depth: int = 100
    """Arrays and dictionaries inside one another within one object."""
    max_objects: int = 100_000
    """Objects in the cross-reference table."""
    max_pages: int = 5_000
    refuse_encrypted: bool = True
    """Refuse any encryption, even one that opens without a password (permissions only)."""

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> PdfLimits:
        """These limits with ``values`` (names as the fields) overriding the defaults."""
        if not values:
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise DomainError(
                f"{ENV_VAR} có khóa không hợp lệ: {', '.join(unknown)}.",
                f"{ENV_VAR}: unknown keys {unknown}",
                code="bad_pdf_limits",
            )
        clean: dict[str, Any] = {}
        for name, value in values.items():
            expected = bool if name == "refuse_encrypted" else int
            if not isinstance(value, expected) or (expected is int and (isinstance(value, bool) or value <= 0)):
                raise DomainError(
                    f"{ENV_VAR}: giá trị của {name} không hợp lệ ({value!r}).",
                    f"{ENV_VAR}: bad value for {name}: {value!r}",
                    code="bad_pdf_limits",
                )
            clean[name] = value
        return replace(cls(), **clean)

    @classmethod
    def from_json(cls, text: str | None) -> PdfLimits:
        """These limits from a JSON object (empty or missing: the defaults)."""
        if not text or not text.strip():
            return cls()
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DomainError(
                f"{ENV_VAR} không phải JSON hợp lệ.", f"{ENV_VAR} is not valid JSON: {exc}", code="bad_pdf_limits"
            ) from exc
        if not isinstance(values, dict):
            raise DomainError(
                f"{ENV_VAR} phải là một đối tượng JSON.", f"{ENV_VAR} must be a JSON object", code="bad_pdf_limits"
            )
        return cls.from_mapping(values)


def default_limits() -> PdfLimits:
    """The limits of this process: the defaults overridden by ``VANBAN_PDF_LIMITS``."""
    return PdfLimits.from_json(os.environ.get(ENV_VAR))
