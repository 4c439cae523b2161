"""A hub process over real HTTP, driven by the spec-written client (:mod:`testkit.vdxp_client`)
through every operation, as a vendor's eOffice would: one client object per agency, its
headers accumulating, ``Expect: 100-continue`` answered, idle connections closed."""

from __future__ import annotations

import base64
import json
import socket
import time
import urllib.parse
from datetime import UTC, datetime

import pytest

from testkit import hub as testing
from testkit.vdxp_client import VdxpClient, signed_headers

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]

pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    from vanban.signing import TestPKI

    d = tmp_path_factory.mktemp("vdxp-pki")
    ca = TestPKI.create(d / "ca", now=datetime(2025, 6, 1, tzinfo=UTC))
    certs = {code: ca.issue_agency(code, name, "ec-p256", years=20) for code, name in AGENCIES}
    return {"root": d / "ca" / "root.pem", "certs": certs}


@pytest.fixture(scope="module")
def hub(tmp_path_factory, pki):
    """One hub for the module (its tests run in file order; the last restarts it as a sandbox):
    systems for both agencies and the vendor's test system."""
    node = testing.Node(
        "hub",
        tmp_path_factory.mktemp("vdxp-hub"),
        "hub",
        {"VANBAN_TRUST_ROOTS": str(pki["root"]), "VANBAN_HTTP_IDLE_SECONDS": "2", "VANBAN_HUB_CACHE_SECONDS": "0"},
    )
    try:
        testing.prepare(node, AGENCIES)
        node.systems = {SNV: _issue(node, SNV), SKHCN: _issue(node, SKHCN)}
        _issue(node, SNV, extra=("--sandbox", "--systemid", "test.system.01", "--secret", "test-secret-not-real"))
        node.start()
        yield node
    finally:
        node.close()


def _issue(hub, *codes: str, extra=()) -> dict:
    return json.loads(hub.cli("hub", "systems", "issue", *codes, "--json", *extra).strip().splitlines()[-1])


def _raw_request(url: str, headers: list[tuple[str, str]], path: str, body: bytes) -> socket.socket:
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    head = [f"POST {path} HTTP/1.1", f"Host: {parts.hostname}", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in headers] + ["Expect: 100-continue", "Connection: Keep-Alive", "", ""]
    sock.sendall("\r\n".join(head).encode("latin-1"))
    return sock


def _read_answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")).split(b":")[1])
    while len(body) < length:
        body += sock.recv(65536)
    return body


def test_every_operation_over_http_between_two_vendor_systems(hub, pki):
    snv_id, skhcn_id = hub.systems[SNV], hub.systems[SKHCN]
    endpoint = hub.url + "vdxp"
    snv = VdxpClient(endpoint, snv_id["systemid"], snv_id["secret"], accumulate=True)
    skhcn = VdxpClient(endpoint, skhcn_id["systemid"], skhcn_id["secret"], accumulate=True)

    assert {r["code"] for r in snv.get_agencies_list()["data"]} == {SNV, SKHCN}
    assert {r["code"] for r in snv.get_agencies_list_qd20("2")["data"]} == {SNV, SKHCN}
    assert len(snv.get_synchronize_unit()["data"]) == 2

    env = testing.envelope(SNV, [SKHCN], 1)
    data = testing.signed(env, pki["certs"][SNV])
    sent = snv.send_edoc(SNV, data)
    assert sent["status"] == "OK", sent
    doc_id = sent["DocId"]

    assert skhcn.count_edoc()["count"] == 1
    assert [r["docId"] for r in skhcn.received()["data"]] == [doc_id]
    fetched = base64.b64decode(skhcn.get_edoc(doc_id)["data"])
    assert b"<edXML:OrganId>hub</edXML:OrganId>" in fetched  # the hub's TraceHeader, code "hub"
    download = skhcn.download(doc_id)
    assert download.status == 200 and download.body.startswith(b"<?xml")
    assert skhcn.update_status(doc_id, "done", name="docid")["status"] == "OK"
    assert skhcn.received()["data"] == []

    status = testing.signed(testing.status(SKHCN, SNV, env.document_id, "03"), pki["certs"][SKHCN])
    assert skhcn.send_edoc(SKHCN, status, "status")["status"] == "OK"
    assert snv.count_status()["count"] == 1
    (row,) = snv.received("status")["data"]
    assert row["messageType"] == "status" and row["from"] == SKHCN
    assert snv.update_status(row["docId"], "done")["status"] == "OK"

    (sent_row,) = snv.sent("edoc", doc_id)["data"]
    assert (sent_row["toCode"], sent_row["sendStatus"], sent_row["receiveStatus"]) == (SKHCN, "sent", "done")
    assert sent_row["title"] == env.subject
    assert skhcn.register_agency(SKHCN, "000.01.03.H99", "Phòng Kế hoạch")["status"] == "OK"
    assert skhcn.delete_agency("000.01.03.H99")["status"] == "OK"


def test_expect_100_continue_is_answered_and_idle_connections_are_closed(hub):
    system = hub.systems[SKHCN]
    headers = signed_headers(system["systemid"], system["secret"], [], "01012026T000000+0001", "application/json")
    sock = _raw_request(hub.url, [("Content-Type", "application/json"), *headers], "/vdxp/countReceiveEdoc", b"{}")
    assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue")  # before the body is sent
    sock.sendall(b"{}")
    assert json.loads(_read_answer(sock))["count"] == 0
    started = time.monotonic()
    sock.settimeout(20)
    assert sock.recv(100) == b""  # the server closed the idle connection
    assert time.monotonic() - started < 15
    sock.close()


def test_a_sandbox_system_is_refused_by_a_hub_without_the_sandbox(hub):
    sandbox = VdxpClient(hub.url + "vdxp", "test.system.01", "test-secret-not-real")
    assert sandbox.get_agencies_list()["ErrorCode"] == "104"


def test_a_system_revoked_on_the_command_line_is_refused(hub):
    system = hub.systems[SNV]
    client = VdxpClient(hub.url + "vdxp", system["systemid"], system["secret"])
    assert client.count_edoc()["status"] == "OK"
    hub.cli("hub", "systems", "revoke", system["systemid"])
    assert client.count_edoc()["ErrorCode"] == "105"


def test_the_sandbox_accepts_the_vendor_test_secret_and_reports_what_it_saw(hub, pki):
    hub.stop()
    hub.start(args=("--sandbox",))
    client = VdxpClient(hub.url + "vdxp", "test.system.01", "test-secret-not-real", timestamp="23112026T051806+0144")
    assert client.get_agencies_list()["status"] == "OK"
    unknown = testing.signed(testing.envelope(SNV, ["000.00.77.H99"], 99), pki["certs"][SNV])
    assert client.send_edoc(SNV, unknown)["ErrorCode"] == "304"
    wrong = VdxpClient(hub.url + "vdxp", "test.system.01", "wrong-secret")
    assert wrong.count_edoc()["ErrorCode"] == "103"

    report = json.loads(hub.cli("hub", "conformance", "report", "test.system.01", "--json"))
    ops = [(r["operation"], r["error"]) for r in report["requests"]]
    assert ops == [("getAgenciesList", "ok"), ("sendEdoc", "unknown_recipient"), ("countReceiveEdoc", "bad_hmac")]
    assert "stale_timestamp" in report["requests"][0]["notes"]
    text = hub.cli("hub", "conformance", "report", "test.system.01")
    assert "Timestamp cũ hơn 5 phút" in text and "mã lỗi 103" in text and "Tổng cộng: 1 chấp nhận, 2 từ chối." in text
