"""The VDXP error codes: one table (``errors.json``) of stable wire codes, names and
Vietnamese descriptions, and :class:`VdxpError`, the one error base of this package.

The wire code (``ErrorCode`` in the JSON answer, digits as a string) and the name never change
meaning once published; new codes are added, never renumbered. ``notes`` in the same file name
the quirks a hub tolerates (recorded by the conformance sandbox, never refused).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from vanban.errors import DomainError

__all__ = ["ErrorCode", "Note", "VdxpError", "error_codes", "notes"]


@dataclass(frozen=True)
class ErrorCode:
    """One row of the table: the wire ``code`` ("103"), its ``name`` ("bad_hmac"), vi, en."""

    code: str
    name: str
    vi: str
    en: str


@dataclass(frozen=True)
class Note:
    """A tolerated quirk: ``name`` ("unpadded_hash") and its descriptions."""

    name: str
    vi: str
    en: str


@cache
def _table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath("errors.json").read_text(encoding="utf-8"))
    return data


@cache
def error_codes() -> dict[str, ErrorCode]:
    """Every error code, keyed by wire code *and* by name (the same row twice)."""
    rows = [ErrorCode(**row) for row in _table()["errors"]]
    return {**{r.code: r for r in rows}, **{r.name: r for r in rows}}


@cache
def notes() -> dict[str, Note]:
    """Every tolerated quirk the sandbox may record, by name."""
    return {row["name"]: Note(**row) for row in _table()["notes"]}


class VdxpError(DomainError):
    """A refusal in the VDXP protocol: ``VdxpError("bad_hmac")`` or ``VdxpError("103")``.

    ``error_code`` is the wire code (``ErrorCode``), ``code`` the stable name, ``message_vi``
    the table's description followed by ``detail_vi`` when given (what exactly was wrong).
    """

    code = "vdxp_error"

    def __init__(self, code: str, detail_vi: str = "", detail_en: str = "", *, details: Any = None) -> None:
        row = error_codes().get(code) or error_codes()["internal_error"]
        self.error_code = row.code
        self.detail_vi = detail_vi
        vi = f"{row.vi}: {detail_vi}" if detail_vi else row.vi
        en = f"{row.en}: {detail_en or detail_vi}" if (detail_en or detail_vi) else row.en
        retryable = row.code.startswith("9")
        super().__init__(vi, en, code=row.name, retryable=retryable, details=details)

    @property
    def name(self) -> str:
        return self.code
