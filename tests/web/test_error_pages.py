"""404 and 403 pages: Vietnamese, inside the site's frame (with the menu for a signed-in
person), the view's own reason when it gives one; the APIs keep their JSON errors."""

import json

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def signed_in(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_an_unknown_page_is_a_vietnamese_404_with_the_menu(personas):
    response = signed_in("tuan").get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "<h1>Không tìm thấy</h1>" in page and "Việc của tôi" in page and "Not Found" not in page


def test_an_unknown_page_for_a_visitor_is_a_vietnamese_404_without_the_menu(personas):
    response = Client().get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404 and "<h1>Không tìm thấy</h1>" in page and "Việc của tôi" not in page


def test_a_404_keeps_the_views_vietnamese_reason(personas):
    response = signed_in("tuan").get(reverse("web:agency", args=["000.99.99.H99"]))
    assert response.status_code == 404
    assert "Không tìm thấy cơ quan có mã định danh này." in response.content.decode()


def test_a_404_from_a_lookup_shows_no_english_text(personas):
    response = signed_in("tuan").get(reverse("web:outgoing", args=[987654]))
    page = response.content.decode()
    assert response.status_code == 404 and "matches the given query" not in page
    assert "Không có trang hoặc văn bản này, hoặc bạn không có quyền xem." in page


def test_a_csrf_refusal_is_a_vietnamese_403_with_the_menu(personas):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="tuan", password=PASSWORD)
    response = client.post(reverse("web:outgoing_new"), {"subject": "x"})
    page = response.content.decode()
    assert response.status_code == 403 and "<h1>Không có quyền truy cập</h1>" in page
    assert "Việc của tôi" in page and "CSRF verification failed" not in page


def test_an_unknown_hub_api_path_answers_json(personas):
    response = Client().get("/hub/v1/khong-co/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "not_found"


def test_an_unknown_vdxp_path_answers_json(personas):
    response = Client().get("/vdxp/khong-co/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_the_hub_api_keeps_its_own_json_refusal(personas):
    response = Client().get("/hub/v1/me")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
    assert "code" in json.loads(response.content)
