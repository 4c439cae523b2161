"""Signers: key files (PKCS#12, PEM) and a PKCS#11 token (SoftHSM2: RSA and ECDSA keys)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from vanban.signing import KeyFileSigner, PKCS11Signer, SigningError, seal_pdf, sign_pdf, validate_pdf

SOFTHSM_MODULE = os.environ.get("VANBAN_TEST_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
PIN = "123456"
TOKEN = "vanban-thu-nghiem"


def test_pkcs12_file_signer(tmp_path: Path, sample, chairman, roots) -> None:
    p12 = chairman.write_pkcs12(tmp_path / "an.p12")
    out = sign_pdf(sample.pdf, KeyFileSigner.from_file(p12))
    assert validate_pdf(out, roots).valid


def test_pem_file_signer(tmp_path: Path, sample, vice_chair, roots) -> None:
    (tmp_path / "key.pem").write_bytes(vice_chair.key_pem())
    (tmp_path / "cert.pem").write_bytes(
        vice_chair.cert_pem() + vice_chair.chain[0].public_bytes(serialization.Encoding.PEM)
    )
    signer = KeyFileSigner.from_pem(tmp_path / "key.pem", tmp_path / "cert.pem")
    assert signer.chain == vice_chair.chain
    assert validate_pdf(sign_pdf(sample.pdf, signer), roots).valid


@pytest.fixture(scope="module")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory, chairman, dept, pki) -> Iterator[str]:
    """A SoftHSM2 token holding the chairman's RSA key and the department's EC seal key."""
    util, tool = shutil.which("softhsm2-util"), shutil.which("pkcs11-tool")
    if util is None or not os.path.exists(SOFTHSM_MODULE):
        pytest.skip("softhsm2 is not installed (Debian package softhsm2)")
    if tool is None:
        pytest.skip("pkcs11-tool is not installed (Debian package opensc)")
    d = tmp_path_factory.mktemp("softhsm")
    (d / "tokens").mkdir()
    conf = d / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {d / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, env=env, timeout=60)

    run(util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "654321")
    for ident, label, key_id in ((chairman, "chu-tich", "01"), (dept, "dau-so-noi-vu", "02")):
        key_file = d / f"{label}.key.pem"
        key_file.write_bytes(ident.key_pem())
        run(util, "--import", str(key_file), "--token", TOKEN, "--label", label, "--id", key_id, "--pin", PIN)
        cert_file = d / f"{label}.crt.der"
        cert_file.write_bytes(ident.cert.public_bytes(serialization.Encoding.DER))
        run(
            tool,
            "--module",
            SOFTHSM_MODULE,
            "--token-label",
            TOKEN,
            "--login",
            "--pin",
            PIN,
            "--write-object",
            str(cert_file),
            "--type",
            "cert",
            "--label",
            label,
            "--id",
            key_id,
        )
    root_file = d / "root.der"
    root_file.write_bytes(pki.root_cert.public_bytes(serialization.Encoding.DER))
    run(
        tool,
        "--module",
        SOFTHSM_MODULE,
        "--token-label",
        TOKEN,
        "--login",
        "--pin",
        PIN,
        "--write-object",
        str(root_file),
        "--type",
        "cert",
        "--label",
        "root",
        "--id",
        "ff",
    )
    yield TOKEN
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


def test_pkcs11_rsa_sign_and_ec_seal_on_softhsm(softhsm_token, sample, signature_png, seal_png, roots) -> None:
    with PKCS11Signer(SOFTHSM_MODULE, softhsm_token, "chu-tich", PIN) as signer:
        assert signer.chain and signer.chain[0].subject == roots[0].subject  # found on token
        out = sign_pdf(sample.pdf, signer, image=signature_png, box=sample.signature_box)
    with PKCS11Signer(SOFTHSM_MODULE, softhsm_token, "dau-so-noi-vu", PIN) as sealer:
        out = seal_pdf(out, sealer, seal_image=seal_png)
    result = validate_pdf(out, roots)
    assert result.verdict == "valid", result.report_vi()
    assert [c.signer_name for c in result.signatures] == ["Nguyễn Văn An", "Sở Nội vụ tỉnh Thử Nghiệm"]


def test_pkcs11_wrong_pin_and_missing_token_are_clear(softhsm_token) -> None:
    with pytest.raises(SigningError) as err:
        PKCS11Signer(SOFTHSM_MODULE, softhsm_token, "chu-tich", "000000")
    assert err.value.code == "pkcs11_login"
    with pytest.raises(SigningError) as err:
        PKCS11Signer(SOFTHSM_MODULE, "khong-co-token", "chu-tich", PIN)
    assert err.value.code == "pkcs11_token_missing"
    with pytest.raises(SigningError) as err:
        PKCS11Signer(SOFTHSM_MODULE, softhsm_token, "khong-co-khoa", PIN)
    assert err.value.code == "pkcs11_key_missing"


def test_pkcs11_bad_module_path() -> None:
    with pytest.raises(SigningError) as err:
        PKCS11Signer("/nonexistent/libpkcs11.so", TOKEN, "x", PIN)
    assert err.value.code == "pkcs11_module"
