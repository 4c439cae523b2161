"""Hostile and broken input: a clear EdxmlError subclass, never a crash, hang, file read or request."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from vanban.edxml import (
    DepthLimitError,
    EdxmlError,
    EncodingError,
    ForbiddenDtdError,
    HugeTextError,
    MalformedXmlError,
    SizeLimitError,
    TruncatedXmlError,
    WrongRootError,
    build,
    parse,
    validate,
)

from .conftest import make_status

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _both(data: bytes, error: type[EdxmlError]) -> EdxmlError:
    with pytest.raises(error) as first:
        parse(data)
    with pytest.raises(error):
        validate(data)
    assert first.value.message_vi and first.value.message_en and first.value.code
    return first.value


def test_xxe_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = f'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file://{secret}">]><edXML xmlns="{NS}">&x;</edXML>'.encode()
    err = _both(data, ForbiddenDtdError)
    assert "TOP-SECRET" not in str(err)


def test_xxe_url() -> None:
    data = f'<!DOCTYPE edXML [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil">]><edXML xmlns="{NS}">&x;</edXML>'.encode()
    _both(data, ForbiddenDtdError)


def test_billion_laughs() -> None:
    ents = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};">'
        for i in range(1, 10)
    )
    data = f'<?xml version="1.0"?><!DOCTYPE edXML [{ents}]><edXML xmlns="{NS}">&a9;</edXML>'.encode()
    _both(data, ForbiddenDtdError)


def test_external_dtd() -> None:
    data = f'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/edxml.dtd"><edXML xmlns="{NS}"/>'.encode()
    err = _both(data, ForbiddenDtdError)
    assert err.line == 3


def test_size_limit_is_configurable() -> None:
    data = build(make_status())
    with pytest.raises(SizeLimitError):
        parse(data, max_size=100)
    with pytest.raises(SizeLimitError):
        validate(data, max_size=100)


def test_huge_text_node_in_header() -> None:
    data = build(make_status()).replace(b"<edXML:Description>", b"<edXML:Description>" + b"A" * 2_000_000)
    _both(data, HugeTextError)


def test_huge_text_over_size_limit() -> None:
    data = b'<edXML xmlns="' + NS.encode() + b'">' + b"A" * (51 * 1024 * 1024) + b"</edXML>"
    _both(data, SizeLimitError)


def test_depth_limit() -> None:
    data = f'<edXML xmlns="{NS}">'.encode() + b"<a>" * 500 + b"</a>" * 500 + b"</edXML>"
    _both(data, DepthLimitError)


def test_invalid_utf8() -> None:
    data = build(make_status()).replace("Văn thư".encode(), b"V\xe3n th\xff", 1)
    _both(data, EncodingError)


def test_truncated() -> None:
    data = build(make_status())
    _both(data[: len(data) // 2], TruncatedXmlError)


def test_empty() -> None:
    _both(b"", TruncatedXmlError)


def test_wrong_root() -> None:
    err = _both(b'<?xml version="1.0"?><html><body/></html>', WrongRootError)
    assert "html" in err.message_en


def test_foreign_namespace_root() -> None:
    _both(b'<edXML xmlns="http://www.go.vn/eDoc"/>', WrongRootError)


def test_garbage_is_malformed_with_line() -> None:
    err = _both(b"not xml at all", MalformedXmlError)
    assert err.line == 1


def test_undeclared_unknown_prefix_is_rejected() -> None:
    data = f'<edXML xmlns="{NS}"><foo:bar/></edXML>'.encode()
    _both(data, MalformedXmlError)
