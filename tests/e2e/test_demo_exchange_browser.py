"""The demo as a province would try it: one `vanban demo` process (office and hub, worker
thread, SQLite). A document issued by the provincial People's Committee to Sở Nội vụ
crosses the hub over HTTP; the recipient's status 01 and the hub's timeline for that
recipient (accepted, fetched, acked) come back onto the sender's page."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]
VANBAN = str(Path(sys.executable).parent / "vanban")


@pytest.fixture
def demo(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VANBAN_VAR_DIR", "SECRET_KEY"}}
    env["VANBAN_CONNECTOR_PULL_SECONDS"] = "2"
    env["VANBAN_REGISTRY_TIMELINE_SECONDS"] = "2"
    proc = subprocess.Popen(
        [VANBAN, "demo", "--port", "0"],
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed as a whole at the end
    )
    try:
        lines = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Nhấn Ctrl-C để dừng" in line:
                text = "".join(lines)
                url = re.search(r"http://127\.0\.0\.1:\d+", text).group(0)
                password = re.search(r"mật khẩu chung: (\S+)\)", text).group(1)
                yield url, password
                os.killpg(proc.pid, signal.SIGINT)
                proc.communicate(timeout=30)
                assert proc.returncode == 0
                return
        pytest.fail("demo did not start:\n" + "".join(lines))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)


def test_issued_document_crosses_the_hub_and_status_01_comes_back(demo, journey_factory, cong_van_pdf):
    base, password = demo
    j = journey_factory(base, password, "demo-exchange")
    url = j.draft_and_submit(
        cong_van_pdf,
        "V/v thử nghiệm liên thông văn bản qua trục tỉnh",
        unit="Phòng Kinh tế",
        agency_query="000.00.02",
        agency_name="Sở Nội vụ",
    )
    j.approve_and_sign(url)
    j.number_seal_issue(url)
    page = j.page
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page.goto(url)
        row = page.inner_text("#recipients tr:has-text('Sở Nội vụ')")
        if "01 Đã đến" in row and "Nơi nhận xác nhận đã nhận" in row:
            break
        time.sleep(2)
    assert "Đã gửi lên trục" in row and "01 Đã đến" in row, row
    # the hub's timeline for this recipient, as the hub saw it
    assert "Trục đã nhận" in row and "Nơi nhận đã tải về" in row and "Nơi nhận xác nhận đã nhận" in row, row
    j.shot("4-status-01")

    # Sở Nội vụ: the clerk registers it, the leader assigns it, the officer handles it
    j.logout()
    j.login("vanthu.snv")
    page.click("nav >> text='Văn bản đến'")
    page.click("#documents a:has-text('V/v thử nghiệm liên thông')")
    facts = page.inner_text("dl.facts")
    assert "000.00.00.H49" in facts
    assert "hợp lệ" in page.inner_text("#package-signature")
    pdf_check = page.inner_text(".pdf-signatures")  # both signatures of the PDF, checked on arrival
    assert "hợp lệ" in pdf_check and "Người ký: Trần Văn Đức" in pdf_check and "Cơ quan:" in pdf_check
    page.click("button:has-text('Vào sổ văn bản đến')")
    page.wait_for_selector("text=Đã vào sổ văn bản đến.")
    incoming_url = page.url
    j.logout()
    j.login("lanhdao.snv")
    page.goto(incoming_url)
    page.select_option("#id_lead_person", label="Trịnh Thu Trang – Phòng Tổ chức, biên chế")
    page.fill("#id_instructions", "Nghiên cứu, đề xuất phương án phối hợp.")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=Đã phân công xử lý.")
    j.shot("5-assigned")
    j.logout()
    j.login("chuyenvien.snv")
    page.click("nav >> text='Việc của tôi'")
    page.click("#to_process + table a")
    page.click("button:has-text('Bắt đầu xử lý')")
    page.wait_for_selector("#state:has-text('Đang xử lý')")
    page.fill("#finish-form textarea", "Đã thống nhất phương án, báo cáo lãnh đạo.")
    page.click("#finish-form button[type=submit]")
    page.wait_for_selector("#state:has-text('Hoàn thành')")
    j.shot("6-done")
    j.logout()

    # the sender sees 01, 03, 04, 05, 06 in order
    j.login("vanthu.ubnd")
    wanted = ["01 Đã đến", "03 Đã tiếp nhận", "04 Phân công xử lý", "05 Đang xử lý", "06 Hoàn thành"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page.goto(url)
        row = page.inner_text("#recipients tr:has-text('Sở Nội vụ')")
        if all(w in row for w in wanted):
            break
        time.sleep(2)
    assert all(w in row for w in wanted), row
    order = [row.index(w) for w in wanted]
    assert order == sorted(order)
    j.shot("7-statuses-back")
