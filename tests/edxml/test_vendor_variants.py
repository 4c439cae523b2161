"""What other vendors' software writes (``edxml.md`` §9), from the interop samples: the reader
reads every variant, and ``validate`` reports each one as a problem naming its rule."""

from __future__ import annotations

import pytest

from vanban.edxml import Envelope, StatusMessage, parse, validate

VDXP = "vdxp-samples/API-Gateway-iOffice"


def _codes(data: bytes) -> dict[str, str]:
    return {p.code: p.location for p in validate(data)}


@pytest.fixture
def status_sample(interop) -> bytes:
    return (interop / VDXP / "resources" / "status.edxml").read_bytes()


def test_a_status_header_named_status_is_read_and_reported(status_sample):
    data = status_sample.replace(b"edXML:MessageHeader>", b"edXML:Status>")
    pkg = parse(data)
    assert isinstance(pkg, StatusMessage) and pkg.status_code == "01"
    assert _codes(data)["status-header-name"] == "/edXML/edXMLEnvelope/edXMLHeader/Status"


def test_an_empty_digital_signature_is_one_problem_not_a_schema_error_too(status_sample):
    data = status_sample.replace(b"</edXML:MessageHeader>", b"</edXML:MessageHeader><edXML:DigitalSignature/>")
    assert isinstance(parse(data), StatusMessage)
    problems = validate(data)
    assert [p.code for p in problems if "DigitalSignature" in p.location] == ["signature-placeholder"]


def test_day_first_dates_and_an_empty_due_date_are_read_and_reported(interop):
    data = (interop / "edxml-samples" / "edoc-integrator" / "edoc_new.edxml").read_bytes()
    pkg = parse(data)
    assert isinstance(pkg, Envelope) and pkg.promulgation_info.promulgation_date.isoformat() == "2020-10-30"
    schema = [p for p in validate(data) if p.code == "xsd" and p.location.endswith("/PromulgationDate")]
    assert schema and r"'\d{4}/\d{2}/\d{2}'" in schema[0].message_vi  # the pattern as the schema writes it


def test_undeclared_prefixes_are_read_and_reported(interop):
    data = (interop / VDXP / "resources" / "edoc.edxml").read_bytes()
    assert isinstance(parse(data), Envelope)
    assert "undeclared-prefix-recovered" in _codes(data)


def test_a_three_part_agency_code_is_read_and_reported(status_sample):
    data = status_sample.replace(b"000.00.00.H41", b"14.00.W00", 1)
    assert parse(data).sender.organ_id == "14.00.W00"
    assert _codes(data)["organ-id-segments"].endswith("/From/OrganId")


def test_extra_children_of_the_root_are_read_and_named_in_the_problem(status_sample):
    extra = b"<Boundary>--MIME</Boundary><ContentId>cid:1</ContentId><ContentType>text/xml</ContentType></edXML>"
    data = status_sample.replace(b"</edXML>", extra)
    assert isinstance(parse(data), StatusMessage)
    locations = {p.location for p in validate(data) if p.code == "xsd"}
    assert "/edXML/Boundary" in locations and not any("*[" in loc for loc in locations)
