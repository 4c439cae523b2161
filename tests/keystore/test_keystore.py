"""Key files kept by the server, sealed with the KEK of the settings: signing still works
end to end, a wrong KEK is refused with a clear message, the database file is private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.db import connection, connections
from django.db.utils import load_backend

from vanban.directory.models import DocumentType
from vanban.keystore import current_kek, read_key, write_key
from vanban.registry import services
from vanban.registry.errors import SigningFailed
from vanban.registry.services import DraftData, RecipientData
from vanban.registry.setup import ensure_registers, register_key_file
from vanban.secretbox import generate_kek_text, is_sealed
from vanban.signing import load_trust_roots, make_seal_image, make_signature_image, validate_pdf

pytestmark = pytest.mark.django_db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def kek_settings(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VANBAN_KEY_ENCRYPTION_KEY = generate_kek_text()
    settings.VANBAN_KEY_ENCRYPTION_KEY_FILE = ""
    return settings


@pytest.fixture
def sealed_office(personas, registry_pki, kek_settings, tmp_path):
    """Sở Nội vụ with its seal and its people's keys kept sealed by the server."""
    kek_settings.VANBAN_TRUST_ROOTS = str(registry_pki.root_pem)
    keys = tmp_path / "keys"
    for agency in (personas.so_noi_vu, personas.so_khcn):
        ensure_registers(agency)
    p12, pem = registry_pki.files["snv"]
    path = write_key(keys / "snv.p12", p12.read_bytes())
    register_key_file(personas.so_noi_vu, path, pem, make_seal_image("Sở Nội vụ"))
    for key in ("minh", "tuan"):
        p12, pem = registry_pki.files[key]
        person = getattr(personas, key)
        register_key_file(person, write_key(keys / f"{key}.p12", p12.read_bytes()), pem, make_signature_image(key))
    return personas


def draft(office, sample_pdf):
    data = DraftData(
        subject="V/v khóa ký số được mã hóa khi lưu",
        document_type=DocumentType.objects.get(code="cong-van"),
        signer=office.minh,
        main_file=sample_pdf,
        main_file_name="du-thao.pdf",
        competence="",
        recipients=[RecipientData(unit_id=office.lan.unit.pk)],
    )
    doc = services.create_draft(office.tuan.user, data)
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    return doc


def test_a_key_file_written_by_the_system_is_sealed_private_and_not_pkcs12(kek_settings, registry_pki, tmp_path):
    p12, _ = registry_pki.files["minh"]
    path = write_key(tmp_path / "new" / "minh.p12", p12.read_bytes())
    data = path.read_bytes()
    assert is_sealed(data)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, None)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert read_key(path) == p12.read_bytes()


def test_signing_and_sealing_work_end_to_end_with_sealed_keys(sealed_office, sample_pdf, registry_pki):
    doc = draft(sealed_office, sample_pdf)
    services.sign_document(sealed_office.minh.user, doc)
    services.number_document(sealed_office.lan.user, doc)
    services.seal_document(sealed_office.lan.user, doc)
    doc.refresh_from_db()
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([registry_pki.root_pem]))
    assert result.valid, result.report_vi()
    assert [s.kind for s in result.signatures] == ["person", "agency"]


def test_a_wrong_kek_is_refused_with_a_vietnamese_message(sealed_office, sample_pdf, kek_settings):
    doc = draft(sealed_office, sample_pdf)
    kek_settings.VANBAN_KEY_ENCRYPTION_KEY = generate_kek_text()
    with pytest.raises(SigningFailed) as caught:
        services.sign_document(sealed_office.minh.user, doc)
    assert caught.value.code == "kek_wrong"
    assert "VANBAN_KEY_ENCRYPTION_KEY" in caught.value.message_vi
    assert "được mã hóa bằng khóa KEK" in caught.value.message_vi
    doc.refresh_from_db()
    assert doc.state != "da-ky"


def test_a_plain_key_file_of_an_older_install_still_signs(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.sign_document(office.minh.user, doc)
    doc.refresh_from_db()
    assert doc.signed_file is not None


def test_without_configuration_a_kek_is_generated_privately_in_the_data_folder(settings, tmp_path, caplog):
    settings.VAR_DIR = tmp_path / "var"
    settings.VANBAN_KEY_ENCRYPTION_KEY = ""
    settings.VANBAN_KEY_ENCRYPTION_KEY_FILE = ""
    with caplog.at_level("WARNING", logger="vanban.keystore"):
        kek = current_kek()
    path = tmp_path / "var" / "key-encryption-key"
    assert mode(path) == 0o600
    assert kek.id in caplog.text and path.read_text().strip() not in caplog.text
    assert current_kek().id == kek.id


def test_the_kek_may_come_from_a_secret_file(settings, tmp_path):
    secret = tmp_path / "kek"
    secret.write_text(generate_kek_text() + "\n")
    settings.VANBAN_KEY_ENCRYPTION_KEY = ""
    settings.VANBAN_KEY_ENCRYPTION_KEY_FILE = str(secret)
    other = tmp_path / "other-var"
    settings.VAR_DIR = other
    current_kek()
    assert not (other / "key-encryption-key").exists()


def test_the_sqlite_database_file_is_private_even_when_an_older_install_made_it_readable(tmp_path):
    path = tmp_path / "data" / "vanban.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"")
    path.chmod(0o644)
    config = {**connection.settings_dict, "ENGINE": "vanban.db.sqlite3", "NAME": str(path), "OPTIONS": {}}
    wrapper = load_backend("vanban.db.sqlite3").DatabaseWrapper(config, "k")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE t (x)")
    finally:
        wrapper.close()
    assert mode(path) == 0o600
    wrapper.connect()
    wrapper.close()
    for companion in path.parent.iterdir():
        assert mode(companion) & 0o077 == 0, f"{companion.name} is readable by others"


def test_the_default_database_is_opened_by_the_private_backend():
    default = connections["default"]
    if default.vendor == "sqlite":
        default.ensure_connection()
        assert type(default).__module__ == "vanban.db.sqlite3.base"
        assert mode(Path(default.settings_dict["NAME"])) & 0o077 == 0
