"""vanban.transport.multipart: packages' bytes travel as they are, and come back whole."""

import os

import pytest

from vanban.transport import multipart


def test_parts_come_back_byte_for_byte():
    binary = os.urandom(50_000) + b"\r\n--\r\n\r\n"  # line breaks and dashes inside a part
    content_type, body = multipart.encode(
        [
            ({"Content-Type": "application/json"}, b'{"items": []}'),
            ({"Content-Type": "application/xml", "Content-ID": "<a>"}, binary),
            ({"Content-Type": "application/xml"}, b""),
        ]
    )
    assert content_type.startswith("multipart/mixed; boundary=")
    parts = multipart.decode(content_type, body)
    assert [p[1] for p in parts] == [b'{"items": []}', binary, b""]
    assert parts[1][0] == {"content-type": "application/xml", "content-id": "<a>"}


def test_the_boundary_never_occurs_in_a_part():
    content_type, body = multipart.encode([({"X": "1"}, b"abc")])
    boundary = content_type.split('boundary="')[1].rstrip('"').encode()
    assert body.count(boundary) == 2  # the opening and the closing delimiter only


@pytest.mark.parametrize("body", [b"", b"garbage", b"--B\r\nX: 1\r\n\r\nno end", b"--B\r\nno headers end--B--\r\n"])
def test_a_broken_body_is_an_error(body):
    with pytest.raises(multipart.MultipartError):
        multipart.decode('multipart/mixed; boundary="B"', body)


def test_another_content_type_is_an_error():
    with pytest.raises(multipart.MultipartError):
        multipart.decode("application/json", b"{}")
