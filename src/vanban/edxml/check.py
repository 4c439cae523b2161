"""One pass over a package: parse once, then read, verify and validate the same tree.

:func:`check` is what a receiving system runs on every incoming package. It parses the
bytes once (with every safety limit of :func:`~vanban.edxml.safexml.parse_xml`) and
shares that single lxml tree between the reader, the signature verification and the
XSD + semantic validation, instead of the three parses of calling :func:`parse`,
:func:`validate` and :func:`verify` in turn. Each attachment is base64-decoded once and
its ``vb:sha256`` digest checked once.

Results are the ones the separate calls give, with one difference: an attachment whose
``vb:sha256`` digest does not match is an error in ``problems`` (as :func:`validate`
reports it) rather than the :class:`~vanban.edxml.errors.DigestMismatchError` that
:func:`parse` raises. Unreadable or hostile bytes raise
:class:`~vanban.edxml.errors.EdxmlError`, as :func:`validate` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from vanban.edxml.dsig import TrustStore, VerificationResult, trust_store, verify_tree
from vanban.edxml.errors import Problem, Severity
from vanban.edxml.model import Package, ParseNote
from vanban.edxml.reader import DEFAULT_MAX_TEXT
from vanban.edxml.safexml import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, parse_xml
from vanban.edxml.validate import read_for_validation, validate_tree

__all__ = ["CheckResult", "check"]


@dataclass
class CheckResult:
    """A package read, validated and (with a trust store) signature-checked."""

    package: Package | None
    """``None`` only when the bytes are XML with an ``edXML`` root but no envelope/header."""
    problems: list[Problem] = field(default_factory=list)
    signature: VerificationResult | None = None
    """``None`` when :func:`check` was called without ``trust``."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def valid(self) -> bool:
        """No error-level problem and, when a trust store was given, a valid signature."""
        return not self.errors and (self.signature is None or self.signature.valid)


def check(
    data: bytes,
    trust: TrustStore | str | Path | None = None,
    *,
    at: dt.datetime | None = None,
    today: dt.date | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_text: int = DEFAULT_MAX_TEXT,
    decode_attachments: bool = True,
) -> CheckResult:
    """Parse, validate and (when ``trust`` is given) verify ``data`` in a single parse.

    ``trust`` is a :class:`TrustStore` or a PEM file / folder path (loaded once and
    cached until a file in it changes); ``at`` is the time for the certificate chain,
    ``today`` the date for "not in the future" checks. ``decode_attachments=False``
    leaves the attachments' contents undecoded (empty) and their ``vb:sha256`` digests
    unchecked: for a relay that never opens them (the hub), whose integrity the
    signature covers; the recipient decodes and checks them.
    """
    store = trust_store(trust) if trust is not None else None
    notes: list[ParseNote] = []
    root = parse_xml(data, max_size=max_size, max_depth=max_depth, notes=notes)
    pkg, problems = read_for_validation(root, list(notes), max_text=max_text, decode=decode_attachments)
    signature = None
    if store is not None:
        # Before validation: validate_tree normalises the tree in place, and the
        # signature covers the tree as it was received. verify_tree restores what it touches.
        sender = pkg.sender.organ_id if pkg is not None else None
        signature = verify_tree(root, store, sender=sender, notes=notes, at=at)
    if pkg is not None:
        problems = validate_tree(root, pkg, today=today)
    return CheckResult(pkg, problems, signature)
