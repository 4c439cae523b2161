"""The CLI turns every domain error into one Vietnamese line and a stable exit code, in one
place (``vanban.cli.main``): 2 when what was given cannot be used, 3 when trying again may
help, 1 when the operation was refused; a traceback only with ``--verbose``."""

import csv
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from vanban.cli import EXIT_FAILED, EXIT_INPUT, EXIT_RETRY, main

SRC = Path(__file__).resolve().parents[2] / "src"


def vanban(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.run(
        [sys.executable, "-m", "vanban.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_missing_test_ca_is_one_line_with_its_code_and_exit_2(tmp_path):
    run = vanban(
        "pki",
        "issue",
        str(tmp_path / "khong-co"),
        "--agency",
        "000.00.12.H53",
        "--name",
        "X",
        "-o",
        "a.p12",
        cwd=tmp_path,
    )
    assert run.returncode == EXIT_INPUT == 2
    assert run.stderr.strip() == (
        f"Lỗi: Thư mục {tmp_path / 'khong-co'} không chứa CA thử nghiệm (thiếu root.pem / root-key.pem). [pki_missing]"
    )
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "a.p12").exists()


def test_verbose_adds_the_traceback(tmp_path):
    run = vanban(
        "--verbose",
        "pki",
        "issue",
        str(tmp_path),
        "--agency",
        "000.00.12.H53",
        "--name",
        "X",
        "-o",
        "a.p12",
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "Traceback (most recent call last)" in run.stderr and "SigningError" in run.stderr
    assert run.stderr.rstrip().splitlines()[-1].startswith("Lỗi: ") and "[pki_missing]" in run.stderr


def test_unreadable_edxml_package_exits_2_with_the_line(tmp_path):
    (tmp_path / "ca").mkdir()
    assert vanban("pki", "init", "ca", cwd=tmp_path).returncode == 0
    issued = vanban("pki", "issue", "ca", "--agency", "000.00.12.H53", "--name", "UBND", "-o", "a.p12", cwd=tmp_path)
    assert issued.returncode == 0, issued.stderr
    (tmp_path / "in.xml").write_bytes(b"rac<edXML/>")
    run = vanban("edxml", "sign", "in.xml", "-o", "out.xml", "--key", "a.p12", cwd=tmp_path)
    assert run.returncode == 2
    line = run.stderr.strip()
    assert line.startswith("Lỗi: ") and line.endswith("[malformed-xml]") and "dòng 1" in line
    assert "\n" not in line
    assert not (tmp_path / "out.xml").exists()


def test_unreachable_remote_signer_is_retryable_exit_3(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "in.pdf").write_bytes(b"%PDF-1.4\n")
    run = vanban(
        "sign",
        "pdf",
        "in.pdf",
        "-o",
        "out.pdf",
        "--remote",
        f"http://127.0.0.1:{port}",
        "--remote-key",
        "k",
        cwd=tmp_path,
    )
    assert run.returncode == EXIT_RETRY == 3
    assert (
        run.stderr.strip()
        == f"Lỗi: Không kết nối được dịch vụ ký số từ xa http://127.0.0.1:{port}. [remote_unreachable]"
    )


@pytest.mark.django_db
def test_refused_import_exits_1_with_every_bad_row(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    with open(bad, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["Loại", "Mã định danh", "Tên", "Tên viết tắt", "Cấp", "Mã cơ quan cấp trên", "Ký hiệu"])
        w.writerow(["co_quan", "H37.DN.002", "LGSP", "", "tinh", "", ""])
    assert main(["directory", "import", str(bad)]) == EXIT_FAILED == 1
    first, *rest = capsys.readouterr().err.rstrip("\n").split("\n")
    assert first == "Lỗi: Tệp bị từ chối, không nhập dòng nào: 1 lỗi. [import_refused]"
    assert len(rest) == 1 and rest[0].startswith("  Dòng 2: ")
