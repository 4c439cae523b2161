"""A clerk in a real browser (Debian's Chromium driven by Playwright): log in, open the
directory, find agencies by code and by a name typed without diacritics."""

from pathlib import Path

import pytest

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clerk_finds_agencies_by_code_and_unaccented_name(live_server, browser_page):
    from vanban.demo import seed_demo

    logins = seed_demo()
    page = browser_page
    page.goto(live_server.url + "/")
    assert "Đăng nhập" in page.title()
    page.fill("#id_username", "vanthu.ubnd")
    page.fill("#id_password", logins.password)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Xin chào, Nguyễn Thị Hằng")

    page.click("nav >> text='Danh bạ'")
    page.wait_for_selector("#q")
    page.fill("#q", "000.00.03.H49")
    page.press("#q", "Enter")
    page.wait_for_selector("#results")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 1
    assert "Sở Khoa học và Công nghệ" in rows.first.inner_text()

    page.fill("#q", "thong tin truyen thong")
    page.press("#q", "Enter")
    page.wait_for_selector("#results")
    row = page.locator("#results tbody tr").first.inner_text()
    assert "Sở Thông tin và Truyền thông" in row
    assert "Sở Khoa học và Công nghệ" in row  # its successor after the 2025 merger

    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "directory-search.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.click("#results a:has-text('Sở Thông tin và Truyền thông')")
    notice = page.locator("#succession").inner_text()
    assert "đã ngừng hoạt động từ ngày 01/03/2025" in notice
    page.screenshot(path=str(OUTPUT / "agency-succession.png"), full_page=True)
