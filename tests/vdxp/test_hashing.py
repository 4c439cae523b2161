"""hash-file: SHA-256 printed without zero-padding per byte, over the file without its CRLF."""

from __future__ import annotations

import hashlib

from vanban.vdxp import body_content, body_content_digest, hash_file, hash_file_matches


def _padded_and_short() -> bytes:
    for i in range(1000):  # find a body whose digest has a byte below 0x10
        data = f"body {i}".encode()
        if any(b < 16 for b in hashlib.sha256(data).digest()):
            return data
    raise AssertionError("no such body")


def test_the_hash_drops_the_leading_zero_of_each_byte():
    data = _padded_and_short()
    assert len(hash_file(data)) < 64
    assert hash_file(data) == "".join(format(b, "x") for b in hashlib.sha256(data).digest())


def test_both_the_unpadded_and_the_padded_form_match():
    data = _padded_and_short()
    assert hash_file_matches(hash_file(data), data)
    assert hash_file_matches(hashlib.sha256(data).hexdigest().upper(), data)
    assert not hash_file_matches(hash_file(data + b"x"), data)


def test_the_crlf_the_client_appends_is_outside_the_hash(interop):
    sample = (interop / "vdxp-samples" / "API-Gateway-iOffice" / "resources" / "status.edxml").read_bytes()
    captured = "cc7bdd662415e725c750bf6ce64c36a87ad21bf38d0a593f9f10203572747f"  # from the wire capture
    assert body_content(sample + b"\r\n", captured) == (sample, ["crlf_after_body", "unpadded_hash"])


def test_a_body_that_does_not_match_gives_none():
    assert body_content(b"<edXML/>\r\n", hash_file(b"other")) is None


def test_the_digest_checked_is_the_files_sha256():
    data = b"<edXML>noi dung</edXML>"
    content, quirks, digest = body_content_digest(data + b"\r\n", hash_file(data))
    assert (content, quirks) == (data, ["crlf_after_body", "unpadded_hash"])
    assert digest == hashlib.sha256(data).hexdigest()
    assert body_content_digest(data, hashlib.sha256(data).hexdigest()) == (data, [], digest)
