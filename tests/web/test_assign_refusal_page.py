"""A refused assignment shows the page again with what the leader typed and the reason."""

import io
import re

import pytest
from django.urls import reverse

from vanban.registry.models import IncomingDocument

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
INSTRUCTIONS = "Tham mưu văn bản trả lời trước ngày 15/12."


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def registered(client, office, sample_pdf):
    login(client, "lan")
    upload = io.BytesIO(sample_pdf)
    upload.name = "ban-quet.pdf"
    client.post(
        reverse("web:incoming_paper"),
        {"sender_name": "Công ty Cổ phần Than Hà Lầm", "subject": "V/v đề nghị hỗ trợ thủ tục", "file": upload},
    )
    doc = IncomingDocument.objects.get()
    client.post(reverse("web:incoming_action", args=[doc.pk, "vao-so"]))
    return doc


def test_an_assignment_with_two_leads_keeps_what_was_typed(client, office, registered):
    response = login(client, "minh").post(
        reverse("web:incoming_action", args=[registered.pk, "phan-cong"]),
        {
            "lead_unit": office.tuan.unit.pk,
            "lead_person": office.tuan.pk,
            "informed": [office.lan.pk],
            "instructions": INSTRUCTIONS,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Chọn đúng một đơn vị hoặc một người chủ trì." in page
    assert f"{INSTRUCTIONS}</textarea>" in page
    assert re.search(rf'name="informed" value="{office.lan.pk}"[^>]*checked', page)
    registered.refresh_from_db()
    assert registered.state == "da-vao-so" and not registered.assignments.exists()


def test_an_assignment_with_a_bad_date_keeps_what_was_typed(client, office, registered):
    response = login(client, "minh").post(
        reverse("web:incoming_action", args=[registered.pk, "phan-cong"]),
        {"lead_person": office.tuan.pk, "deadline": "31/02/2026", "instructions": INSTRUCTIONS},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Thông tin phân công chưa hợp lệ" in page
    assert f"{INSTRUCTIONS}</textarea>" in page and 'value="31/02/2026"' in page
