"""Browser fixtures: Debian's Chromium driven by Playwright, screenshots under test-output/e2e."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VANBAN_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
HAVE_CHROMIUM = bool(shutil.which(CHROMIUM))


@pytest.fixture
def browser_page(live_server):
    if not HAVE_CHROMIUM:
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs the test inside a greenlet with its own context, and
    # Django keeps one connection per context: close the one opened in there when done,
    # or PostgreSQL cannot drop the test database at the end of the session.
    from django.db import connections

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright's loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="vi-VN", viewport={"width": 1200, "height": 900})
        yield page
        browser.close()
        connections.close_all()
