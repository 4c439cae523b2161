"""``vanban backup`` while another process keeps writing (a unit and a stored file per
transaction, each unit with its audit event): the writer is never blocked or refused, and
the archive is one moment of the database — as many units as unit events, every file its
rows name, the chains whole."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.backup.helpers import fresh_database
from vanban.audit import AuditAction, verify_chain
from vanban.audit.models import AuditEvent
from vanban.backup import restore_backup
from vanban.directory.models import Unit
from vanban.registry.models import StoredFile

pytestmark = pytest.mark.django_db

WRITER = """
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
django.setup()
from django.db import transaction
from vanban.directory import services
from vanban.directory.models import Level
from vanban.registry.files import store

agency = services.create_agency(None, code="000.00.02.H99", name="Sở Nội vụ", level=Level.objects.get(code="tinh"))
print("ready", flush=True)
i = 0
while not os.path.exists(sys.argv[1]):
    with transaction.atomic():
        services.create_unit(None, agency, name=f"Phòng số {i}", suffix=f"P{i}")
        store(os.urandom(256) + str(i).encode(), f"tep-{i}.bin", "application/octet-stream")
    i += 1
    time.sleep(0.01)  # a busy office, not a benchmark: leave the backup its share of the CPU
print(i, flush=True)
"""


def _count(wrapper, table: str) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def test_a_backup_taken_while_another_process_writes_is_one_moment(tmp_path, settings):
    archive, stop = tmp_path / "dang-chay.tar", tmp_path / "dung"
    with fresh_database(tmp_path) as source:
        env = {
            **os.environ,
            "DATABASE_URL": source.url,
            "VANBAN_VAR_DIR": str(tmp_path / "nguon"),
            "VANBAN_LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--settings=vanban.settings", "-v", "0"],
            env=env,
            check=True,
            timeout=300,
        )
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(stop)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
            while _count(source.wrapper, "directory_unit") < 5:
                time.sleep(0.05)
            before = _count(source.wrapper, "directory_unit")
            done = subprocess.run(
                [sys.executable, "-m", "vanban.cli", "backup", "--quiet", str(archive)],
                env=env,
                capture_output=True,
                text=True,
                timeout=240,
            )
            after = _count(source.wrapper, "directory_unit")
        finally:
            stop.touch()
            out, err = writer.communicate(timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert writer.returncode == 0, err  # never "database is locked", never refused
        assert after > before  # the writer went on while the backup ran
        assert int(out.split()[-1]) >= after

    settings.FILES_DIR = tmp_path / "dich" / "files"
    settings.VAR_DIR = tmp_path / "dich" / "var"
    restore_backup(archive, force=True)
    units = Unit.objects.count()
    assert before <= units <= after
    assert AuditEvent.objects.filter(action=AuditAction.UNIT_CREATED).count() == units
    assert StoredFile.objects.count() == units
    assert all(f.read() for f in StoredFile.objects.all())  # every file the rows name, its digest checked
    assert verify_chain().ok
