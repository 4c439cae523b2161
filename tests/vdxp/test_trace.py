"""The hub's appended TraceHeader: added last in the list, and removable to the signed bytes."""

from __future__ import annotations

from datetime import datetime

from vanban.vdxp import append_trace, strip_appended_trace

ENVELOPE = (
    b'<edXML:edXMLEnvelope xmlns:edXML="urn:x"><edXML:TraceHeaderList>\r\n  <edXML:TraceHeader>'
    b"<edXML:OrganId>000.00.00.G22</edXML:OrganId></edXML:TraceHeader>\r\n</edXML:TraceHeaderList>"
    b"</edXML:edXMLEnvelope>"
)


def test_the_hub_trace_header_comes_last_with_its_code_and_time():
    out = append_trace(ENVELOPE, "truc-tinh", datetime(2026, 12, 2, 8, 30, 5))
    added = (
        b"<edXML:TraceHeader><edXML:OrganId>truc-tinh</edXML:OrganId>"
        b"<edXML:Timestamp>2026/12/02 08:30:05</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>"
    )
    assert added in out and out.replace(added, b"</edXML:TraceHeaderList>") == ENVELOPE


def test_stripping_gives_back_the_bytes_as_signed():
    out = append_trace(ENVELOPE, "truc-tinh", datetime(2026, 12, 2, 8, 30, 5))
    assert strip_appended_trace(out) == ENVELOPE


def test_a_sender_trace_header_is_never_stripped():
    assert strip_appended_trace(ENVELOPE) == ENVELOPE


def test_a_status_message_without_a_trace_list_is_unchanged():
    status = b"<edXML><edXML:MessageHeader/></edXML>"
    assert append_trace(status, "truc-tinh", datetime(2026, 1, 1)) == status


def test_the_last_list_is_the_one_found_whatever_else_names_it():
    """Found from the end: a later element whose name only begins like the list's, and an
    unprefixed list, do not mislead it."""
    plain = b"<e><TraceHeaderList><TraceHeader/></TraceHeaderList><TraceHeaderListNote>x</TraceHeaderListNote></e>"
    out = append_trace(plain, "hub", datetime(2026, 12, 3, 9, 0, 0))
    assert out == plain.replace(
        b"</TraceHeaderList>",
        b"<TraceHeader><OrganId>hub</OrganId><Timestamp>2026/12/03 09:00:00</Timestamp></TraceHeader>"
        b"</TraceHeaderList>",
        1,
    )
    assert strip_appended_trace(out) == plain
    spaced = ENVELOPE.replace(b"</edXML:TraceHeaderList>", b"</edXML:TraceHeaderList  >")
    assert strip_appended_trace(append_trace(spaced, "hub", datetime(2026, 12, 3))) == spaced
