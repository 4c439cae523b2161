"""The hub's package endpoint against the shared hostile XML corpus
(:mod:`testkit.hostile`): every case is a 4xx with a stable code and a Vietnamese message,
and the hub stores nothing and loads nothing (no file, entity or DTD)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as dj_settings

from testkit import hostile
from vanban.audit.models import AuditEvent
from vanban.exchange.models import Delivery, Package

SNV = "000.00.02.H99"


@pytest.mark.parametrize("case", hostile.xml_documents(), ids=lambda c: c.name)
def test_hostile_xml_is_refused_with_a_code_and_nothing_stored(hub, case):
    r = hub.post("packages", case.data, hub.tokens[SNV])
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    body = r.json()
    assert body["code"] and body["message_vi"] and body["message_vi"] != body["message_en"]
    assert "root:" not in r.content.decode()  # /etc/passwd never read into an answer
    assert Package.objects.count() == 0 and Delivery.objects.count() == 0
    root = Path(dj_settings.FILES_DIR) / "hub"
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
    assert not AuditEvent.objects.filter(action__startswith="exchange.package").exists()
