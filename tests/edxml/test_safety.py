"""Hostile and broken input: a clear EdxmlError subclass, never a crash, hang, file read or request."""

from __future__ import annotations

import os
import socket
import threading
import time
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


WIDE = ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32-be"]  # utf-16/utf-32: with a byte-order mark


def _opened_while_parsing(path: Path, data: bytes) -> bool:
    """Whether parsing ``data`` opened the FIFO ``path``: a reader would block on it until a
    writer comes, so a watchdog tries to write after a second and tells whether one was there."""
    seen: list[bool] = []

    def watchdog() -> None:
        time.sleep(1.0)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody has it open for reading
            seen.append(False)
            return
        seen.append(True)
        os.write(fd, b"<!ENTITY x 'loaded'>")
        os.close(fd)

    thread = threading.Thread(target=watchdog)
    thread.start()
    with pytest.raises(ForbiddenDtdError):
        parse(data)
    thread.join()
    return seen == [True]


@pytest.mark.parametrize("encoding", WIDE)
def test_a_doctype_is_refused_in_every_encoding_xml_allows(encoding: str) -> None:
    text = f'<?xml version="1.0" encoding="{encoding.split("-")[0] + "-" + encoding.split("-")[1]}"?>'
    text += f'<!DOCTYPE edXML [<!ENTITY e "boom">]><edXML xmlns="{NS}">&e;</edXML>'
    err = _both(text.encode(encoding), ForbiddenDtdError)
    assert "DOCTYPE" in err.message_vi


@pytest.mark.parametrize("encoding", ["utf-8", *WIDE])
def test_no_external_dtd_file_is_opened_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    fifo = tmp_path / "edxml.dtd"
    os.mkfifo(fifo)
    text = f'<!DOCTYPE edXML SYSTEM "{fifo}"><edXML xmlns="{NS}"/>'
    assert not _opened_while_parsing(fifo, text.encode(encoding))


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


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16"])
def test_a_package_in_utf16_is_read_like_its_utf8_twin(encoding: str) -> None:
    utf8 = build(make_status())
    text = utf8.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    wide = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode(encoding)
    assert parse(wide) == parse(utf8)


def test_an_unknown_declared_encoding_is_a_clear_error() -> None:
    data = f'<?xml version="1.0" encoding="TF-8"?><edXML xmlns="{NS}"/>'.encode()
    with pytest.raises(EdxmlError) as err:
        parse(data)
    assert err.value.message_vi and err.value.code
