"""The recorded capture of the vendor library (every operation, stale timestamps, the CRLF
after the body, unpadded hashes) replayed byte for byte against the hub, with the capture's
system id and secret registered as a sandbox system: each request is accepted or refused as
the spec implies, and the sandbox records what it tolerated."""

from __future__ import annotations

import json

import pytest

from vanban.exchange.models import ConformanceRecord

from .conftest import assert_nothing_stored

SKIP = {"host", "content-length", "connection", "accept-encoding", "expect", "cache-control", "pragma", "accept"}

# operation -> (status, ErrorCode): what the spec implies for the captured request on a hub
# where test.system.01 is bound to the two senders of the capture and nothing was sent yet
EXPECTED = {
    "getAgenciesList": ("OK", "0"),
    "getAgenciesListQD20": ("OK", "0"),
    "getSynchronizeUnit": ("OK", "0"),
    "registerAgency": ("FAIL", "110"),  # pcode 00.22.W00 is not one of the system's agencies
    "deleteAgency": ("FAIL", "110"),  # 99.99.99.G21 is not one of the system's agencies
    "getReceivedEdocList": ("OK", "0"),
    "getSentEdocList": ("OK", "0"),
    "getEdoc": ("FAIL", "306"),  # no such docId here
    "updateStatus": ("FAIL", "306"),
    "countReceiveEdoc": ("OK", "0"),
    "countReceiveStatus": ("OK", "0"),
}


@pytest.fixture
def capture(interop):
    path = interop / "vdxp-samples" / "captured" / "sdk-2.0.1-wire-capture.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def test_system(vdxp, settings):
    from vanban.directory import services
    from vanban.directory.models import Level
    from vanban.exchange.vdxp.systems import issue_system

    settings.VANBAN_HUB_SANDBOX = "1"
    level = Level.objects.get(code="trung-uong")
    for code in ("000.00.00.G22", "000.00.00.H41"):
        services.create_agency(None, code=code, name=f"Cơ quan {code}", level=level)
    issue_system(
        None,
        ["000.00.00.G22", "000.00.00.H41"],
        systemid="test.system.01",
        secret="test-secret-not-real",
        sandbox=True,
    )
    return vdxp


def _body(interop, request) -> bytes:
    if request["body_len"] == len(request["body_head"].encode()):
        return request["body_head"].encode()
    name = "edoc.edxml" if b'"edoc"' in json.dumps(request["headers"]).encode() else "status.edxml"
    data = (interop / "vdxp-samples" / "API-Gateway-iOffice" / "resources" / name).read_bytes() + b"\r\n"
    assert len(data) == request["body_len"]
    return data


def _replay(test_system, interop, request):
    headers = [(k, v) for k, v in request["headers"] if k.lower() not in SKIP]
    name = request["path"].strip("/")
    return test_system.raw(name, headers, _body(interop, request), request["method"])


def test_every_list_and_agency_call_answers_as_the_spec_implies(test_system, interop, capture):
    got = {}
    for request in capture:
        name = request["path"].strip("/")
        if name in EXPECTED:
            answer = _replay(test_system, interop, request).json()
            got[name] = (answer["status"], answer["ErrorCode"])
    assert got == EXPECTED


def test_the_captured_download_of_an_unknown_document_is_an_empty_404(test_system, interop, capture):
    request = next(r for r in capture if r["path"] == "/downloadEdoc")
    answer = _replay(test_system, interop, request)
    assert (answer.status, answer.body) == (404, b"")


def test_the_captured_documents_pass_the_protocol_and_are_refused_for_their_content(test_system, interop, capture):
    sends = [r for r in capture if r["path"] == "/sendEdoc"]
    answers = [_replay(test_system, interop, r).json() for r in sends]
    # the vendor's example envelope: its attachment is a JMeter placeholder, not base64;
    # the status message is not signed by a certificate this hub trusts
    assert [(a["status"], a["ErrorCode"], a["DocId"]) for a in answers] == [("FAIL", "301", ""), ("FAIL", "302", "")]
    assert_nothing_stored()


def test_the_sandbox_records_the_stale_timestamps_and_the_edxml_rules_broken(test_system, interop, capture):
    for request in capture:
        _replay(test_system, interop, request)
    records = list(ConformanceRecord.objects.filter(systemid="test.system.01"))
    assert len(records) == 14
    assert all("stale_timestamp" in r.notes for r in records)
    send = [r for r in records if r.operation == "sendEdoc"]
    assert all({"crlf_after_body", "unpadded_hash"} <= set(r.notes) for r in send)
    assert send[0].problems and all(p["rule"] for p in send[0].problems)


def test_the_sandbox_records_the_edxml_rules_even_when_the_hmac_fails(test_system, interop, capture):
    request = next(r for r in capture if r["path"] == "/sendEdoc")
    headers = [(k, v) for k, v in request["headers"] if k.lower() not in SKIP and k != "XroadVnpt-hash-header"]
    headers.append(("XroadVnpt-hash-header", "0" * 64))
    answer = test_system.raw("sendEdoc", headers, _body(interop, request)).json()
    assert answer["ErrorCode"] == "103"
    (record,) = ConformanceRecord.objects.filter(operation="sendEdoc")
    assert record.error_name == "bad_hmac" and "attachment-base64" in {p["rule"] for p in record.problems}
