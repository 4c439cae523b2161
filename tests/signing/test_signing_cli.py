"""The command line, in the exact forms scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vanban.cli import main


@pytest.fixture(scope="module")
def cli_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli-pki")
    assert main(["pki", "init", str(d / "ca")]) == 0
    assert (
        main(
            [
                "pki",
                "issue",
                str(d / "ca"),
                "--agency",
                "000.00.12.H53",
                "--name",
                "Ủy ban nhân dân tỉnh Thử Nghiệm",
                "-o",
                str(d / "ubnd.p12"),
                "--image",
                str(d / "dau.png"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "pki",
                "issue",
                str(d / "ca"),
                "--person",
                "Nguyễn Văn An",
                "--agency",
                "000.00.12.H53",
                "--position",
                "Chủ tịch",
                "-o",
                str(d / "an.p12"),
                "--image",
                str(d / "chuky.png"),
                "--key-type",
                "ec-p256",
            ]
        )
        == 0
    )
    return d


def test_pki_init_writes_root_and_key(cli_pki: Path) -> None:
    assert (cli_pki / "ca" / "root.pem").exists() and (cli_pki / "ca" / "root-key.pem").exists()
    assert main(["pki", "init", str(cli_pki / "ca")]) == 2  # refuses to overwrite


def test_help_says_test_pkcs12_is_unencrypted(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["pki", "issue", "--help"])
    assert "unencrypted" in capsys.readouterr().out


@pytest.fixture(scope="module")
def cli_sealed(cli_pki: Path, sample) -> Path:
    src = cli_pki / "in.pdf"
    src.write_bytes(sample.pdf)
    page, x1, y1, x2, y2 = sample.signature_box
    box = f"{page + 1},{x1},{y1},{x2},{y2}"
    assert (
        main(
            [
                "sign",
                "pdf",
                str(src),
                "-o",
                str(cli_pki / "signed.pdf"),
                "--key",
                str(cli_pki / "an.p12"),
                "--image",
                str(cli_pki / "chuky.png"),
                "--box",
                box,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "sign",
                "pdf",
                str(cli_pki / "signed.pdf"),
                "-o",
                str(cli_pki / "sealed.pdf"),
                "--key",
                str(cli_pki / "ubnd.p12"),
                "--image",
                str(cli_pki / "dau.png"),
                "--seal",
            ]
        )
        == 0
    )
    return cli_pki / "sealed.pdf"


def test_sign_seal_verify_round_trip(cli_pki: Path, cli_sealed: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["verify", "pdf", str(cli_pki / "sealed.pdf"), "--trust", str(cli_pki / "ca" / "root.pem")]) == 0
    assert "HỢP LỆ" in capsys.readouterr().out
    assert (
        main(["verify", "pdf", str(cli_pki / "sealed.pdf"), "--trust", str(cli_pki / "ca" / "root.pem"), "--json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [s["kind"] for s in data["signatures"]] == ["person", "agency"]


def test_verify_exit_codes_via_the_installed_command(cli_pki: Path, cli_sealed: Path, pki, pki_dir: Path) -> None:
    vanban = Path(sys.executable).with_name("vanban")
    root = str(cli_pki / "ca" / "root.pem")
    sealed = cli_sealed
    run = lambda *a: subprocess.run([str(vanban), *a], capture_output=True, text=True, timeout=60)  # noqa: E731
    assert run("verify", "pdf", str(sealed), "--trust", root).returncode == 0
    # another root: untrusted -> 1
    other = run("verify", "pdf", str(sealed), "--trust", str(pki_dir / "root.pem"))
    assert other.returncode == 1 and "KHÔNG HỢP LỆ" in other.stdout
    garbage = cli_pki / "rac.pdf"
    garbage.write_bytes(b"khong phai PDF")
    assert run("verify", "pdf", str(garbage), "--trust", root).returncode == 2
    assert run("verify", "pdf", str(cli_pki / "khong-co.pdf"), "--trust", root).returncode == 2


def test_sign_errors_are_one_line(cli_pki: Path, sample, capsys) -> None:
    src = cli_pki / "in2.pdf"
    src.write_bytes(sample.pdf)
    code = main(
        [
            "sign",
            "pdf",
            str(src),
            "-o",
            str(cli_pki / "x.pdf"),
            "--key",
            str(cli_pki / "an.p12"),
            "--pkcs11",
            "/usr/lib/softhsm/libsofthsm2.so",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "một nguồn khóa" in err
