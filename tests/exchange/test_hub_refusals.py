"""Every refusal is a 4xx with a stable code and messages in Vietnamese and English, and
stores nothing: no package row, no file, no audit event."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as dj_settings

from testkit import hub as testing
from vanban.audit.models import AuditEvent
from vanban.edxml import build
from vanban.exchange.models import Delivery, Package

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


def assert_refused(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.content
    body = r.json()
    assert body["code"] == code
    assert body["message_vi"] and body["message_en"] and body["message_vi"] != body["message_en"]
    assert Package.objects.count() == 0 and Delivery.objects.count() == 0
    root = Path(dj_settings.FILES_DIR) / "hub"
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
    assert not AuditEvent.objects.filter(action__startswith="exchange.package").exists()
    return body


def test_unsigned(hub):
    data = build(testing.envelope(SNV, [SKHCN], 1))
    assert_refused(hub.post("packages", data, hub.tokens[SNV]), 422, "unsigned")


def test_signed_by_another_agency_than_the_sender(hub):
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub.pki.skhcn)
    assert_refused(hub.post("packages", data, hub.tokens[SNV]), 403, "signer_not_sender")


def test_signed_with_a_persons_certificate_of_the_sender_not_its_seal(hub):
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub.pki.snv_leader)
    body = assert_refused(hub.post("packages", data, hub.tokens[SNV]), 403, "signer_not_agency")
    assert "chứng thư số của cơ quan gửi" in body["message_vi"]


def test_signed_by_a_certificate_outside_the_trust_store(hub):
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub.pki.stranger_snv)
    assert_refused(hub.post("packages", data, hub.tokens[SNV]), 403, "untrusted_signer")


def test_sender_spoofing_another_agencys_credential(hub):
    # a valid package of Sở Nội vụ, replayed by Sở KH&CN with its own token
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub.pki.snv)
    assert_refused(hub.post("packages", data, hub.tokens[SKHCN]), 403, "sender_not_caller")


def test_unknown_recipient(hub):
    data = testing.signed(testing.envelope(SNV, [SKHCN, "000.00.77.H99"], 1), hub.pki.snv)
    body = assert_refused(hub.post("packages", data, hub.tokens[SNV]), 422, "unknown_recipient")
    assert body["details"]["codes"] == ["000.00.77.H99"]


def test_oversize(hub, settings):
    settings.VANBAN_HUB_MAX_PACKAGE_BYTES = 20_000
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1, padding=30_000), hub.pki.snv)
    assert_refused(hub.post("packages", data, hub.tokens[SNV]), 413, "too_large")


def test_malformed_xml(hub):
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub.pki.snv)
    assert_refused(hub.post("packages", data[: len(data) // 2], hub.tokens[SNV]), 400, "malformed_xml")
    assert_refused(
        hub.post("packages", b"<!DOCTYPE x [<!ENTITY a 'b'>]><edXML/>", hub.tokens[SNV]), 400, "malformed_xml"
    )


def test_changed_after_signing(hub):
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1, subject="Về việc A"), hub.pki.snv)
    tampered = data.replace("Về việc A".encode(), "Về việc B".encode())
    assert_refused(hub.post("packages", tampered, hub.tokens[SNV]), 422, "signature_invalid")


def test_schema_errors_are_listed(hub):
    env = testing.envelope(SNV, [SKHCN], 1)
    env.subject = None  # required
    data = testing.signed(env, hub.pki.snv)
    body = assert_refused(hub.post("packages", data, hub.tokens[SNV]), 422, "invalid_package")
    assert body["details"]


def test_a_status_message_is_not_an_envelope(hub):
    data = testing.signed(testing.status(SNV, SKHCN, "x", "01"), hub.pki.snv)
    assert_refused(hub.post("packages", data, hub.tokens[SNV]), 400, "wrong_kind")


@pytest.mark.parametrize("token", [None, "nonsense", "abc.def"])
def test_no_or_bad_credentials(hub, token):
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub.pki.snv)
    assert_refused(hub.post("packages", data, token), 401, "unauthenticated")


def test_replayed_package_is_not_stored_again(hub):
    data, first = hub.send(1)
    again = hub.post("packages", data, hub.tokens[SNV])
    assert again.status_code == 202 and again.json()["id"] == first.json()["id"]
    assert Package.objects.count() == 1
    assert AuditEvent.objects.filter(action="exchange.package.accepted").count() == 1
    # the same bytes replayed by someone else: refused, not delivered twice
    r = hub.post("packages", data, hub.tokens[XA])
    assert r.status_code == 403 and r.json()["code"] == "sender_not_caller"
