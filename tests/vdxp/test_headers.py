"""Signed headers: the vendor client's form, verified over the sign-header exactly as received."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from vanban.vdxp import VdxpError, format_timestamp, parse_timestamp, read_signed_headers, sign_headers, verify_headers

SECRET = "test-secret-not-real"


def _capture(interop):
    path = interop / "vdxp-samples" / "captured" / "sdk-2.0.1-wire-capture.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_captured_request_verifies_with_the_capture_secret(interop):
    verified = [verify_headers(r["headers"], SECRET).systemid for r in _capture(interop)]
    assert verified == ["test.system.01"] * 14


def test_headers_built_here_are_the_ones_the_vendor_client_sent(interop):
    sent = next(r for r in _capture(interop) if r["path"] == "/getAgenciesListQD20")
    got = dict(sign_headers("test.system.01", SECRET, {"level": "1"}, timestamp="23112026T051807+0213"))
    assert got["XroadVnpt-hash-header"] == dict(sent["headers"])["XroadVnpt-hash-header"]
    assert got["XroadVnpt-sign-header-key"] == "systemid;level;timestamp;Content-Type"


def test_a_wrong_secret_is_refused_as_bad_hmac():
    headers = sign_headers("sys.a", "right", {"docId": "abc"})
    with pytest.raises(VdxpError) as caught:
        verify_headers(headers, "wrong")
    assert (caught.value.error_code, caught.value.code) == ("103", "bad_hmac")


def test_the_hmac_covers_the_sign_header_as_received_whatever_its_key_order():
    sign = json.dumps({"XroadVnpt-timestamp": "01012026T000000+0001", "XroadVnpt-systemid": "s"})
    from vanban.vdxp import hmac_hex

    headers = [
        ("XroadVnpt-systemid", "s"),
        ("XroadVnpt-timestamp", "01012026T000000+0001"),
        ("XroadVnpt-sign-header", sign),
        ("XroadVnpt-hash-header", hmac_hex("k", sign)),
    ]
    assert verify_headers(headers, "k").params == {"timestamp": "01012026T000000+0001", "systemid": "s"}


def test_a_header_changed_after_signing_is_refused_as_a_mismatch():
    headers = [
        (k, "000.00.00.X99" if k == "XroadVnpt-from" else v)
        for k, v in sign_headers("s", "k", {"from": "000.00.00.G22"})
    ]
    with pytest.raises(VdxpError) as caught:
        verify_headers(headers, "k")
    assert caught.value.code == "header_mismatch"


def test_header_names_are_read_in_any_letter_case_and_wsgi_spelling():
    headers = [(k.upper().replace("-", "_"), v) for k, v in sign_headers("s", "k", {"docid": "D-1"})]
    signed = verify_headers(headers, "k")
    assert signed.get("docId") == "D-1"
    assert "header_case" in signed.notes


def test_a_non_ascii_value_has_its_own_error_not_a_signature_failure():
    headers = sign_headers("s", "k", {"description": "Đã xử lý"})
    sent = [(k, v.encode("utf-8").decode("latin-1")[: len(v)]) for k, v in headers]  # one byte per char
    with pytest.raises(VdxpError) as caught:
        verify_headers(sent, "k")
    assert caught.value.code == "non_ascii_header"


def test_a_missing_hash_header_is_refused_as_missing():
    headers = [(k, v) for k, v in sign_headers("s", "k") if k != "XroadVnpt-hash-header"]
    with pytest.raises(VdxpError) as caught:
        read_signed_headers(headers)
    assert caught.value.code == "missing_header"


def test_an_unsigned_header_is_never_a_parameter():
    headers = [*sign_headers("s", "k", {"from": "A"}), ("XroadVnpt-to", "B")]
    signed = verify_headers(headers, "k")
    assert (signed.get("to"), "unsigned_header" in signed.notes) == ("", True)


def test_accumulated_parameters_are_those_the_operation_does_not_take():
    signed = verify_headers(sign_headers("s", "k", {"level": "1", "filePath": "/tmp", "docId": "x"}), "k")
    assert signed.extra_params(("docId",)) == ["level", "filePath"]


def test_the_timestamp_digits_after_plus_are_milliseconds():
    moment = datetime(2026, 11, 23, 5, 18, 7, 213000)
    assert format_timestamp(moment) == "23112026T051807+0213"
    assert parse_timestamp("23112026T051807+0213") == moment


def test_a_stale_timestamp_is_noted_not_refused():
    signed = verify_headers(sign_headers("s", "k", timestamp="23112026T051807+0213"), "k")
    signed.note_timestamp(datetime(2026, 11, 23, 9, 0, 0))
    assert signed.notes == ["stale_timestamp"]
