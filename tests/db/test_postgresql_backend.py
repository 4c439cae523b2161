"""vanban.db.postgresql: the health check is skipped for a connection that served a
request a moment ago, and still catches a dead connection after a pause."""

import os
import time

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, connections

from vanban.db.postgresql import base

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="set DATABASE_URL=postgresql://... to run on PostgreSQL"),
]


@pytest.fixture
def persistent(settings):
    """Connections kept between requests, with health checks, as a hub runs."""
    connection.close()
    old = (connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"])
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = 60, True
    yield
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = old
    connection.close()


def _request(sql: str = "SELECT 1") -> int:
    request_started.send(sender=None)
    try:
        with connection.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]
    finally:
        request_finished.send(sender=None)


def _kill_backend() -> None:
    """End the server process behind the connection, from another connection (as a
    restart of PostgreSQL would)."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_the_engine_is_vanbans_own():
    assert isinstance(connections["default"], base.DatabaseWrapper)


def test_after_a_pause_a_dead_connection_is_replaced_before_the_request_uses_it(persistent, monkeypatch):
    monkeypatch.setattr(base, "RECENT_SECONDS", 0.2)
    _request()
    _kill_backend()
    time.sleep(0.3)
    assert _request("SELECT 42") == 42  # the health check found it dead and reconnected


def test_right_after_a_request_no_check_is_made_and_a_dead_connection_fails_once(persistent, monkeypatch):
    monkeypatch.setattr(base, "RECENT_SECONDS", 60)
    _request()
    _kill_backend()
    with pytest.raises(OperationalError):
        _request()
    assert _request("SELECT 7") == 7  # the broken connection was closed at the end of the failed request


def _prepared() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return [r[0] for r in cur.fetchall()]


def test_a_per_package_statement_run_a_few_times_is_prepared_for_the_connection():
    """vanban.fastsql's statements (the hub's fetch and ack run one per request) are parsed
    and planned once per connection, not on every run; Django's own queries never are."""
    from vanban import fastsql
    from vanban.exchange.models import Package

    for _ in range(base.PREPARE_THRESHOLD + 1):
        with fastsql.cursor() as cur:
            cur.execute("SELECT count(*) + %s FROM exchange_package", [0])
            assert cur.fetchone()[0] == 0
        assert Package.objects.filter(sender_code="000.00.00.H99").count() == 0
    prepared = _prepared()
    assert any("count(*) + $1 FROM exchange_package" in s for s in prepared), prepared
    assert not any("000.00.00.H99" in s or "sender_code" in s for s in prepared), prepared


def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    assert connection.get_connection_params()["prepare_threshold"] == base.PREPARE_THRESHOLD
    monkeypatch.setenv("VANBAN_DB_PREPARE", "0")
    assert connection.get_connection_params()["prepare_threshold"] is None
