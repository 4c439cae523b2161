"""The ``vanban edxml`` commands, in the exact forms other checks rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vanban.cli import main
from vanban.edxml import build
from vanban.edxml.jsonio import to_dict

from .conftest import REPO, Pki, make_envelope

GOOD = "edxml-samples/truclienthong-example/edoc_update.edxml"  # in the interop folder
MALFORMED = "edxml-samples/truclienthong-example/edoc.edxml"


def test_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str], interop: Path) -> None:
    good, malformed = interop / GOOD, interop / MALFORMED
    assert main(["edxml", "validate", str(good)]) == 0
    bad = tmp_path / "bad.edxml"
    env = make_envelope()
    env.recipients[0].organ_id = "28.22.H17"
    bad.write_bytes(build(env))
    assert main(["edxml", "validate", str(good), str(bad)]) == 1
    assert "28.22.H17" in capsys.readouterr().out
    assert main(["edxml", "validate", str(malformed)]) == 2


def test_validate_rejects_a_hostile_file(tmp_path: Path) -> None:
    hostile = tmp_path / "xxe.edxml"
    hostile.write_bytes(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXML>&e;</edXML>')
    assert main(["edxml", "validate", str(hostile)]) == 2


def test_show_prints_json_and_problems(capsys: pytest.CaptureFixture[str], interop: Path) -> None:
    quirky = interop / "vdxp-samples/API-Gateway-iOffice/resources/edoc.edxml"
    assert main(["edxml", "show", str(quirky)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "envelope" and out["sender"]["organ_id"] == "002.00.20.H13"
    assert out["problems"] and out["valid"] is False
    assert out["attachments"][0]["content_id"] == "36b8a92e-f054-11e7-842b-005056b672fc"
    assert main(["edxml", "show", str(interop / MALFORMED)]) == 2


def test_build_sign_verify(tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]) -> None:
    spec = to_dict(make_envelope([]))
    (tmp_path / "in.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%test\n")
    out = tmp_path / "out.edxml"
    assert main(["edxml", "build", "--from", str(tmp_path / "in.json"), "--attach", str(pdf), "-o", str(out)]) == 0
    signed = tmp_path / "signed.edxml"
    assert main(["edxml", "sign", str(out), "-o", str(signed), "--key", str(pki.g22.p12)]) == 0
    assert main(["edxml", "verify", str(signed), "--trust", str(pki.root_pem)]) == 0
    assert main(["edxml", "verify", str(signed), "--trust", str(pki.trust_dir)]) == 0
    assert main(["edxml", "verify", str(signed), "--trust", str(pki.other_root_pem)]) == 1
    pem_signed = tmp_path / "pem.edxml"
    assert (
        main(
            [
                "edxml",
                "sign",
                str(out),
                "-o",
                str(pem_signed),
                "--key",
                str(pki.h41.key_pem),
                "--cert",
                str(pki.h41.cert_pem),
            ]
        )
        == 0
    )
    assert main(["edxml", "verify", str(pem_signed), "--trust", str(pki.root_pem)]) == 1  # H41 cert, G22 sender
    assert main(["edxml", "verify", str(pem_signed), "--trust", str(pki.root_pem), "--allow-other-sender"]) == 0
    capsys.readouterr()


def test_verify_fails_on_the_sample_placeholder_signature(pki: Pki, interop: Path) -> None:
    assert main(["edxml", "verify", str(interop / GOOD), "--trust", str(pki.root_pem)]) == 1


def test_subprocess_entry_point(interop: Path) -> None:
    exe = Path(sys.executable).with_name("vanban")
    if not exe.exists():
        exe = REPO / ".venv" / "bin" / "vanban"
    run = subprocess.run(
        [str(exe), "edxml", "validate", str(interop / GOOD), str(interop / MALFORMED)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "dòng 74" in run.stderr
