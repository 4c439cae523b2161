"""Every refusal of the protocol answers the envelope with our error code (and a DocId on
sendEdoc) and stores nothing: no package row, no file, no audit event."""

from __future__ import annotations

import json

import pytest

from testkit.vdxp_client import unpadded_sha256
from vanban.exchange.models import ConformanceRecord

from .conftest import SKHCN, SNV, XA, assert_nothing_stored


def _send_params(data: bytes, sender: str = SNV, **extra) -> dict:
    return {"servicetype": "eDoc", "messagetype": "edoc", "hash-file": unpadded_sha256(data), "from": sender, **extra}


def _refused(answer, code: str) -> dict:
    body = answer.json()
    assert (body["status"], body["ErrorCode"], body["DocId"]) == ("FAIL", code, ""), body
    assert body["ErrorDesc"]
    answer.body.decode("ascii")  # Vietnamese descriptions escaped
    assert_nothing_stored()
    assert not ConformanceRecord.objects.exists()  # not a sandbox: nothing recorded either
    return body


def test_a_tampered_sign_header_is_refused_as_bad_hmac(vdxp):
    data = vdxp.envelope(1)
    headers = vdxp.headers(vdxp.ids["snv"], _send_params(data), send=True)
    tampered = [(k, v.replace('"eDoc"', '"EDOC"') if k == "XroadVnpt-sign-header" else v) for k, v in headers]
    tampered = [(k, "EDOC" if k == "XroadVnpt-servicetype" else v) for k, v in tampered]
    _refused(vdxp.raw("sendEdoc", tampered, data + b"\r\n"), "103")


def test_a_header_changed_after_signing_is_refused(vdxp):
    data = vdxp.envelope(1)
    headers = vdxp.headers(vdxp.ids["snv"], _send_params(data), send=True)
    changed = [(k, XA if k == "XroadVnpt-from" else v) for k, v in headers]
    _refused(vdxp.raw("sendEdoc", changed, data + b"\r\n"), "106")


def test_a_wrong_secret_is_refused_as_bad_hmac(vdxp):
    data = vdxp.envelope(1)
    headers = vdxp.headers(vdxp.ids["snv"], _send_params(data), secret="not-the-secret", send=True)
    _refused(vdxp.raw("sendEdoc", headers, data + b"\r\n"), "103")


def test_an_unknown_system_id_is_refused(vdxp):
    data = vdxp.envelope(1)
    headers = vdxp.headers("nobody.01", _send_params(data), secret="whatever", send=True)
    _refused(vdxp.raw("sendEdoc", headers, data + b"\r\n"), "104")


def test_a_revoked_system_id_is_refused(vdxp):
    from vanban.exchange.vdxp.systems import revoke_system

    revoke_system(None, vdxp.ids["snv"])
    data = vdxp.envelope(1)
    _refused(vdxp.call(vdxp.ids["snv"], "sendEdoc", _send_params(data), data + b"\r\n"), "105")


def test_a_body_whose_hash_file_does_not_match_is_refused(vdxp):
    data = vdxp.envelope(1)
    params = _send_params(data, **{"hash-file": unpadded_sha256(data + b" ")})
    _refused(vdxp.call(vdxp.ids["snv"], "sendEdoc", params, data + b"\r\n"), "205")


def test_a_sender_code_the_system_is_not_bound_to_is_refused(vdxp):
    data = vdxp.envelope(1, sender=SKHCN, to=(SNV,))  # validly signed by Sở KH&CN
    _refused(vdxp.call(vdxp.ids["snv"], "sendEdoc", _send_params(data, SKHCN), data + b"\r\n"), "109")


def test_a_package_of_another_agency_sent_as_ours_is_refused(vdxp):
    data = vdxp.envelope(1, sender=SKHCN, to=(SNV,))
    # the system of Sở Nội vụ names itself as sender but the package is Sở KH&CN's
    _refused(vdxp.call(vdxp.ids["snv"], "sendEdoc", _send_params(data, SNV), data + b"\r\n"), "305")


def test_an_unknown_recipient_is_refused(vdxp):
    data = vdxp.envelope(1, to=(SKHCN, "000.00.77.H99"))
    _refused(vdxp.call(vdxp.ids["snv"], "sendEdoc", _send_params(data), data + b"\r\n"), "304")


def test_an_unsigned_package_is_refused_for_its_signature(vdxp):
    from testkit import hub as testing
    from vanban.edxml import build

    data = build(testing.envelope(SNV, [SKHCN], 1))
    _refused(vdxp.call(vdxp.ids["snv"], "sendEdoc", _send_params(data), data + b"\r\n"), "302")


def test_a_vietnamese_header_value_has_its_own_error(vdxp):
    # what the vendor client sends for description="Đã xử lý": one byte per character
    headers = vdxp.headers(vdxp.ids["skhcn"], {"docId": "x", "status": "done", "description": "Đã xử lý"})
    sent = [(k, "".join(chr(ord(c) & 0xFF) for c in v)) for k, v in headers]
    body = vdxp.raw("updateStatus", sent, b"{}").json()
    assert (body["status"], body["ErrorCode"]) == ("FAIL", "107")
    assert "ASCII" in body["ErrorDesc"]


@pytest.mark.parametrize("missing", ["XroadVnpt-hash-header", "XroadVnpt-sign-header", "XroadVnpt-systemid"])
def test_a_request_without_its_signature_headers_is_refused(vdxp, missing):
    headers = [(k, v) for k, v in vdxp.headers(vdxp.ids["skhcn"]) if k != missing]
    body = vdxp.raw("getAgenciesList", headers).json()
    assert (body["status"], body["ErrorCode"]) == ("FAIL", "101")


def test_an_unknown_operation_answers_the_envelope(vdxp):
    body = vdxp.call(vdxp.ids["skhcn"], "getEverything").json()
    assert (body["status"], body["ErrorCode"]) == ("FAIL", "201")


def test_a_download_error_is_an_empty_body_with_a_4xx(vdxp):
    answer = vdxp.call(vdxp.ids["skhcn"], "downloadEdoc", {"docId": "0" * 8}, method="GET")
    assert (answer.status, answer.body) == (404, b"")
    headers = vdxp.headers(vdxp.ids["skhcn"], {"docId": "x"}, secret="wrong")
    answer = vdxp.raw("downloadEdoc", headers, method="GET")
    assert (answer.status, answer.body) == (401, b"")


def test_answers_carry_no_null(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    raw = vdxp.call(vdxp.ids["snv"], "getSentEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}).body
    assert b"null" not in raw and json.loads(raw)["data"][0]["senderDocId"] == sent["DocId"]
    assert json.loads(raw)["data"][0]["receivedTime"] == ""
