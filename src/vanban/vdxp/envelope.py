"""The JSON answer envelope of the VDXP operations: ``status``, ``ErrorCode``, ``ErrorDesc``.

Encoded as the vendor client needs it: US-ASCII (every other character as ``\\uXXXX``), no
JSON ``null`` anywhere (``""`` instead), and a ``DocId`` in every ``sendEdoc`` answer, errors
included. Decoding refuses an answer missing one of the three envelope fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from vanban.vdxp.errors import VdxpError, error_codes

__all__ = ["Answer", "decode_answer", "encode_answer", "encode_error"]

SEND = "sendEdoc"


def _no_nulls(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict):
        return {str(k): _no_nulls(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_nulls(v) for v in value]
    return value


def encode_answer(
    operation: str = "", fields: dict[str, Any] | None = None, *, error: VdxpError | None = None
) -> bytes:
    """The answer's bytes: OK with ``fields``, or FAIL with ``error``'s code and description."""
    if error is None:
        head: dict[str, Any] = {"status": "OK", "ErrorCode": "0", "ErrorDesc": error_codes()["ok"].vi}
    else:
        head = {"status": "FAIL", "ErrorCode": error.error_code, "ErrorDesc": error.message_vi}
    body = {**head, **_no_nulls(fields or {})}
    if operation == SEND:
        body.setdefault("DocId", "")
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def encode_error(operation: str, error: VdxpError, **fields: Any) -> bytes:
    """Shorthand for ``encode_answer(operation, fields, error=error)``."""
    return encode_answer(operation, fields, error=error)


@dataclass
class Answer:
    """A decoded answer: ``ok`` when ``status`` is ``OK``; ``fields`` holds the rest."""

    status: str
    error_code: str
    error_desc: str
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status.upper() == "OK"

    def raise_for_error(self) -> None:
        """Raise the :class:`VdxpError` the answer carries when it is not OK."""
        if not self.ok:
            raise VdxpError(self.error_code if self.error_code in error_codes() else "refused", self.error_desc)


def decode_answer(data: bytes | str) -> Answer:
    """Read an answer; ``unreadable_answer`` when it is not JSON or lacks an envelope field."""
    try:
        body = json.loads(data)
    except ValueError:
        raise VdxpError("unreadable_answer") from None
    if not isinstance(body, dict) or not all(k in body for k in ("status", "ErrorCode", "ErrorDesc")):
        raise VdxpError("unreadable_answer")
    rest = {k: v for k, v in body.items() if k not in ("status", "ErrorCode", "ErrorDesc")}
    return Answer(str(body["status"]), str(body["ErrorCode"]), str(body["ErrorDesc"]), rest)
