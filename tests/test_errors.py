"""One error base: every package's errors are ``vanban.errors.DomainError``s with one
constructor order, a stable code, both messages, ``retryable`` and ``to_dict()``."""

import ast
from pathlib import Path

import pytest

from vanban.agencycode import InvalidAgencyCode, parse_agency_code
from vanban.connector.errors import ConnectorError, HubUnavailable
from vanban.directory.errors import DirectoryError
from vanban.edxml import EdxmlError, parse
from vanban.errors import DomainError
from vanban.exchange.errors import HubError, NotFound
from vanban.registry.errors import RegistryError
from vanban.secretbox import SecretBoxError
from vanban.signing import SigningError
from vanban.transport.http import TransportError, request
from vanban.transport.multipart import MultipartError, decode
from vanban.vdxp import VdxpError

SRC = Path(__file__).resolve().parents[1] / "src" / "vanban"
# the base itself, and exceptions that are not domain errors: CLI usage, a private signal inside dsig
NOT_DOMAIN = {"DomainError", "CommandError", "_Invalid"}


@pytest.mark.parametrize(
    "base",
    [
        EdxmlError,
        SigningError,
        HubError,
        ConnectorError,
        RegistryError,
        DirectoryError,
        TransportError,
        MultipartError,
        InvalidAgencyCode,
        VdxpError,
        SecretBoxError,
    ],
)
def test_every_package_base_is_a_domain_error(base):
    assert issubclass(base, DomainError)


def test_no_exception_class_outside_the_domain_base():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name not in NOT_DOMAIN:
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & {"Exception", "ValueError", "RuntimeError"} and "DomainError" not in bases:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert offenders == []


def test_one_constructor_order_and_to_dict():
    exc = SigningError("Không đọc được tệp khóa.", "Cannot read the key file.", code="bad_key_file")
    assert (exc.code, exc.message_vi, exc.message_en, exc.retryable) == (
        "bad_key_file",
        "Không đọc được tệp khóa.",
        "Cannot read the key file.",
        False,
    )
    assert str(exc) == "Không đọc được tệp khóa."
    assert exc.to_dict() == {
        "code": "bad_key_file",
        "message_vi": "Không đọc được tệp khóa.",
        "message_en": "Cannot read the key file.",
        "retryable": False,
    }
    plain = DomainError("Chỉ có tiếng Việt.", details={"dong": 2})
    assert plain.code == "error" and plain.message_en == "Chỉ có tiếng Việt."
    assert plain.to_dict()["details"] == {"dong": 2}


def test_retryable_comes_from_the_class_or_the_call():
    assert HubUnavailable("connection refused").retryable is True
    assert ConnectorError("Trục từ chối.", "Refused.").retryable is False
    assert ConnectorError("Trục bận.", "Busy.", retryable=True).retryable is True


def test_subclasses_keep_their_own_attributes():
    gone = NotFound()
    assert (gone.code, gone.http_status, gone.message_en) == ("not_found", 404, "No such package.")
    assert gone.to_dict() == {
        "code": "not_found",
        "message_vi": "Không tìm thấy gói tin.",
        "message_en": "No such package.",
    }
    with pytest.raises(EdxmlError) as bad_xml:
        parse(b"<edXML")
    assert bad_xml.value.line is not None and bad_xml.value.to_dict()["line"] == bad_xml.value.line
    with pytest.raises(InvalidAgencyCode) as bad_code:
        parse_agency_code("H37.DN.002")
    assert bad_code.value.code == "invalid_agency_code" and bad_code.value.problems
    assert [p["code"] for p in bad_code.value.details] == [p.code for p in bad_code.value.problems]


def test_transport_and_multipart_errors_say_what_happened():
    with pytest.raises(TransportError) as no_answer:
        request("GET", "ftp://example.invalid/x", token="t")
    assert no_answer.value.retryable and no_answer.value.code == "no_http_answer"
    assert str(no_answer.value) == "not an http(s) URL: ftp://example.invalid/x"
    with pytest.raises(MultipartError) as bad_body:
        decode("multipart/mixed; boundary=b", b"rubbish")
    assert isinstance(bad_body.value, ValueError) and bad_body.value.code == "bad_multipart"
    assert bad_body.value.message_vi.startswith("Nội dung multipart/mixed không hợp lệ: ")
