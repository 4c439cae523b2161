"""Which store each namespace gets from the settings (``VANBAN_STORAGE``), the environment
that builds the S3 settings, and the registry's files through the same interface."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from vanban import storage
from vanban.storage import LocalStore, ObjectStore, key_for

PDF = b"%PDF-1.7\n% Quyet dinh so 45/QD-UBND\n%%EOF\n"


@pytest.fixture
def on_s3(settings, s3_server):
    """Settings as ``VANBAN_STORAGE=s3`` gives them, in a corner of the bucket of its own."""
    location = f"t-{uuid.uuid4().hex[:12]}"
    settings.VANBAN_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "vanban": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_server.options(location)},
    }
    return location


def test_by_default_every_namespace_is_a_folder_under_files_dir(settings, tmp_path):
    settings.FILES_DIR = tmp_path
    hub, connector, files = storage.store("hub"), storage.store("connector"), storage.store("files")
    assert isinstance(hub, LocalStore) and hub.root == tmp_path / "hub"
    assert isinstance(connector, LocalStore) and connector.root == tmp_path / "connector"
    assert isinstance(files, LocalStore) and files.root == tmp_path / "cas"  # where registry files always were
    sha = hub.put(b"goi tin")
    assert (tmp_path / "hub" / key_for(sha)).read_bytes() == b"goi tin"


def test_an_unknown_namespace_or_backend_is_refused(settings):
    with pytest.raises(ValueError):
        storage.store("tmp")
    settings.VANBAN_STORAGE = "ftp"
    with pytest.raises(ImproperlyConfigured):
        storage.store("hub")


def test_registry_files_on_local_disk_keep_their_old_place(settings, tmp_path):
    settings.FILES_DIR = tmp_path
    sha = storage.put_bytes(PDF)
    assert (tmp_path / "cas" / sha[:2] / sha[2:4] / sha).read_bytes() == PDF
    assert storage.exists(sha) and storage.get_bytes(sha) == PDF


def test_with_s3_every_namespace_is_a_prefix_of_the_bucket(on_s3, s3_server, settings, tmp_path):
    settings.FILES_DIR = tmp_path
    hub = storage.store("hub")
    assert isinstance(hub, ObjectStore)
    sha = storage.put_bytes(PDF)
    connector_sha = storage.store("connector").put(b"goi tin da nhan")
    assert s3_server.keys(on_s3) == sorted(
        [f"{on_s3}/files/{key_for(sha)}", f"{on_s3}/connector/{key_for(connector_sha)}"]
    )
    assert storage.get_bytes(sha) == PDF and storage.exists(sha)
    assert not hub.exists(sha)  # namespaces do not see each other
    assert list(tmp_path.iterdir()) == []  # nothing on local disk


@pytest.mark.django_db
def test_a_registry_file_on_s3_is_read_back_through_its_row(on_s3, s3_server):
    from vanban.registry import files

    row = files.store(PDF, "quyet-dinh-45.pdf", "application/pdf")
    assert row.sha256 == hashlib.sha256(PDF).hexdigest() and row.size == len(PDF)
    assert s3_server.keys(f"{on_s3}/files/") == [f"{on_s3}/files/{key_for(row.sha256)}"]
    assert row.read() == PDF


def test_the_connectors_packages_live_in_the_bucket(on_s3, s3_server):
    from vanban.connector import storage as connector_storage

    sha = connector_storage.store(b"goi tin")
    assert connector_storage.load(sha) == b"goi tin" and connector_storage.exists(sha)
    assert s3_server.keys(f"{on_s3}/connector/") == [f"{on_s3}/connector/{key_for(sha)}"]
    connector_storage.remove(sha)
    assert not connector_storage.exists(sha)


def test_the_s3_settings_come_from_the_environment_with_secrets_from_files(monkeypatch, tmp_path):
    from vanban import settings as vanban_settings

    secret = tmp_path / "s3-secret"
    secret.write_text("khoa-bi-mat\n")
    for name, value in {
        "VANBAN_S3_BUCKET": "vanban-tinh",
        "VANBAN_S3_ENDPOINT_URL": "https://s3.tinh.gov.vn",
        "VANBAN_S3_ACCESS_KEY": "vanban",
        "VANBAN_S3_SECRET_KEY_FILE": str(secret),
        "VANBAN_S3_REGION": "vn-north-1",
        "VANBAN_S3_PREFIX": "/truc/",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("VANBAN_S3_SECRET_KEY", raising=False)
    config = vanban_settings._s3_storage()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "vanban-tinh",
        "https://s3.tinh.gov.vn",
        "vn-north-1",
    )
    assert (options["access_key"], options["secret_key"], options["location"]) == ("vanban", "khoa-bi-mat", "truc")
    assert options["addressing_style"] == "path" and options["file_overwrite"] is True
    monkeypatch.delenv("VANBAN_S3_BUCKET")
    with pytest.raises(ImproperlyConfigured):
        vanban_settings._s3_storage()
