"""SoftHSM2 tokens for the tests that sign with a USB token (the PKCS#11 signer, the local
signing agent): a token initialised in a folder of its own, holding the given keys and
certificates and the CA's certificate, as a CA's USB token holds them."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from vanban.signing.pki import IssuedCertificate

__all__ = ["SOFTHSM_MODULE", "softhsm_token"]

SOFTHSM_MODULE = os.environ.get("VANBAN_TEST_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")


def _forget_library() -> None:
    """SoftHSM2 reads SOFTHSM2_CONF when the library is initialised, once per process:
    finalise it so the next use (python-pkcs11 initialises again) sees the current folder."""
    import pkcs11

    lib = getattr(pkcs11, "_loaded", {}).get(SOFTHSM_MODULE)
    if lib is not None and lib.initialized:
        lib.finalize()


@contextmanager
def softhsm_token(
    folder: Path,
    label: str,
    pin: str,
    keys: list[tuple[IssuedCertificate, str]],
    ca: x509.Certificate | None = None,
) -> Iterator[str]:
    """A token labelled ``label`` with each (identity, key label), SOFTHSM2_CONF set while open;
    skips the test when SoftHSM2 or pkcs11-tool (opensc) is not installed."""
    util, tool = shutil.which("softhsm2-util"), shutil.which("pkcs11-tool")
    if util is None or not os.path.exists(SOFTHSM_MODULE):
        pytest.skip("softhsm2 is not installed (Debian package softhsm2)")
    if tool is None:
        pytest.skip("pkcs11-tool is not installed (Debian package opensc)")
    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _forget_library()

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, env=dict(os.environ), timeout=60)

    def write_cert(cert: x509.Certificate, cert_label: str, key_id: str) -> None:
        path = folder / f"{cert_label}.crt.der"
        path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
        run(
            tool, "--module", SOFTHSM_MODULE, "--token-label", label, "--login", "--pin", pin,
            "--write-object", str(path), "--type", "cert", "--label", cert_label, "--id", key_id,
        )  # fmt: skip

    try:
        run(util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "654321")
        for n, (ident, key_label) in enumerate(keys, start=1):
            key_id = f"{n:02x}"
            key_file = folder / f"{key_label}.key.pem"
            key_file.write_bytes(ident.key_pem())
            run(util, "--import", str(key_file), "--token", label, "--label", key_label, "--id", key_id, "--pin", pin)
            key_file.unlink()
            write_cert(ident.cert, key_label, key_id)
        if ca is not None:
            write_cert(ca, "root", "ff")
        yield label
    finally:
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old
        _forget_library()
