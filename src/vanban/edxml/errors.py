"""Errors and validation problems of :mod:`vanban.edxml`.

Every failure is an :class:`EdxmlError` (a :class:`vanban.errors.DomainError`) with a stable machine ``code`` (English,
kebab-case, never reused), a Vietnamese message for users, an English message for
logs, and where it applies the element path and line that caused it.
Validation does not raise: it returns :class:`Problem` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vanban.errors import DomainError

__all__ = [
    "EdxmlError",
    "MalformedXmlError",
    "TruncatedXmlError",
    "EncodingError",
    "HostileXmlError",
    "ForbiddenDtdError",
    "SizeLimitError",
    "DepthLimitError",
    "HugeTextError",
    "WrongRootError",
    "StructureError",
    "AttachmentError",
    "DigestMismatchError",
    "ZipLimitError",
    "SignatureError",
    "Severity",
    "Problem",
]


class EdxmlError(DomainError):
    """Base of every error raised by :mod:`vanban.edxml`, on :class:`vanban.errors.DomainError`.

    Besides the code and both messages it carries, where it applies, the element path
    (``location``) and the line that caused it; ``str()`` shows them with both messages.
    """

    code: str = "edxml-error"

    def __init__(
        self,
        message_vi: str,
        message_en: str = "",
        *,
        code: str | None = None,
        location: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message_vi, message_en, code=code)
        self.location = location
        self.line = line

    def _where(self) -> str:
        where = ""
        if self.line is not None:
            where += f" (dòng {self.line})"
        if self.location:
            where += f" [{self.location}]"
        return where

    def __str__(self) -> str:
        return f"{self.message_vi}{self._where()} / {self.message_en}"

    def summary_vi(self) -> str:
        return f"{self.message_vi}{self._where()}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "location": self.location,
            "line": self.line,
        }


class MalformedXmlError(EdxmlError):
    """The bytes are not well-formed XML (and could not be recovered unambiguously)."""

    code = "malformed-xml"


class TruncatedXmlError(MalformedXmlError):
    """The document ends before its root element is closed."""

    code = "truncated-xml"


class EncodingError(MalformedXmlError):
    """The bytes are not valid UTF-8 (or the declared encoding)."""

    code = "invalid-encoding"


class HostileXmlError(EdxmlError):
    """The input tries something a package never needs (DTD, entities, huge sizes)."""

    code = "hostile-xml"


class ForbiddenDtdError(HostileXmlError):
    """A DOCTYPE (internal or external DTD, entity declarations) is present."""

    code = "forbidden-dtd"


class SizeLimitError(HostileXmlError):
    """The package is larger than the configured size limit."""

    code = "size-limit"


class DepthLimitError(HostileXmlError):
    """Elements are nested deeper than the configured limit."""

    code = "depth-limit"


class HugeTextError(HostileXmlError):
    """A header element carries more text than any header field needs."""

    code = "huge-text"


class WrongRootError(EdxmlError):
    """The root element is not ``edXML`` in the QCVN 102 namespace."""

    code = "wrong-root"


class StructureError(EdxmlError):
    """The XML is well-formed but is neither an envelope nor a status message."""

    code = "bad-structure"


class AttachmentError(EdxmlError):
    """An attachment cannot be decoded (bad base64, missing content)."""

    code = "attachment"


class DigestMismatchError(AttachmentError):
    """An attachment's content does not match the digest carried for it."""

    code = "digest-mismatch"


class ZipLimitError(AttachmentError):
    """A zipped attachment is unsafe to extract (bomb, too many members, bad paths)."""

    code = "zip-limit"


class SignatureError(EdxmlError):
    """Signing failed, or a signature could not be checked at all."""

    code = "signature"


class Severity(str, Enum):
    """How serious a validation problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One validation finding: where (element path), what (code), and messages."""

    location: str
    code: str
    message_vi: str
    message_en: str
    severity: Severity = Severity.ERROR
    line: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "location": self.location,
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }

    def __str__(self) -> str:
        line = f":{self.line}" if self.line else ""
        return f"{self.severity.value} {self.code} {self.location}{line}: {self.message_vi} / {self.message_en}"
