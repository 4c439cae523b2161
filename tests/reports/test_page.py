"""The statistics page /thong-ke/: the person's scope, each level's table, the targets."""

import re

import pytest

from tests.conftest import PASSWORD

from .seeded import seed_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(seed, personas):
    seed_october(seed, personas)
    return personas


def page(client, person, month="2026-10") -> str:
    client.login(username=person.user.username, password=PASSWORD)
    answer = client.get("/thong-ke/", {"thang": month})
    assert answer.status_code == 200
    return answer.content.decode()


def cells(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_a_leader_sees_the_own_agencys_month(client, october):
    html = page(client, october.minh)
    assert "Thống kê văn bản điện tử – Tháng 10/2026" in html
    assert cells(html, "agency-000.00.02.H99")[1:5] == ["6", "4", "1", "5"]
    assert "agency-000.00.20.H99" not in html  # the commune is not under Sở Nội vụ


def test_the_provinces_administrator_sees_every_level(client, october):
    html = page(client, october.khoa)
    assert 'id="level-tinh"' in html and 'id="level-xa"' in html
    assert cells(html, "agency-000.00.20.H99")[1] == "1"
    assert cells(html, "figure-out_issued")[1] == "7"


def test_each_share_is_shown_against_its_target(client, october):
    html = page(client, october.minh)
    assert cells(html, "share-electronic_share") == [
        "Tỷ lệ văn bản đi điện tử hoàn toàn",
        "66,67 %",
        "80 %",
        "Chưa đạt",
    ]


def test_a_future_month_is_refused_with_a_message(client, october):
    html = page(client, october.minh, "2999-01")
    assert "Tháng 01/2999 chưa bắt đầu." in html


def test_the_menu_links_the_page_for_those_the_table_lets_in(client, personas):
    client.login(username=personas.minh.user.username, password=PASSWORD)
    assert 'id="reports-link"' in client.get("/").content.decode()


def test_an_officer_has_no_statistics_link(client, personas):
    client.login(username=personas.tuan.user.username, password=PASSWORD)
    assert 'id="reports-link"' not in client.get("/").content.decode()
    assert client.get("/thong-ke/").status_code == 404
