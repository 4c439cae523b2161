"""``vanban keys status|encrypt|rotate|generate-kek`` on the key files the server keeps."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from vanban.cli import main
from vanban.keystore import read_key, write_key
from vanban.registry.setup import register_key_file
from vanban.secretbox import SecretBoxError, generate_kek_text, is_sealed, kek_from_file, kek_from_text, sealed_kek_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_umask():
    """``main`` sets the process umask to 077; the rest of the session keeps its own."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def kek(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    text = generate_kek_text()
    settings.VANBAN_KEY_ENCRYPTION_KEY = text
    settings.VANBAN_KEY_ENCRYPTION_KEY_FILE = ""
    return kek_from_text(text)


@pytest.fixture
def kept(personas, registry_pki, kek, tmp_path):
    """Three key files the server keeps: one plain and readable by all (an older install),
    two sealed."""
    keys = tmp_path / "keys"
    keys.mkdir()
    plain = keys / "snv.p12"
    plain.write_bytes(registry_pki.files["snv"][0].read_bytes())
    plain.chmod(0o644)
    register_key_file(personas.so_noi_vu, plain, registry_pki.files["snv"][1])
    out = {"snv": plain}
    for name in ("minh", "tuan"):
        p12, pem = registry_pki.files[name]
        out[name] = write_key(keys / f"{name}.p12", p12.read_bytes())
        register_key_file(getattr(personas, name), out[name], pem)
    return out


def test_status_names_the_plain_and_readable_file_and_fails(kept, kek, capsys):
    assert main(["keys", "status"]) == 1
    out = capsys.readouterr().out
    assert f"mã {kek.id}" in out
    assert f"{kept['snv']}: CHƯA MÃ HÓA, người dùng khác đọc được" in out
    assert f"{kept['minh']}: đã mã hóa (KEK {kek.id})" in out
    assert "3 tệp khóa, 2 đã mã hóa bằng KEK hiện tại, 1 cần xử lý" in out


def test_encrypt_seals_the_plain_file_private_and_status_is_then_clean(kept, kek, registry_pki, capsys):
    assert main(["keys", "encrypt"]) == 0
    assert "Đã mã hóa 1 tệp khóa" in capsys.readouterr().out
    data = kept["snv"].read_bytes()
    assert is_sealed(data) and sealed_kek_id(data) == kek.id
    assert stat.S_IMODE(kept["snv"].stat().st_mode) == 0o600
    assert read_key(kept["snv"]) == registry_pki.files["snv"][0].read_bytes()
    assert main(["keys", "status"]) == 0
    assert "0 cần xử lý" in capsys.readouterr().out


def test_rotate_leaves_every_key_loadable_under_the_new_kek_and_none_under_the_old(
    kept, kek, registry_pki, monkeypatch, capsys, settings
):
    new_text = generate_kek_text()
    monkeypatch.setenv("VANBAN_NEW_KEY_ENCRYPTION_KEY", new_text)
    assert main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out
    new = kek_from_text(new_text)
    assert f"sang KEK {new.id}: 3 tệp mã hóa lại, 0 tệp đã dùng KEK mới từ trước" in out
    for name, path in kept.items():
        assert read_key(path, new) == registry_pki.files[name][0].read_bytes()
        with pytest.raises(SecretBoxError) as caught:
            read_key(path, kek)
        assert caught.value.code == "kek_wrong"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # run again (an interrupted rotation resumes): nothing left to do
    assert main(["keys", "rotate"]) == 0
    assert "0 tệp mã hóa lại, 3 tệp đã dùng KEK mới từ trước" in capsys.readouterr().out
    settings.VANBAN_KEY_ENCRYPTION_KEY = new_text
    assert main(["keys", "status"]) == 0


def test_rotate_install_replaces_the_default_kek_file(personas, registry_pki, settings, monkeypatch, capsys, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VANBAN_KEY_ENCRYPTION_KEY = ""  # the default: generated into the data folder
    settings.VANBAN_KEY_ENCRYPTION_KEY_FILE = ""
    p12, pem = registry_pki.files["minh"]
    path = write_key(tmp_path / "minh.p12", p12.read_bytes())
    register_key_file(personas.minh, path, pem)
    default = tmp_path / "var" / "key-encryption-key"
    old = kek_from_file(default)
    new_text = generate_kek_text()
    monkeypatch.setenv("VANBAN_NEW_KEY_ENCRYPTION_KEY", new_text)
    assert main(["keys", "rotate", "--install"]) == 0
    assert f"Đã ghi KEK mới vào {default}" in capsys.readouterr().out
    installed = kek_from_file(default)
    assert installed.id == kek_from_text(new_text).id != old.id
    assert stat.S_IMODE(default.stat().st_mode) == 0o600
    assert read_key(path, installed) == p12.read_bytes()


def test_rotate_without_a_new_kek_is_one_clear_line(kept, monkeypatch, capsys):
    monkeypatch.delenv("VANBAN_NEW_KEY_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("VANBAN_NEW_KEY_ENCRYPTION_KEY_FILE", raising=False)
    assert main(["keys", "rotate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Chưa có khóa KEK mới") and "[kek_missing]" in err
    assert "Traceback" not in err


def test_a_wrong_kek_makes_status_and_rotate_say_so_without_a_traceback(kept, settings, monkeypatch, capsys):
    settings.VANBAN_KEY_ENCRYPTION_KEY = generate_kek_text()
    monkeypatch.setenv("VANBAN_NEW_KEY_ENCRYPTION_KEY", generate_kek_text())
    assert main(["keys", "status"]) == 1
    assert "mã hóa bằng KEK khác" in capsys.readouterr().out
    assert main(["keys", "rotate"]) == 1
    err = capsys.readouterr().err
    assert "[kek_wrong]" in err and "không phải khóa KEK đang dùng" in err and "Traceback" not in err


def test_generate_kek_prints_32_random_bytes_in_base64(capsys):
    assert main(["keys", "generate-kek"]) == 0
    first = capsys.readouterr().out.strip()
    assert len(base64.b64decode(first, validate=True)) == 32
    main(["keys", "generate-kek"])
    assert capsys.readouterr().out.strip() != first


def test_the_cli_makes_what_it_writes_private(kept, capsys, tmp_path):
    os.umask(0o022)
    main(["keys", "generate-kek"])
    probe = tmp_path / "after-cli"
    probe.write_text("x")
    probe_dir = tmp_path / "dir-after-cli"
    probe_dir.mkdir()
    assert stat.S_IMODE(probe.stat().st_mode) == 0o600
    assert stat.S_IMODE(probe_dir.stat().st_mode) == 0o700
    assert Path(probe).exists()


def test_sign_and_pki_commands_open_a_key_file_sealed_by_the_server(kek, tmp_path, capsys):
    """An operator may point ``vanban sign`` or ``vanban pki issue`` at the demo's files."""
    from vanban.keystore import current_kek
    from vanban.secretbox import open_sealed, seal
    from vanban.signing import TestPKI, make_sample_pdf, validate_pdf
    from vanban.signing.validation import load_trust_roots

    ca = tmp_path / "pki"
    pki = TestPKI.create(ca, protect=lambda b: seal(b, current_kek()))
    assert is_sealed((ca / "root-key.pem").read_bytes())
    assert TestPKI.load(ca, unprotect=lambda b: open_sealed(b, current_kek())).root.cert == pki.root.cert
    out = tmp_path / "snv.p12"
    code = main(["pki", "issue", str(ca), "--agency", "000.00.02.H99", "--name", "Sở Nội vụ", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    sealed_key = write_key(tmp_path / "kept" / "snv.p12", out.read_bytes())
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(make_sample_pdf().pdf)
    signed = tmp_path / "out.pdf"
    code = main(["sign", "pdf", str(pdf), "-o", str(signed), "--key", str(sealed_key), "--seal"])
    assert code == 0, capsys.readouterr().err
    result = validate_pdf(signed.read_bytes(), load_trust_roots([ca / "root.pem"]))
    assert result.valid, result.report_vi()
