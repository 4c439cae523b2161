"""The pre-flight check every PDF passes before anything reads it (:func:`check_pdf`).

qpdf (through pikepdf) parses the cross-reference table and the objects, which it does
lazily and within its own parser limits; nothing here renders or decodes a page. Streams
are measured by :func:`vanban.pdfguard.inflate.inflated_size` without being inflated in
memory, object streams first (qpdf unpacks one when an object inside it is read). As a
second wall, qpdf's own Flate memory limit is raised to the stream limit for the whole
process, so no reader using pikepdf can inflate one stream past it either."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf.settings import get_qpdf_limits, set_qpdf_limits

from vanban.pdfguard.errors import (
    PdfEncrypted,
    PdfNotPdf,
    PdfPageLoop,
    PdfRefused,
    PdfTooDeep,
    PdfTooLarge,
    PdfTooLargeInflated,
    PdfTooManyObjects,
    PdfTooManyPages,
    PdfUnreadable,
)
from vanban.pdfguard.inflate import inflated_size
from vanban.pdfguard.limits import PdfLimits, default_limits

__all__ = ["PdfFacts", "check_pdf"]

_MiB = 1024 * 1024


@dataclass(frozen=True)
class PdfFacts:
    """What the check found in a PDF it let through."""

    pages: int
    objects: int
    depth: int
    """The deepest nesting of arrays and dictionaries in one object."""
    inflated_bytes: int
    """All streams once inflated."""
    largest_stream: int
    """The largest stream once inflated."""
    size: int
    """The file's bytes."""


def _mb(size: int) -> str:
    return f"{size / _MiB:.0f} MB"


def _too_deep(limit: int) -> PdfTooDeep:
    return PdfTooDeep(
        f"Tệp PDF có cấu trúc lồng nhau quá sâu (hơn {limit} tầng) nên không được tiếp nhận.",
        f"The PDF nests arrays or dictionaries deeper than {limit}.",
        details={"limit": limit},
    )


def _inflated(size: int, limit: int, what: str) -> PdfTooLargeInflated:
    return PdfTooLargeInflated(
        f"Tệp PDF giải nén quá lớn: nội dung bên trong vượt {_mb(limit)} khi giải nén "
        "(có thể là tệp “bom nén”), nên không được tiếp nhận.",
        f"The PDF inflates past {limit} bytes ({what}): a decompression bomb.",
        details={"limit": what, "max_bytes": limit, "at_least": size},
    )


def _encrypted(detail: str) -> PdfEncrypted:
    return PdfEncrypted(
        "Tệp PDF được đặt mật khẩu nên không mở được; hãy gỡ mật khẩu rồi tải lên lại.",
        f"The PDF is encrypted or password-protected: {detail}",
    )


def _unreadable(detail: str) -> PdfUnreadable:
    return PdfUnreadable(
        "Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng PDF).", f"Unreadable PDF: {detail}"
    )


def _read(data_or_path: bytes | str | Path, limits: PdfLimits) -> bytes:
    if isinstance(data_or_path, bytes | bytearray | memoryview):
        data = bytes(data_or_path)
    else:
        path = Path(data_or_path)
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise PdfTooLarge(
                f"Tệp PDF quá lớn ({_mb(size)}); tối đa {_mb(limits.max_file_bytes)}.",
                f"The PDF is {size} bytes, over {limits.max_file_bytes}.",
            )
        data = path.read_bytes()
    if len(data) > limits.max_file_bytes:
        raise PdfTooLarge(
            f"Tệp PDF quá lớn ({_mb(len(data))}); tối đa {_mb(limits.max_file_bytes)}.",
            f"The PDF is {len(data)} bytes, over {limits.max_file_bytes}.",
        )
    if b"%PDF-" not in data[:1024]:
        raise PdfNotPdf("Tệp không phải PDF.", "Not a PDF file (no %PDF- header).")
    return data


def _bound_qpdf(limits: PdfLimits) -> None:
    """Let no pikepdf in this process inflate one Flate stream past the stream limit (never
    lowered: a smaller limit given to one check does not shrink what other readers may do)."""
    current = int(get_qpdf_limits()["flate_max_memory"])
    if current == 0 or current < limits.max_stream_inflated:
        set_qpdf_limits(flate_max_memory=limits.max_stream_inflated)


def _nesting_warned(pdf: pikepdf.Pdf) -> bool:
    return any("parser-max-nesting" in w or "deeply nested" in w for w in pdf.get_warnings())


def _depth(obj: pikepdf.Object, limit: int) -> int:
    """The deepest direct nesting in ``obj`` (indirect references are not followed)."""
    deepest = 0
    stack: list[tuple[pikepdf.Object, int]] = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            return depth
        if isinstance(node, pikepdf.Array):
            children = list(node)
        elif isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
            children = list(node.values())
        else:
            continue
        stack.extend((c, depth + 1) for c in children if isinstance(c, pikepdf.Object) and not c.is_indirect)
    return deepest


def _open(data: bytes, limits: PdfLimits) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except (pikepdf.PikepdfError, *_MALFORMED) as exc:
        raise _refusal(exc, limits) from exc


def _refusal(exc: Exception, limits: PdfLimits) -> PdfRefused:
    """What qpdf's failure means for the person who gave the file."""
    if isinstance(exc, pikepdf.PasswordError):
        return _encrypted(str(exc))
    if isinstance(exc, pikepdf.DataDecodingError) and "memory limit" in str(exc):
        return _inflated(limits.max_stream_inflated + 1, limits.max_stream_inflated, "stream")
    if isinstance(exc, pikepdf.PdfError) and "Loop detected" in str(exc):
        return _page_loop(str(exc))
    if isinstance(exc, pikepdf.PdfError):
        return _unreadable(str(exc))
    return _unreadable(f"{type(exc).__name__}: {exc}")


_MALFORMED = (RuntimeError, ValueError, TypeError, OverflowError)
"""What qpdf and pikepdf raise besides ``PdfError`` on malformed input, found by fuzzing
(tests/fuzz_regressions/pdf_intake): a wrong /Count after flattening the page tree, an
integer past 64 bits, a name that is not UTF-8."""


def _page_loop(detail: str) -> PdfPageLoop:
    return PdfPageLoop(
        "Cây trang của tệp PDF bị vòng lặp (một nút trang trỏ về chính nó): tệp hỏng hoặc cố ý gây hại.",
        f"The page tree of the PDF loops: {detail}",
    )


def check_pdf(data_or_path: bytes | str | Path, limits: PdfLimits | None = None) -> PdfFacts:
    """What is in this PDF, or a :class:`~vanban.pdfguard.errors.PdfRefused` saying why it
    will not be read: too large inflated, too deep, too many objects or pages, a looping page
    tree, encrypted, or not a readable PDF. Bounded in memory by a chunk and the file."""
    limits = limits or default_limits()
    data = _read(data_or_path, limits)
    key = (hashlib.sha256(data).digest(), limits)
    if key in _PASSED:
        return _PASSED[key]
    _bound_qpdf(limits)
    facts = _check(data, limits)
    if len(_PASSED) >= _REMEMBERED:
        _PASSED.pop(next(iter(_PASSED)), None)
    _PASSED[key] = facts
    return facts


_REMEMBERED = 64
_PASSED: dict[tuple[bytes, PdfLimits], PdfFacts] = {}
"""The PDFs that passed lately, by digest and limits: one received file is read by several
readers in turn (signature check, secrecy scan, registry), each checking it first."""


def _check(data: bytes, limits: PdfLimits) -> PdfFacts:
    with _open(data, limits) as pdf:
        try:
            return _inspect(pdf, limits, len(data))
        except (pikepdf.PikepdfError, *_MALFORMED) as exc:
            raise _refusal(exc, limits) from exc


def _inspect(pdf: pikepdf.Pdf, limits: PdfLimits, size: int) -> PdfFacts:
    if pdf.is_encrypted and limits.refuse_encrypted:
        raise _encrypted("encrypted (no password needed to open)")
    xref = {objgen: entry for objgen, entry in pdf.get_xref_table().items() if entry.type in (1, 2)}
    if len(xref) > limits.max_objects:
        raise PdfTooManyObjects(
            f"Tệp PDF có quá nhiều đối tượng ({len(xref):,}; tối đa {limits.max_objects:,}) nên không được tiếp nhận.",
            f"The PDF has {len(xref)} objects, over {limits.max_objects}.",
            details={"objects": len(xref), "max_objects": limits.max_objects},
        )
    if _nesting_warned(pdf):
        raise _too_deep(limits.max_depth)
    containers = {entry.obj_stream_number for entry in xref.values() if entry.type == 2}
    order = sorted(xref, key=lambda objgen: (objgen[0] not in containers, objgen))  # object streams first
    total = largest = deepest = 0
    for objgen in order:
        obj = pdf.get_object(objgen)
        if obj is None:
            continue
        if isinstance(obj, pikepdf.Stream):
            cap = min(limits.max_stream_inflated, limits.max_total_inflated - total)
            inflated = inflated_size(pdf, obj, cap)
            if inflated > limits.max_stream_inflated:
                raise _inflated(inflated, limits.max_stream_inflated, "stream")
            total += inflated
            largest = max(largest, inflated)
            if total > limits.max_total_inflated:
                raise _inflated(total, limits.max_total_inflated, "total")
        deepest = max(deepest, _depth(obj, limits.max_depth))
        if deepest > limits.max_depth or _nesting_warned(pdf):
            raise _too_deep(limits.max_depth)
    pages = len(pdf.pages)
    if _nesting_warned(pdf):
        raise _too_deep(limits.max_depth)
    if pages == 0:
        raise _unreadable("no pages")
    if pages > limits.max_pages:
        raise PdfTooManyPages(
            f"Tệp PDF có quá nhiều trang ({pages:,}; tối đa {limits.max_pages:,}) nên không được tiếp nhận.",
            f"The PDF has {pages} pages, over {limits.max_pages}.",
            details={"pages": pages, "max_pages": limits.max_pages},
        )
    return PdfFacts(pages, len(xref), deepest, total, largest, size)
