"""Independent check: Debian's pdfsig (poppler, NSS) agrees with us.

The root is trusted through a private NSS database made with ``certutil``
(Debian package libnss3-tools)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def nssdir(tmp_path_factory: pytest.TempPathFactory, pki_dir: Path) -> str:
    import shutil

    certutil = shutil.which("certutil")
    if certutil is None:
        pytest.skip("certutil is not installed (Debian package libnss3-tools)")
    d = tmp_path_factory.mktemp("nss")
    subprocess.run([certutil, "-N", "-d", f"sql:{d}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{d}", "-n", "CA thu nghiem", "-t", "C,C,C", "-i", str(pki_dir / "root.pem")],
        check=True,
        capture_output=True,
    )
    return f"sql:{d}"


def run_pdfsig(pdfsig: str, nssdir: str, pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    proc = subprocess.run([pdfsig, "-nssdir", nssdir, str(path)], capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout


def test_pdfsig_reports_both_signatures_valid_and_trusted(pdfsig, nssdir, sealed, tmp_path) -> None:
    code, out = run_pdfsig(pdfsig, nssdir, sealed, tmp_path)
    assert code == 0, out
    assert len(re.findall(r"^Signature #\d+:", out, re.M)) == 2, out
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == 2, out
    assert "Nguyễn Văn An" in out and "Ủy ban nhân dân tỉnh Thử Nghiệm" in out
    assert "Total document signed" in out


def test_pdfsig_reports_tampered_copy_invalid(edits, pdfsig, nssdir, sealed, tmp_path) -> None:
    code, out = run_pdfsig(pdfsig, nssdir, edits.tamper(sealed), tmp_path)
    assert "Signature is Valid." not in out, out
    assert out.count("Digest Mismatch") + out.count("Signature is Invalid") >= 2, out
