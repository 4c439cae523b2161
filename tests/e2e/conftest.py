"""Browser fixtures: Debian's Chromium driven by Playwright, screenshots under test-output/e2e.

The live server binds and is browsed at 127.0.0.1, not "localhost": a minimal system may have
no /etc/hosts entry for that name.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VANBAN_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HAVE_CHROMIUM = bool(shutil.which(CHROMIUM))


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, on 127.0.0.1 unless --liveserver or
    DJANGO_LIVE_TEST_SERVER_ADDRESS says otherwise (its own default is "localhost")."""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "127.0.0.1"
    server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture
def browser_page():
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


class Journey:
    """Steps of the outgoing journey in the browser, shared by the live-server test and
    the test against a real demo process."""

    def __init__(self, page, base: str, password: str, prefix: str):
        self.page, self.base, self.password, self.prefix = page, base, password, prefix

    def shot(self, name: str) -> None:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(OUTPUT / f"{self.prefix}-{name}.png"), full_page=True)

    def login(self, username: str) -> None:
        self.page.goto(self.base + "/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", self.password)
        self.page.click("button[type=submit]")
        self.page.wait_for_selector("text=Xin chào")

    def logout(self) -> None:
        self.page.click("text=Đăng xuất")
        self.page.wait_for_selector("#id_username")

    def draft_and_submit(self, pdf_path, subject: str, unit: str, agency_query: str, agency_name: str) -> str:
        page = self.page
        self.login("chuyenvien.ubnd")
        page.click("nav >> text='Văn bản đi'")
        page.click("#new-draft")
        page.fill("#id_subject", subject)
        page.select_option("#id_document_type", label="Công văn")
        page.set_input_files("#id_main_file", str(pdf_path))
        page.check(f"#id_units label:has-text('{unit}') input")
        page.fill("#agency-search", agency_query)
        page.wait_for_selector("#agency-options button")
        page.click(f"#agency-options button:has-text('{agency_name}')")
        page.wait_for_selector(f"#chosen-agencies li:has-text('{agency_name}')")  # pages.js added it
        self.shot("1-draft-form")
        page.click("button:has-text('Tạo dự thảo')")
        page.wait_for_selector("text=Đã tạo dự thảo.")
        page.click("button:has-text('Trình duyệt')")
        page.wait_for_selector("#state:has-text('Đang trình duyệt')")
        url = page.url
        self.logout()
        return url

    def approve_and_sign(self, url: str) -> None:
        page = self.page
        self.login("lanhdao.ubnd")
        page.goto(url)
        page.click("button:has-text('Duyệt')")
        page.wait_for_selector("#state:has-text('Đã duyệt')")
        page.click("#sign-form button[type=submit]")
        page.wait_for_selector("text=Đã ký số văn bản.")
        assert "hợp lệ" in page.inner_text("#validation")
        self.shot("2-signed")
        self.logout()

    def number_seal_issue(self, url: str) -> None:
        page = self.page
        self.login("vanthu.ubnd")
        page.goto(url)
        page.click("button:has-text('Cấp số, vào sổ')")
        page.wait_for_selector("h1:has-text('Số: ')")
        page.click("#seal-form button[type=submit]")
        page.wait_for_selector("text=Đã ký số của cơ quan")
        page.click("button:has-text('Phát hành')")
        page.wait_for_selector("#state:has-text('Đã phát hành')")
        self.shot("3-issued")


@pytest.fixture
def cong_van_pdf(tmp_path):
    from vanban.signing import make_sample_pdf

    path = tmp_path / "cong-van.pdf"
    path.write_bytes(
        make_sample_pdf(
            title="CÔNG VĂN",
            agency_name="ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
            number="Số:      /UBND-VP1",
            position="CHỦ TỊCH",
            signer_name="Trần Văn Đức",
        ).pdf
    )
    return path


@pytest.fixture
def journey_factory(browser_page):
    return lambda base, password, prefix: Journey(browser_page, base, password, prefix)
