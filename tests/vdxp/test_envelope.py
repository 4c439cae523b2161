"""The JSON answer: envelope always present, ASCII only, no nulls, DocId on sendEdoc."""

from __future__ import annotations

import json

import pytest

from vanban.vdxp import VdxpError, decode_answer, encode_answer, error_codes


def test_an_error_answer_is_ascii_with_the_vietnamese_description_escaped():
    raw = encode_answer("getEdoc", error=VdxpError("document_not_found"))
    raw.decode("ascii")
    assert json.loads(raw)["ErrorDesc"].startswith("Không tìm thấy văn bản")
    assert json.loads(raw)["ErrorCode"] == "306"


def test_every_send_answer_carries_a_docid_errors_included():
    assert json.loads(encode_answer("sendEdoc", error=VdxpError("bad_hmac")))["DocId"] == ""
    assert json.loads(encode_answer("sendEdoc", {"DocId": "abc-1"}))["DocId"] == "abc-1"


def test_no_null_reaches_a_list_row():
    raw = encode_answer("getReceivedEdocList", {"data": [{"docId": "a", "to": None}]})
    assert b"null" not in raw
    assert json.loads(raw)["data"] == [{"docId": "a", "to": ""}]


def test_an_answer_without_the_envelope_is_unreadable():
    with pytest.raises(VdxpError) as caught:
        decode_answer(b'{"status": "OK"}')
    assert caught.value.code == "unreadable_answer"


def test_a_failed_answer_raises_its_error():
    answer = decode_answer(encode_answer("getEdoc", error=VdxpError("bad_hmac", "chi tiết")))
    with pytest.raises(VdxpError) as caught:
        answer.raise_for_error()
    assert (answer.ok, caught.value.code) == (False, "bad_hmac")


def test_codes_are_stable_and_unique():
    rows = {row.code: row.name for row in error_codes().values()}
    assert (rows["0"], rows["103"], rows["205"], rows["109"]) == (
        "ok",
        "bad_hmac",
        "hash_file_mismatch",
        "sender_not_bound",
    )
    assert len(set(rows.values())) == len(rows)
