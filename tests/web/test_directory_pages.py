"""The directory pages as a signed-in person sees them, and as an anonymous visitor doesn't."""

import datetime as dt

import pytest
from django.urls import reverse

from vanban.directory import services

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def lan_client(client, personas):
    assert client.login(username="lan", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("web:home", {}),
        ("web:directory", {}),
        ("web:agency", {"code": "000.00.02.H99"}),
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, personas, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_vietnamese_and_wrong_password_says_so(client, personas):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    response = client.post(reverse("login"), {"username": "lan", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_login_then_home_shows_agency_unit_and_role(client, personas):
    response = client.post(reverse("login"), {"username": "lan", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "Nguyễn Thị Lan" in page and "Sở Nội vụ" in page and "Văn thư" in page


def test_directory_lists_agencies_as_a_tree(lan_client):
    page = lan_client.get(reverse("web:directory")).content.decode()
    root = page.index("Ủy ban nhân dân tỉnh Thử Nghiệm")
    child = page.index("Sở Nội vụ")
    assert root < child
    assert page.count('<ul class="tree">') >= 2  # children nested under the province


def test_search_without_diacritics_finds_the_agency(lan_client):
    page = lan_client.get(reverse("web:directory"), {"q": "so khoa hoc"}).content.decode()
    assert "Sở Khoa học và Công nghệ" in page
    assert "Sở Nội vụ" not in page
    assert "Tìm thấy 1 cơ quan" in page


def test_search_by_d_without_stroke_finds_dong(lan_client):
    page = lan_client.get(reverse("web:directory"), {"q": "dong hoa"}).content.decode()
    assert "Ủy ban nhân dân xã Đông Hòa" in page


def test_search_by_identifier_code(lan_client):
    page = lan_client.get(reverse("web:directory"), {"q": "000.00.03.h99"}).content.decode()
    assert "Sở Khoa học và Công nghệ" in page and "Tìm thấy 1 cơ quan" in page


def test_agency_page_shows_units_and_people(lan_client, personas):
    page = lan_client.get(reverse("web:agency", kwargs={"code": "000.00.02.H99"})).content.decode()
    assert "Văn phòng Sở" in page and "CCVC" in page
    assert "Trần Quang Minh" in page and "Giám đốc" in page and "Lãnh đạo" in page


def test_agency_page_of_a_merged_agency_says_where_documents_go(lan_client, personas):
    services.merge_agency(None, personas.so_khcn, personas.so_noi_vu, on=dt.date(2025, 7, 1))
    page = lan_client.get(reverse("web:agency", kwargs={"code": "000.00.03.H99"})).content.decode()
    assert "đã ngừng hoạt động từ ngày 01/07/2025" in page
    assert "cơ quan kế thừa" in page and "Sở Nội vụ" in page


def test_unknown_code_is_a_404(lan_client):
    response = lan_client.get(reverse("web:agency", kwargs={"code": "000.00.77.H99"}))
    assert response.status_code == 404


def test_outsider_sees_the_directory_but_no_admin(client, personas):
    assert client.login(username="ke.la", password=PASSWORD)
    assert client.get(reverse("web:directory")).status_code == 200
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_admin_edit_writes_an_audit_event(client, personas):
    from django.contrib.auth import get_user_model

    from vanban.audit.models import AuditEvent

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.login(username="root", password=PASSWORD)
    url = reverse("admin:directory_unit_change", args=[personas.lan.unit.pk])
    response = client.post(
        url, {"agency": personas.so_noi_vu.pk, "name": "Văn phòng Sở Nội vụ", "suffix": "VP", "active": "on"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_username) == ("directory.unit.updated", "root")
    assert (event.before["name"], event.after["name"]) == ("Văn phòng Sở", "Văn phòng Sở Nội vụ")
