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
    proc = subprocess.Popen([VANBAN, "demo", "--port", "0"], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=30)
            assert proc.returncode == 0
            return
    proc.kill()
    pytest.fail("demo did not start:\n" + "".join(lines))


def test_issued_document_crosses_the_hub_and_status_01_comes_back(demo, journey_factory, cong_van_pdf):
    base, password = demo
    j = journey_factory(base, password, "demo-exchange")
    url = j.draft_and_submit(cong_van_pdf, "V/v thử nghiệm liên thông văn bản qua trục tỉnh",
                             unit="Phòng Kinh tế", agency_query="000.00.02", agency_name="Sở Nội vụ")
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
