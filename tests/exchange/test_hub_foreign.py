"""An agency sees and acks only its own inbox: every endpoint tried with a foreign id
answers exactly like an id that does not exist, and leaks no metadata."""

from __future__ import annotations

import json
import uuid

from vanban.exchange.models import Delivery

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
NOT_FOUND = {"code": "not_found", "message_vi": "Không tìm thấy gói tin.", "message_en": "No such package."}


def test_every_endpoint_with_a_foreign_id(hub):
    _, r = hub.send(1, pdf=hub.pki.pdf)
    pid = r.json()["id"]
    outsider = hub.tokens[XA]
    for foreign in (pid, str(uuid.uuid4()), "not-a-uuid"):
        for resp in (
            hub.get(f"packages/{foreign}", outsider),
            hub.get(f"packages/{foreign}/timeline", outsider),
            hub.post(f"packages/{foreign}/ack", b"", outsider),
        ):
            assert resp.status_code == 404 and resp.json() == NOT_FOUND
            assert SNV not in resp.content.decode() and pid not in resp.content.decode()
    assert hub.get("inbox", outsider).json() == {"items": [], "next_cursor": None}
    assert hub.get("inbox/content", outsider).json() == {"items": [], "next_cursor": None}
    bulk = hub.client.post(
        "/hub/v1/acks",
        data=json.dumps({"ids": [pid]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {outsider}",
    )
    assert bulk.json() == {"acked": [], "unknown": [pid]}  # as for an id that does not exist
    # the recipient cannot read the sender's timeline either
    assert hub.get(f"packages/{pid}/timeline", hub.tokens[SKHCN]).status_code == 404
    # the sender cannot ack in the recipient's place
    assert hub.post(f"packages/{pid}/ack", b"", hub.tokens[SNV]).status_code == 404
    assert Delivery.objects.get().state == "waiting"


def test_a_status_cannot_be_sent_in_another_agencys_name(hub):
    from testkit import hub as testing

    _, r = hub.send(2)
    doc = testing.envelope(SNV, [SKHCN], 2).document_id
    data = testing.signed(testing.status(SKHCN, SNV, doc, "03"), hub.pki.skhcn)
    resp = hub.post("status", data, outsider := hub.tokens[XA])
    assert resp.status_code == 403 and resp.json()["code"] == "sender_not_caller"
    assert hub.get("inbox", hub.tokens[SNV]).json()["items"] == []
    assert outsider
