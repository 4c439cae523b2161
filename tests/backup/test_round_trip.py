"""A populated office backed up, then restored by ``vanban restore`` on an empty machine
(a new database — SQLite file or PostgreSQL database — and empty data and file folders):
every row of every table, every file's bytes and the audit chains come back as they were."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from tests.backup.helpers import every_row, files_under, fresh_database, fts_hits, next_ids
from vanban.backup import create_backup
from vanban.storage import key_for

pytestmark = pytest.mark.django_db


def vanban(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vanban.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_a_populated_office_comes_back_row_for_row_and_byte_for_byte(populated, tmp_path, settings):
    archive = tmp_path / "sao-luu.tar"
    report = create_backup(archive)
    assert report.outside == []  # every key file is in the data folder, so in the archive
    before = every_row()
    ids_before = next_ids()
    hits_before = fts_hits(connection, "sao luu")
    assert hits_before  # the indexed documents are found before the backup...

    restored_var, restored_files = tmp_path / "may-moi" / "var", tmp_path / "may-moi" / "files"
    with fresh_database(tmp_path) as target:
        env = {
            "DATABASE_URL": target.url,
            "VANBAN_VAR_DIR": str(restored_var),
            "VANBAN_FILES_DIR": str(restored_files),
            "SECRET_KEY": settings.SECRET_KEY,
        }
        done = vanban("restore", "--migrate", "--quiet", str(archive), env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Đã khôi phục bản sao lưu" in done.stdout and "Nhật ký toàn vẹn" in done.stdout
        assert "Lưu ý" not in done.stdout  # same SECRET_KEY, nothing left outside
        verified = vanban("audit", "verify", env=env)
        assert verified.returncode == 0 and "Nhật ký toàn vẹn" in verified.stdout, verified.stdout

        after = every_row(target.wrapper)
        # the key files now live in the new data folder, and the rows naming them say so
        # (the audit events that once named the old place are of course left as they were)
        moved = (str(populated.var), str(restored_var))
        expected = every_row(replace={"registry_signingkey": moved, "connector_hubaccount": moved})
        assert set(after) == set(expected)
        for table in expected:
            assert after[table] == expected[table], table
        assert sum(len(rows) for rows in after.values()) == sum(len(rows) for rows in before.values())
        assert fts_hits(target.wrapper, "sao luu") == hits_before  # ...and after the restore
        ids_after = next_ids(target.wrapper)
        assert {t: ids_after.get(t) for t in ids_before if ids_before[t]} == {t: n for t, n in ids_before.items() if n}

    assert files_under(restored_files) == files_under(Path(settings.FILES_DIR))
    assert files_under(restored_var / "pki") == files_under(populated.var / "pki")


def test_the_manifest_lists_every_file_with_its_digest_and_the_database_state(populated, tmp_path):
    archive = tmp_path / "sao-luu.tar"
    create_backup(archive)
    assert archive.stat().st_mode & 0o777 == 0o600  # every document and key file is in it
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["vanban_version"] and manifest["database"]["vendor"] == connection.vendor
    assert ["registry", "0001_initial"] in manifest["database"]["migrations"]
    tables = {t["table"]: t["rows"] for t in manifest["tables"]}
    assert tables["registry_outgoingdocument"] == 1 and tables["registry_incomingdocument"] == 1
    assert tables["audit_auditevent"] > 20
    namespaces = {f["namespace"] for f in manifest["files"]}
    assert namespaces == {"files", "connector", "hub"}
    for f in manifest["files"]:
        assert f"files/{f['namespace']}/{key_for(f['sha256'])}" in names and f["size"] > 0
    assert {Path(e["member"]).name for e in manifest["var_files"]} >= {"snv.p12", "minh.p12", "tuan.p12", "root.pem"}
    day, month, year = manifest["created_at_vi"].split(" ")[0].split("/")
    assert len(day) == 2 and len(month) == 2 and len(year) == 4
