"""The PostgreSQL run really runs on PostgreSQL, with the migrations and the reference
data in place (CI fails if this is skipped)."""

import os

import pytest
from django.db import connection

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="set DATABASE_URL=postgresql://... to run on PostgreSQL")
def test_postgres_run_uses_postgres_with_reference_data():
    from vanban.directory.models import DocumentType

    assert connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        assert int(cur.fetchone()[0].split(".")[0]) >= 13
    assert DocumentType.objects.filter(code="cong-van", abbreviation="").exists()


@pytest.mark.sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_with_foreign_keys_and_immediate_transactions():
    from django.conf import settings

    assert connection.vendor == "sqlite"
    with connection.cursor() as cur:
        cur.execute("PRAGMA foreign_keys")
        assert cur.fetchone()[0] == 1
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
