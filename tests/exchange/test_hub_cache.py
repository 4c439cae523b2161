"""The hub's short-lived request caches (credentials, routing, agency resolutions) and the
duplicate found by the unique key alone.

Tests run inside a transaction, where the caches are bypassed by design; ``outside`` makes
the cache believe the connection is not in one, to exercise what a hub process does."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as dj_settings
from django.db import connection

from vanban.exchange import cache
from vanban.exchange.auth import authenticate_token, revoke_credential
from vanban.exchange.models import Package
from vanban.exchange.routing import Router

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


@pytest.fixture
def outside(monkeypatch, settings):
    settings.VANBAN_HUB_CACHE_SECONDS = 60
    cache.clear_all()
    monkeypatch.setattr(cache, "connection", SimpleNamespace(in_atomic_block=False))
    yield
    monkeypatch.undo()
    cache.clear_all()


def test_a_credential_is_read_once_and_the_secret_still_checked_every_time(hub, outside, django_assert_num_queries):
    token = hub.tokens[SKHCN]
    with django_assert_num_queries(1):
        assert authenticate_token(token).agency_code == SKHCN
    with django_assert_num_queries(0):
        assert authenticate_token(token).agency_code == SKHCN
        cred_id = token.split(".", 1)[0]
        assert authenticate_token(f"{cred_id}.wrong-secret") is None


def test_revoking_clears_the_cached_credential_at_once(hub, outside):
    token = hub.tokens[SKHCN]
    assert authenticate_token(token) is not None
    revoke_credential(None, token.split(".", 1)[0])
    assert authenticate_token(token) is None


def test_nothing_is_cached_inside_a_transaction(hub, settings, django_assert_num_queries):
    settings.VANBAN_HUB_CACHE_SECONDS = 60
    cache.clear_all()
    assert connection.in_atomic_block
    with django_assert_num_queries(2):
        authenticate_token(hub.tokens[SKHCN])
        authenticate_token(hub.tokens[SKHCN])


def test_cache_seconds_zero_turns_caching_off(hub, outside, settings, django_assert_num_queries):
    settings.VANBAN_HUB_CACHE_SECONDS = 0
    with django_assert_num_queries(2):
        authenticate_token(hub.tokens[SKHCN])
        authenticate_token(hub.tokens[SKHCN])


def test_a_routing_change_clears_the_cached_configuration(hub, outside):
    from vanban.exchange.services import set_served_patterns

    assert Router().serves(SKHCN)
    set_served_patterns(None, ["*.H98"])
    assert not Router().serves(SKHCN)
    assert Router().route(SKHCN) is None


def test_a_closed_agency_clears_the_cached_resolution(hub, outside):
    from vanban.directory.services import merge_agency

    assert Router().route(XA).recipient_code == XA
    merge_agency(None, hub.personas.xa, hub.personas.so_khcn)
    assert Router().route(XA).recipient_code == SKHCN


def test_a_load_started_before_a_change_is_not_kept():
    c = cache.TtlCache("t")
    real = cache.connection
    cache.connection = SimpleNamespace(in_atomic_block=False)
    try:

        def load():
            c.clear()  # a change lands while this read is in flight
            return "old"

        assert c.get("k", load) == "old"
        assert c.get("k", lambda: "new") == "new"
    finally:
        cache.connection = real


def test_a_resigned_duplicate_writes_no_file(hub):
    _, first = hub.send(7)
    root = Path(dj_settings.FILES_DIR) / "hub"
    before = sorted(p for p in root.rglob("*") if p.is_file())
    _, again = hub.send(7)  # same sender and DocumentId, signed again: other bytes
    assert again.json() == {"id": first.json()["id"], "duplicate": True}
    assert sorted(p for p in root.rglob("*") if p.is_file()) == before
    assert Package.objects.count() == 1
