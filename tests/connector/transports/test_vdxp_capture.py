"""The VDXP transport's requests against what the vendor's client (SDKVXP 2.0.1) put on the
wire, from the recorded capture (``vdxp-samples/captured/sdk-2.0.1-wire-capture.jsonl``:
system id ``test.system.01``, secret ``test-secret-not-real``): given the same timestamp
and the same document, this transport sends the same signed headers, so the HMAC a hub
checks is the one the vendor's client would have produced, and the same body."""

from __future__ import annotations

import json

import pytest

from vanban.connector.transports import VdxpTransport
from vanban.vdxp import verify_headers

SYSTEM, SECRET = "test.system.01", "test-secret-not-real"
RESOURCES = ("vdxp-samples", "API-Gateway-iOffice", "resources")


def _captured(interop, path: str, messagetype: str = "") -> dict:
    lines = (interop / "vdxp-samples" / "captured" / "sdk-2.0.1-wire-capture.jsonl").read_text(encoding="utf-8")
    for line in lines.splitlines():
        row = json.loads(line)
        headers = dict(row["headers"])
        if row["path"] == path and headers.get("XroadVnpt-messagetype", messagetype) == messagetype:
            row["signed"] = [(k, v) for k, v in row["headers"] if k.startswith("XroadVnpt-") or k == "Content-Type"]
            row["headers"] = headers
            return row
    raise AssertionError(f"{path} {messagetype} not in the capture")


def _signed(prepared) -> list[tuple[str, str]]:
    return [(k, v) for k, v in prepared.headers if k.startswith("XroadVnpt-") or k == "Content-Type"]


@pytest.mark.parametrize(
    "messagetype, sample, sender",
    [("edoc", "edoc.edxml", "000.00.00.G22"), ("status", "status.edxml", "000.00.00.H41")],
)
def test_sending_a_document_or_status_signs_the_headers_the_vendor_client_sent(interop, messagetype, sample, sender):
    sent = _captured(interop, "/sendEdoc", messagetype)
    data = interop.joinpath(*RESOURCES, sample).read_bytes()
    transport = VdxpTransport("http://truc.example/vdxp", SYSTEM, SECRET, sender)

    prepared = transport.prepare_send(messagetype, data, timestamp=sent["headers"]["XroadVnpt-timestamp"])

    assert sorted(_signed(prepared)) == sorted(sent["signed"])
    assert dict(prepared.headers)["XroadVnpt-hash-header"] == sent["headers"]["XroadVnpt-hash-header"]
    assert prepared.method == sent["method"] and prepared.url == "http://truc.example/vdxp" + sent["path"]


@pytest.mark.parametrize("messagetype, sample", [("edoc", "edoc.edxml"), ("status", "status.edxml")])
def test_the_body_sent_is_the_file_and_the_crlf_the_vendor_client_appends(interop, messagetype, sample):
    sent = _captured(interop, "/sendEdoc", messagetype)
    data = interop.joinpath(*RESOURCES, sample).read_bytes()
    prepared = VdxpTransport("http://truc.example/vdxp", SYSTEM, SECRET, "000.00.00.G22").prepare_send(
        messagetype, data
    )

    assert prepared.body == data + b"\r\n"
    assert len(prepared.body) == sent["body_len"] and prepared.body.endswith(sent["body_tail"].encode())


@pytest.mark.parametrize(
    "operation, values",
    [
        ("getReceivedEdocList", {"messagetype": "edoc"}),
        ("getSentEdocList", {"messagetype": "edoc", "docId": "5bebcfeff858e3e0cc154762"}),
    ],
)
def test_list_requests_sign_the_headers_the_vendor_client_sent(interop, operation, values):
    sent = _captured(interop, "/" + operation, values["messagetype"])
    transport = VdxpTransport("http://truc.example/vdxp", SYSTEM, SECRET, "000.00.00.G22")

    prepared = transport.prepare(
        operation, transport.params(operation, values), body=None, timestamp=sent["headers"]["XroadVnpt-timestamp"]
    )

    assert sorted(_signed(prepared)) == sorted(sent["signed"])
    assert prepared.method == sent["method"]


@pytest.mark.parametrize("operation", ["getEdoc", "downloadEdoc", "updateStatus"])
def test_every_request_verifies_with_the_secret_and_carries_no_stale_parameter(operation):
    """Where the vendor's client sends accumulated headers (``filePath`` on getEdoc), this
    transport sends only what the operation takes; the hub verifies what it receives."""
    transport = VdxpTransport("http://truc.example/vdxp", SYSTEM, SECRET, "000.00.00.G22")
    values = {"docId": "665f0c0ffee0000000000001", "status": "done"}

    prepared = transport.prepare(operation, transport.params(operation, values))

    signed = verify_headers(prepared.headers, SECRET)
    assert signed.systemid == SYSTEM and "filePath" not in signed.params
    assert signed.params["docId"] == "665f0c0ffee0000000000001"
