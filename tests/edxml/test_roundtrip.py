"""build() writes the canonical form; parse(build(x)) == x for every field."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from lxml import etree

from vanban.edxml import (
    EDXML_NS,
    DigestMismatchError,
    Envelope,
    StatusCode,
    StatusMessage,
    build,
    parse,
    validate,
)

from .conftest import make_envelope, make_status
from .strategies import envelopes, statuses


def test_envelope_round_trip(envelope: Envelope) -> None:
    assert parse(build(envelope)) == envelope


def test_status_round_trip_for_every_code() -> None:
    for code in StatusCode:
        msg = make_status(code)
        assert parse(build(msg)) == msg


def test_canonical_form_is_as_the_standard_spells_it(envelope: Envelope) -> None:
    data = build(envelope)
    root = etree.fromstring(data)
    assert root.tag == f"{{{EDXML_NS}}}edXML" and root.prefix is None
    env = root[0]
    assert env.prefix == "edXML" and etree.QName(env).localname == "edXMLEnvelope"
    text = data.decode()
    assert "<edXML:Bussiness>" in text and "<edXML:BussinessDocType>0<" in text
    assert "<edXML:PromulgationDate>2025/09/30<" in text
    assert "<edXML:Timestamp>2025/09/30 10:15:00<" in text
    assert "<edXML:ContentId>cid:7816.pdf<" in text
    # AttachmentEncoded is outside the envelope, a sibling of it
    assert etree.QName(root[1]).localname == "AttachmentEncoded"
    assert all(el.prefix == "edXML" for el in env.iter() if isinstance(el.tag, str))


def test_our_output_is_valid(envelope: Envelope, status: StatusMessage) -> None:
    today = dt.date(2026, 1, 1)
    assert validate(build(envelope), today=today) == []
    assert validate(build(status), today=today) == []


def test_without_digests_round_trips_too(envelope: Envelope) -> None:
    data = build(envelope, digests=False)
    assert b"vb:sha256" not in data
    assert parse(data) == envelope


def test_changed_attachment_fails_its_digest(envelope: Envelope) -> None:
    data = build(envelope)
    pos = data.index(b"ContentTransferEncoded") + 80
    flipped = data[:pos] + (b"B" if data[pos : pos + 1] != b"B" else b"C") + data[pos + 1 :]
    try:
        parse(flipped)
    except DigestMismatchError as exc:
        assert exc.code == "digest-mismatch" and "Attachment" in (exc.location or "")
    else:  # pragma: no cover
        raise AssertionError("digest mismatch not detected")
    assert "digest-mismatch" in {p.code for p in validate(flipped)}


def test_reader_tolerates_quirks() -> None:
    env = make_envelope()
    text = build(env, digests=False).decode()
    quirky = (
        text.replace("edXML:", "x:")
        .replace('xmlns:edXML="', 'xmlns:x="')
        .replace("Bussiness", "Business")
        .replace("<ContentId>cid:", "<ContentId>")
    )
    got = parse(quirky.encode())
    assert got == env
    assert "alternate-spelling" in {n.code for n in got.notes}


def test_status_code_written_as_integer_is_normalised() -> None:
    data = build(make_status(StatusCode.RECEIVED)).replace(b">01<", b">1<")
    msg = parse(data)
    assert isinstance(msg, StatusMessage) and msg.status_code == "01"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(envelopes)
def test_property_envelope_round_trip(env: Envelope) -> None:
    assert parse(build(env)) == env


@settings(max_examples=60, deadline=None)
@given(statuses)
def test_property_status_round_trip(msg: StatusMessage) -> None:
    assert parse(build(msg)) == msg
