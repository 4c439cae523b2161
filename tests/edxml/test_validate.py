"""validate(): XSD plus semantic checks, each problem with a path and messages in vi and en."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vanban.edxml import Severity, build, validate

from .conftest import make_envelope, make_status

TODAY = dt.date(2026, 1, 1)


def codes(data: bytes) -> set[str]:
    return {p.code for p in validate(data, today=TODAY)}


def test_bad_identifier_code_is_reported_with_its_path() -> None:
    env = make_envelope()
    env.recipients[0].organ_id = "001.00.05.H41"
    problems = validate(build(env), today=TODAY)
    p = next(p for p in problems if p.code == "organ-id-contiguity")
    assert p.location.endswith("/To[1]/OrganId") and p.severity is Severity.ERROR
    assert "liền cấp" in p.message_vi and "skips a level" in p.message_en


def test_future_promulgation_date() -> None:
    env = make_envelope()
    assert env.promulgation_info is not None
    env.promulgation_info.promulgation_date = dt.date(2030, 1, 1)
    env.due_date = dt.date(2030, 2, 1)
    assert "date-in-future" in codes(build(env))


def test_unknown_status_code() -> None:
    msg = make_status()
    msg.status_code = "07"
    assert {"status-code", "xsd"} <= codes(build(msg))


def test_missing_required_fields() -> None:
    env = make_envelope()
    env.subject = None
    env.recipients = []
    env.trace_headers = []
    found = codes(build(env))
    assert {"missing-subject", "missing-recipient", "missing-trace-header", "xsd"} <= found


def test_duplicate_recipient() -> None:
    env = make_envelope()
    env.recipients.append(env.recipients[0])
    assert "duplicate-recipient" in codes(build(env))


def test_impossible_date_in_sample_document_id_is_a_warning(interop: Path) -> None:
    data = (interop / "edxml-samples/truclienthong-example/edoc_update.edxml").read_bytes()
    problems = validate(data, today=TODAY)
    p = next(p for p in problems if p.code == "document-id-date")
    assert p.severity is Severity.WARNING and "2014/02/30" in p.message_vi


def test_quirks_are_warnings_not_errors(interop: Path) -> None:
    data = (interop / "edxml-samples/truclienthong-example/edoc_update.edxml").read_bytes()
    problems = validate(data, today=TODAY)
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert "signature-namespace" in {p.code for p in problems}


def test_bad_base64_and_missing_attachment_are_errors(interop: Path) -> None:
    data = (interop / "vdxp-samples/API-Gateway-iOffice/resources/edoc.edxml").read_bytes()
    problems = validate(data, today=TODAY)
    assert any(p.code == "attachment-base64" and p.severity is Severity.ERROR for p in problems)


def test_xsd_problem_has_element_path_and_line() -> None:
    env = make_envelope()
    assert env.code is not None
    env.code.code_notation = "X" * 40
    p = next(p for p in validate(build(env), today=TODAY) if p.code == "xsd")
    assert p.location.startswith("/edXML/") and "CodeNotation" in p.location and p.line
    assert "dài quá" in p.message_vi
