"""Unread marks: a document the person has never opened shows "Mới" in their home tab and in
the list of incoming documents; opening its page takes the mark away for that person only."""

import pytest
from django.urls import reverse

from vanban.registry.services import incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
NEW = '<span class="badge new" title="Chưa xem">Mới</span>'


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def arrived(office, sample_pdf):
    return [
        incoming.upload_paper(
            office.lan.user,
            sender_name="Công ty Cổ phần Than Hà Lầm",
            subject=subject,
            data=sample_pdf,
            name="ban-quet.pdf",
            code_number=str(100 + n),
            code_notation="THL-VP",
        )
        for n, subject in enumerate(["V/v hỗ trợ thủ tục đất đai", "V/v tổ chức Hội nghị tổng kết"], 1)
    ]


def test_documents_never_opened_are_marked_new_on_the_home_tab(client, arrived):
    page = login(client, "lan").get(reverse("web:home"), {"tab": "to_register"}).content.decode()
    assert page.count(NEW) == 2


def test_opening_a_document_takes_its_mark_away(client, arrived):
    client = login(client, "lan")
    assert client.get(reverse("web:incoming", args=[arrived[0].pk])).status_code == 200
    page = client.get(reverse("web:home"), {"tab": "to_register"}).content.decode()
    assert page.count(NEW) == 1
    row = page[page.index(NEW) : page.index("</tr>", page.index(NEW))]
    assert "Hội nghị tổng kết" in row  # the one not opened


def test_the_incoming_list_marks_the_same_documents(client, arrived):
    client = login(client, "lan")
    client.get(reverse("web:incoming", args=[arrived[1].pk]))
    page = client.get(reverse("web:incoming_list")).content.decode()
    assert page.count(NEW) == 1
    assert "thủ tục đất đai" in page[page.index(NEW) : page.index("</tr>", page.index(NEW))]


def test_one_persons_reading_does_not_mark_it_read_for_another(client, office, arrived):
    login(client, "lan").get(reverse("web:incoming", args=[arrived[0].pk]))
    incoming.register(office.lan.user, arrived[0])
    page = login(client, "minh").get(reverse("web:home"), {"tab": "to_assign"}).content.decode()
    assert "thủ tục đất đai" in page
    assert page.count(NEW) == 1
