"""Security headers: a Content-Security-Policy that allows no inline script or style on every
page (and pages that need none), HSTS when the site runs behind HTTPS."""

import os
import subprocess
import sys

import lxml.html
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
PAGES = [
    ("web:home", {}),
    ("web:directory", {}),
    ("web:agency_picker", {"q": "noi vu"}),
    ("web:outgoing_list", {}),
    ("web:outgoing_new", {}),
    ("web:outgoing_register", {}),
    ("web:incoming_list", {}),
    ("web:incoming_paper", {}),
    ("web:incoming_register", {}),
    ("web:my_work", {}),
    ("web:scan_list", {}),
]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_the_login_page_sends_a_policy_without_inline_script(client):
    policy = _policy(client.get(reverse("login")))
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("name,query", PAGES)
def test_pages_carry_no_inline_script_handler_or_style(client, office, name, query):
    assert client.login(username="lan", password=PASSWORD)
    response = client.get(reverse(name), query)
    assert response.status_code == 200 and "'unsafe-inline'" not in response["Content-Security-Policy"]
    tree = lxml.html.fromstring(response.content)
    assert [s for s in tree.iter("script") if not s.get("src")] == []  # every script is a file of the site
    assert tree.xpath("//style") == []
    handlers = [(el.tag, a) for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]
    assert handlers == [] and tree.xpath("//*[@style]") == []


def _hsts_seconds(var_dir, **env: str) -> str:
    code = "from vanban import settings; print(settings.SECURE_HSTS_SECONDS)"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("VANBAN_")} | env
    environment["VANBAN_VAR_DIR"] = str(var_dir)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True).stdout.strip()


def test_hsts_is_sent_for_a_year_behind_https_and_not_without(tmp_path):
    assert _hsts_seconds(tmp_path, VANBAN_SECURE_COOKIES="1") == str(365 * 24 * 3600)
    assert _hsts_seconds(tmp_path) == "0"
