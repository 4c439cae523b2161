"""``vanban records verify``, run as a user runs it: a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.archivepkg.rewrite import rewrite

ROOT = Path(__file__).resolve().parents[2]
DATA = "hoso/000.00.02.H99.2025.02.VP/representations/rep1/data/0000001_bao-cao.pdf"


def _run(*args):
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    return subprocess.run(
        [sys.executable, "-m", "vanban.cli", "records", "verify", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_sound_package_passes_in_vietnamese(package, keys):
    done = _run(package, "--trust-roots", keys.roots_pem)
    assert done.returncode == 0, done.stderr
    assert "KẾT QUẢ: ĐẠT" in done.stdout
    assert "Số hồ sơ: 2; số tài liệu: 3" in done.stdout


def test_a_bad_package_is_reported_in_vietnamese_and_exits_non_zero(package, keys, tmp_path):
    with zipfile.ZipFile(package) as zf:
        data = zf.read(DATA)
    bad = rewrite(package, tmp_path / "bad.zip", replace={DATA: data[:-10] + b"0123456789"})
    done = _run(bad, "--trust-roots", keys.roots_pem)
    assert done.returncode == 1
    assert "KẾT QUẢ: KHÔNG ĐẠT" in done.stdout
    assert f"[checksum-mismatch] {DATA}: Mã kiểm tra SHA-256" in done.stdout


def test_json_output_lists_the_problems(package, keys, tmp_path):
    bad = rewrite(package, tmp_path / "bad.zip", drop={DATA})
    done = _run(bad, "--trust-roots", keys.roots_pem, "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False
    assert {"code": "missing-file", "path": DATA} in [
        {"code": p["code"], "path": p["path"]} for p in report["problems"]
    ]


def test_a_file_that_does_not_exist_exits_2_with_one_vietnamese_line(keys, tmp_path):
    done = _run(tmp_path / "khong-co.zip", "--trust-roots", keys.roots_pem)
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: Không mở được tệp")
    assert "Traceback" not in done.stderr
