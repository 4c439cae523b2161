"""The clerk's upload forms against the shared hostile corpus (:mod:`testkit.hostile`) and the
e-mails the fuzzer found (tests/fuzz_regressions/email): a dropped e-mail or a paper scan that
is hostile is refused with a Vietnamese message on the page, nothing is created, never a 500;
a hostile file name on a good PDF is kept as text that breaks no path nor header."""

import io

import pytest
from django.urls import reverse

from testkit import hostile
from testkit.fuzz import REGRESSIONS
from vanban.registry.models import IncomingDocument

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"

FUZZED_EMAILS = [
    hostile.Hostile(f"fuzz-{p.stem}", p.read_bytes(), "thu.eml") for p in sorted((REGRESSIONS / "email").glob("[!.]*"))
]


def _clerk(client):
    client.logout()
    assert client.login(username="lan", password=PASSWORD)
    return client


def _upload(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in hostile.emails() + FUZZED_EMAILS])
def test_a_hostile_e_mail_is_refused_with_a_message(client, office, case):
    response = _clerk(client).post(
        reverse("web:incoming_email"), {"eml": _upload(case.data, case.filename)}, follow=True
    )
    assert response.status_code == 200
    assert IncomingDocument.objects.count() == 0
    assert "Đã nhận văn bản từ thư điện tử." not in response.content.decode()
    assert any(m.strip() for m in _messages(response)), "no message tells the clerk why"


def _paper(client, upload):
    return _clerk(client).post(
        reverse("web:incoming_paper"),
        {"sender_name": "Công ty Cổ phần Than Hà Lầm", "subject": "V/v đề nghị hỗ trợ", "file": upload},
        follow=True,
    )


def _pdf_cases():
    names = ["inflate-bomb", "nested-arrays", "looping-page-tree", "many-objects", "encrypted", "truncated", "empty"]
    names += ["png-named-pdf", "elf-named-pdf", "html-named-pdf"]
    for name in names:
        yield pytest.param(name, id=name)


@pytest.mark.parametrize("name", list(_pdf_cases()))
def test_a_hostile_pdf_on_the_paper_form_is_refused(client, office, sample_pdf, name):
    case = next(c for c in hostile.pdfs(sample_pdf) if c.name == name)
    response = _paper(client, _upload(case.data, case.filename))
    assert response.status_code == 200
    assert IncomingDocument.objects.count() == 0
    assert "Đã nhập văn bản đến bản giấy." not in response.content.decode()


@pytest.mark.parametrize("name", hostile.bad_names(), ids=repr)
def test_a_hostile_file_name_is_kept_as_harmless_text(client, office, sample_pdf, name):
    response = _paper(client, _upload(sample_pdf, name))
    assert "Đã nhập văn bản đến bản giấy." in response.content.decode()
    stored = IncomingDocument.objects.get().main_file.name
    assert stored and "/" not in stored and "\\" not in stored
    assert not any(ch in stored for ch in "\r\n\x00\t\u202e")
    if "tờ trình" in name:
        assert "tờ trình" in stored
