"""The ``TraceHeader`` a hub appends to a document it hands out through this protocol.

The national hub returns every fetched envelope with one more ``TraceHeader`` (its own code,
or only a timestamp) at the end of ``TraceHeaderList``. The sender's XML signature covers the
whole document, so after that it no longer verifies as received; :func:`strip_appended_trace`
removes exactly what :func:`append_trace` added, so a receiver can check the signature of
the document as it was signed. Bytes are edited in place (no re-serialisation): everything
else stays as the sender wrote it.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.sax.saxutils import escape

__all__ = ["append_trace", "strip_appended_trace"]

_CLOSE = re.compile(rb"</((?:[A-Za-z_][\w.-]*:)?)TraceHeaderList\s*>")


def _last_close(data: bytes) -> re.Match[bytes] | None:
    """The last ``</TraceHeaderList>`` (any prefix). Searched from the end with ``rfind``:
    the list is in the header, before the attachments' base64 (the bulk of a document), which
    a scan from the start with the pattern would read whole (about three times slower)."""
    end = len(data)
    while (name := data.rfind(b"TraceHeaderList", 0, end)) >= 0:
        start = data.rfind(b"</", 0, name)  # a prefix holds neither '<' nor '/'
        if start >= 0:
            found = _CLOSE.match(data, start)
            if found is not None and found.start(0) == start and start + 2 + len(found.group(1)) == name:
                return found
        end = name
    return None


def append_trace(data: bytes, organ_id: str, moment: datetime) -> bytes:
    """``data`` with ``<TraceHeader><OrganId/><Timestamp/></TraceHeader>`` added last in
    ``TraceHeaderList`` (same prefix); unchanged when there is none (a status message)."""
    close = _last_close(data)
    if close is None:
        return data
    p = close.group(1).decode("ascii")
    stamp = moment.strftime("%Y/%m/%d %H:%M:%S")
    organ = f"<{p}OrganId>{escape(organ_id)}</{p}OrganId>" if organ_id else ""
    header = f"<{p}TraceHeader>{organ}<{p}Timestamp>{stamp}</{p}Timestamp></{p}TraceHeader>".encode()
    return data[: close.start()] + header + data[close.start() :]


def strip_appended_trace(data: bytes) -> bytes:
    """``data`` without the ``TraceHeader`` :func:`append_trace` added (in exactly that
    compact form, last in the list); unchanged when there is none."""
    close = _last_close(data)
    if close is None:
        return data
    p = re.escape(close.group(1))
    pattern = (
        rb"<"
        + p
        + rb"TraceHeader>(?:<"
        + p
        + rb"OrganId>[^<]*</"
        + p
        + rb"OrganId>)?<"
        + p
        + rb"Timestamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}</"
        + p
        + rb"Timestamp></"
        + p
        + rb"TraceHeader>$"
    )
    head = data[: close.start()]
    m = re.search(pattern, head)
    return data if m is None else head[: m.start()] + data[close.start() :]
