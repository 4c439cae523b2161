"""Keyboard shortcuts in Chromium: a clerk goes to the incoming list with "g d", picks a row
with "j" and opens it with Enter, jumps to the search box with "/", and "?" opens the help
page; keys typed in a field stay in the field."""

import pytest

pytestmark = [pytest.mark.browser]
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_works_the_lists_from_the_keyboard(live_server, browser_page, office, sample_pdf):
    from vanban.registry.services import incoming

    doc = incoming.upload_paper(
        office.lan.user,
        sender_name="Công ty Cổ phần Than Hà Lầm",
        subject="V/v đề nghị hỗ trợ thủ tục đất đai",
        data=sample_pdf,
        name="ban-quet.pdf",
        code_number="101",
        code_notation="THL-VP",
    )
    page = browser_page
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Xin chào")

    page.keyboard.press("g")
    page.keyboard.press("d")
    page.wait_for_url(live_server.url + "/van-ban-den/")
    page.keyboard.press("j")
    assert "V/v đề nghị hỗ trợ" in page.inner_text("main table.list tbody tr.selected")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/van-ban-den/{doc.pk}/")

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "topsearch-q"
    page.keyboard.type("g d")  # typed into the search box, not a shortcut
    assert page.url == f"{live_server.url}/van-ban-den/{doc.pk}/"
    assert page.input_value("#topsearch-q") == "g d"
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    page.wait_for_url(live_server.url + "/tro-giup/phim-tat/")
    assert page.is_visible("h1:has-text('Phím tắt')")
