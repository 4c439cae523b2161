"""Keyboard shortcuts: the help page lists those the person may use, each page carries the
same table for its script, and a shortcut never offers a page the access table refuses."""

import html
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def shortcuts_of(page: str) -> dict[str, str]:
    """The shortcuts the page gives its script (a data attribute: the pages carry no inline script)."""
    start = page.index('<div id="vanban-shortcuts" hidden data-shortcuts="') + len(
        '<div id="vanban-shortcuts" hidden data-shortcuts="'
    )
    return {s["keys"]: s["url"] for s in json.loads(html.unescape(page[start : page.index('"', start)]))}


def test_the_help_page_lists_the_clerks_shortcuts(client, personas):
    client.force_login(personas.lan.user)
    page = client.get(reverse("web:shortcuts")).content.decode()
    assert "<h1>Phím tắt</h1>" in page
    assert "<kbd>n</kbd> <kbd>p</kbd>" in page and "Vào sổ văn bản đến bản giấy" in page
    assert "<kbd>/</kbd>" in page and "Đưa con trỏ vào ô tìm kiếm" in page


def test_an_officer_is_not_offered_the_clerks_paper_registration(client, personas):
    client.force_login(personas.tuan.user)
    page = client.get(reverse("web:shortcuts")).content.decode()
    assert "Vào sổ văn bản đến bản giấy" not in page
    assert "Soạn dự thảo văn bản đi" in page


def test_every_page_carries_the_shortcuts_its_script_follows(client, personas):
    client.force_login(personas.lan.user)
    keys = shortcuts_of(client.get(reverse("web:incoming_list")).content.decode())
    assert keys["g d"] == reverse("web:incoming_list")
    assert keys["n p"] == reverse("web:incoming_paper")
    assert keys["?"] == reverse("web:shortcuts")


def test_the_officers_pages_carry_no_shortcut_to_the_clerks_pages(client, personas):
    client.force_login(personas.tuan.user)
    keys = shortcuts_of(client.get(reverse("web:home")).content.decode())
    assert "n p" not in keys
    assert keys["n d"] == reverse("web:outgoing_new")


def test_the_footer_links_the_help_page(client, personas):
    client.force_login(personas.minh.user)
    page = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:shortcuts")}" id="shortcuts-link"' in page
