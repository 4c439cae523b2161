"""The clerk's "Giữ số, hủy số" page and the numbering form's choice of a held number."""

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.models import Register, RegisterEntry
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def register(office):
    return Register.objects.get(agency=office.so_noi_vu, kind=Register.KIND_OUTGOING, secret=False)


def test_the_clerk_holds_two_numbers_with_the_reason(client, office, register):
    response = login(client, "lan").post(
        reverse("web:number_reservations"),
        {"register": register.pk, "count": 2, "note": "Quyết định ký tại hội nghị ngày 05/12"},
        follow=True,
    )
    page = response.content.decode()
    assert f"Đã giữ số 01, 02 trong {register.name}." in page
    assert page.count("Quyết định ký tại hội nghị ngày 05/12") == 2


def test_holding_without_a_reason_says_so_and_keeps_what_was_typed(client, office, register):
    page = (
        login(client, "lan")
        .post(reverse("web:number_reservations"), {"register": register.pk, "count": 7, "note": ""})
        .content.decode()
    )
    assert "Hãy ghi lý do giữ số." in page and 'value="7"' in page
    assert not RegisterEntry.objects.exists()


def test_the_clerk_cancels_a_held_number(client, office, register):
    [entry] = services.reserve_numbers(office.lan.user, register, 1, "Giữ số")
    page = (
        login(client, "lan")
        .post(reverse("web:number_cancel", args=[entry.pk]), {"reason": "Hội nghị hoãn"}, follow=True)
        .content.decode()
    )
    assert "Đã hủy số 01." in page and "Đã hủy" in page and "Hội nghị hoãn" in page


def test_the_numbering_form_offers_the_held_numbers(client, office, register, sample_pdf):
    services.reserve_numbers(office.lan.user, register, 1, "Giữ cho tờ trình")
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v tổng kết công tác năm 2026",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    client = login(client, "lan")
    page = client.get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    entry = RegisterEntry.objects.get()
    assert f'<option value="{entry.pk}">Số đã giữ 01 – {register.name} (Giữ cho tờ trình)</option>' in page
    done = client.post(reverse("web:outgoing_action", args=[doc.pk, "cap-so"]), {"so_giu": entry.pk}, follow=True)
    assert "Đã cấp số và vào sổ văn bản đi." in done.content.decode()
    doc.refresh_from_db()
    assert doc.so_ky_hieu == "01/SNV-CCVC"


def test_another_agencys_held_number_cannot_be_cancelled(client, office, register):
    [entry] = services.reserve_numbers(office.lan.user, register, 1, "Giữ số")
    assert login(client, "hoa").post(reverse("web:number_cancel", args=[entry.pk]), {"reason": "x"}).status_code == 404
    entry.refresh_from_db()
    assert entry.state == "giu-cho"


def test_the_register_page_links_the_clerk_to_holding_numbers(client, office):
    assert 'id="hold-numbers"' in login(client, "lan").get(reverse("web:outgoing_register")).content.decode()
    assert 'id="hold-numbers"' not in login(client, "minh").get(reverse("web:outgoing_register")).content.decode()
