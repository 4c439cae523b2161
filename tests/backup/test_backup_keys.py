"""A backup carries the key files sealed, never the key-encryption key that opens them."""

from __future__ import annotations

import tarfile

import pytest

from vanban.backup import create_backup
from vanban.keystore import current_kek, write_key
from vanban.registry.setup import register_key_file
from vanban.secretbox import is_sealed

pytestmark = pytest.mark.django_db


def test_the_backup_holds_sealed_key_files_and_not_the_kek_file(personas, registry_pki, var_dir, settings, tmp_path):
    settings.VANBAN_KEY_ENCRYPTION_KEY = ""
    settings.VANBAN_KEY_ENCRYPTION_KEY_FILE = ""
    kek = current_kek()  # generated into the data folder
    kek_file = var_dir / "key-encryption-key"
    p12, pem = registry_pki.files["snv"]
    key = write_key(var_dir / "pki" / "keys" / "snv.p12", p12.read_bytes())
    register_key_file(personas.so_noi_vu, key, pem)
    # even a row naming the KEK file itself does not bring it into the archive
    register_key_file(personas.minh, kek_file, registry_pki.files["minh"][1])

    report = create_backup(tmp_path / "sao-luu.tar", progress=None)

    with tarfile.open(report.path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    kek_text = kek_file.read_bytes().strip()
    assert not [name for name, data in members.items() if kek_text in data or name.endswith("key-encryption-key")]
    assert is_sealed(members["var/pki/keys/snv.p12"])
    assert kek.id.encode() in members["var/pki/keys/snv.p12"]
