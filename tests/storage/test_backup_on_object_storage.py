"""Backups with the files in an S3 bucket (SeaweedFS): ``vanban backup`` reads them from the
bucket through the store's interface, and a restore puts them back into another bucket
corner, byte for byte."""

from __future__ import annotations

import uuid

import pytest

from tests.backup.conftest import key_files_in
from vanban.backup import create_backup, restore_backup
from vanban.registry.models import SigningKey
from vanban.registry.setup import register_key_file
from vanban.signing import make_seal_image
from vanban.storage import key_for

pytestmark = pytest.mark.django_db


def _on_bucket(settings, s3_server) -> str:
    location = f"sao-luu-{uuid.uuid4().hex[:12]}"
    settings.VANBAN_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "vanban": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_server.options(location)},
    }
    return location


def test_files_in_a_bucket_are_backed_up_and_restored_into_another(
    personas, registry_pki, s3_server, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    first = _on_bucket(settings, s3_server)
    keys = key_files_in(tmp_path / "var", registry_pki, names=("snv",))
    seal = make_seal_image("Sở Nội vụ")
    register_key_file(personas.so_noi_vu, keys["snv"][0], keys["snv"][1], seal)
    sha = SigningKey.objects.get(agency=personas.so_noi_vu).image.sha256
    assert s3_server.keys(f"{first}/files/") == [f"{first}/files/{key_for(sha)}"]

    report = create_backup(tmp_path / "sao-luu")
    assert (tmp_path / "sao-luu" / "files" / "files" / key_for(sha)).read_bytes() == seal
    assert report.manifest["storage"] == "s3"

    second = _on_bucket(settings, s3_server)
    restore_backup(tmp_path / "sao-luu", force=True)
    assert s3_server.keys(f"{second}/files/") == [f"{second}/files/{key_for(sha)}"]
    got = s3_server.client.get_object(Bucket=s3_server.bucket, Key=f"{second}/files/{key_for(sha)}")
    assert got["Body"].read() == seal
