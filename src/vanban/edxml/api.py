"""The common-case functions: :func:`parse` untrusted bytes, :func:`build` a package."""

from __future__ import annotations

from vanban.edxml.model import Package, ParseNote
from vanban.edxml.reader import DEFAULT_MAX_TEXT, read_package
from vanban.edxml.safexml import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, parse_xml
from vanban.edxml.writer import build

__all__ = ["parse", "peek", "build"]


def parse(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_text: int = DEFAULT_MAX_TEXT,
    verify_digests: bool = True,
    strict: bool = False,
) -> Package:
    """Read an edXML package (envelope or status message) from untrusted bytes.

    Tolerates the quirks of real producers and lists them in ``.notes``. Raises an
    :class:`~vanban.edxml.errors.EdxmlError` subclass when the bytes are unreadable or
    hostile, or when an attachment does not match its ``vb:sha256`` digest (unless
    ``verify_digests=False``). With ``strict=True`` undecodable or missing attachment
    content raises too instead of becoming a note.
    """
    notes: list[ParseNote] = []
    root = parse_xml(data, max_size=max_size, max_depth=max_depth, notes=notes)
    return read_package(root, notes=notes, verify_digests=verify_digests, strict=strict, max_text=max_text)


def peek(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_text: int = DEFAULT_MAX_TEXT,
) -> Package:
    """The header of a package, cheaply: parsed safely like :func:`parse`, but the
    attachments are left undecoded (empty) and unchecked. Enough to tell what a package is
    and whether it was seen before, before paying for decoding and verification."""
    notes: list[ParseNote] = []
    root = parse_xml(data, max_size=max_size, max_depth=max_depth, notes=notes)
    return read_package(root, notes=notes, verify_digests=False, max_text=max_text, decode=False)
