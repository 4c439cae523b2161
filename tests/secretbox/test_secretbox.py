"""Sealed files, KEKs and private files (pure: no Django)."""

from __future__ import annotations

import base64
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.serialization import load_pem_private_key, pkcs12

from vanban.secretbox import (
    KEK,
    SecretBoxError,
    derive_key,
    generate_kek_text,
    is_sealed,
    kek_from_text,
    load_or_create_kek,
    open_sealed,
    seal,
    seal_text,
    sealed_kek_id,
    unseal_text,
    write_private,
)
from vanban.signing import TestPKI

NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def p12() -> bytes:
    pki = TestPKI.create(now=NOW)
    return pki.issue_agency("000.00.02.H99", "Sở Nội vụ").to_pkcs12()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_sealed_key_file_is_not_pkcs12_and_opens_with_its_kek(p12):
    kek = kek_from_text(generate_kek_text())
    sealed = seal(p12, kek)
    assert is_sealed(sealed) and sealed_kek_id(sealed) == kek.id
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(sealed, None)
    assert open_sealed(sealed, kek) == p12
    key, cert, _ = pkcs12.load_key_and_certificates(open_sealed(sealed, kek), None)
    assert key is not None and cert is not None


def test_a_sealed_pem_key_does_not_read_as_pem():
    pki = TestPKI.create(now=NOW)
    kek = kek_from_text(generate_kek_text())
    sealed = seal(pki.root.key_pem(), kek)
    assert b"PRIVATE KEY" not in sealed
    with pytest.raises(ValueError):
        load_pem_private_key(sealed, None)


def test_the_wrong_kek_gives_a_vietnamese_error_naming_both_ids(p12):
    right, wrong = kek_from_text(generate_kek_text()), kek_from_text(generate_kek_text())
    with pytest.raises(SecretBoxError) as caught:
        open_sealed(seal(p12, right), wrong, name="var/pki/keys/a.p12")
    assert caught.value.code == "kek_wrong"
    assert "không phải khóa KEK đang dùng" in caught.value.message_vi
    assert right.id in caught.value.message_vi and wrong.id in caught.value.message_vi


def test_an_altered_file_or_header_is_refused(p12):
    kek = kek_from_text(generate_kek_text())
    sealed = bytearray(seal(p12, kek))
    sealed[-1] ^= 1
    with pytest.raises(SecretBoxError) as caught:
        open_sealed(bytes(sealed), kek)
    assert caught.value.code == "sealed_damaged"


def test_a_plain_file_of_an_older_install_still_loads_unless_refused(p12):
    kek = kek_from_text(generate_kek_text())
    assert open_sealed(p12, kek) == p12
    with pytest.raises(SecretBoxError) as caught:
        open_sealed(p12, kek, allow_plain=False)
    assert caught.value.code == "sealed_plain"


def test_a_kek_must_be_base64_of_32_bytes():
    with pytest.raises(SecretBoxError) as caught:
        kek_from_text("không phải base64")
    assert caught.value.code == "kek_invalid"
    with pytest.raises(SecretBoxError) as short:
        kek_from_text(base64.b64encode(b"x" * 16).decode())
    assert short.value.code == "kek_invalid" and "32 byte" in short.value.message_vi


def test_the_kek_is_never_in_its_repr():
    kek = kek_from_text(generate_kek_text(), "test")
    assert base64.b64encode(kek.key).decode() not in repr(kek)
    assert kek.key.hex() not in repr(kek)


def test_the_default_kek_is_generated_once_into_a_private_file(tmp_path):
    path = tmp_path / "var" / "key-encryption-key"
    first, created = load_or_create_kek(path)
    again, created_again = load_or_create_kek(path)
    assert created and not created_again
    assert first.id == again.id
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_write_private_is_0600_replaces_atomically_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "k.p12"
    out.write_bytes(b"old")
    out.chmod(0o644)
    write_private(out, b"new")
    assert out.read_bytes() == b"new" and mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["k.p12"]


def test_short_secrets_are_sealed_with_aes_gcm_and_old_fernet_tokens_still_open():
    key = derive_key("a passphrase", b"vanban.test")
    token = seal_text("bí mật", key)
    assert token.startswith("v2:") and "bí mật" not in token
    assert unseal_text(token, key) == "bí mật"
    assert unseal_text(token, derive_key("another", b"vanban.test")) is None
    assert unseal_text(token, derive_key("a passphrase", b"vanban.other-use")) is None
    old = Fernet(base64.urlsafe_b64encode(key)).encrypt("mã cũ".encode()).decode()
    assert unseal_text(old, key) == "mã cũ"


def test_kek_ids_differ_per_key():
    assert KEK(b"a" * 32).id != KEK(b"b" * 32).id
    assert len(KEK(b"a" * 32).id) == 16


def _kek_id_from(path: str) -> str:
    return load_or_create_kek(path)[0].id


def test_processes_starting_together_agree_on_one_generated_kek(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "var" / "key-encryption-key")
    with ProcessPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(_kek_id_from, [path] * 8))
    assert len(set(ids)) == 1
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["key-encryption-key"]
