"""``vanban ocr IN... -o OUTDIR``: one PDF/A per good input, one summary line each, one error
line per bad file, the other files still done, and nothing half-written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from testkit import scans

pytestmark = pytest.mark.slow


def test_each_input_gives_outdir_name_pdf_and_a_bad_file_one_line(tmp_path):
    image, _, _ = scans.text_page(200, scans.BODY[:3])
    good = tmp_path / "cong-van-13.jpg"
    good.write_bytes(scans.to_bytes(scans.scan(image, dpi=200), "JPEG", 200))
    bad = tmp_path / "ghi-chu.txt"
    bad.write_text("không phải bản quét", encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "vanban.cli", "ocr", str(bad), str(good), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert sorted(p.name for p in out.iterdir()) == ["cong-van-13.pdf"]  # nothing for the bad one, no temp
    assert (out / "cong-van-13.pdf").read_bytes().startswith(b"%PDF-")
    error = next(line for line in lines if "ghi-chu.txt" in line)
    assert error.startswith("Lỗi:") and "[not_image_or_pdf]" in error
    summary = next(line for line in lines if "cong-van-13.jpg" in line)
    assert "1 trang" in summary and "đã nhận dạng chữ" in summary and "độ tin cậy" in summary
    assert "không có dấu mật" in summary
