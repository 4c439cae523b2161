"""Statuses relayed to the original sender, the take-back exchange (13, then 15/16), and
revoke/update envelopes."""

from __future__ import annotations

from testkit import hub as testing
from vanban.exchange.models import Delivery, Package

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


def doc_id(number: int) -> str:
    return testing.envelope(SNV, [SKHCN], number).document_id


def test_status_goes_to_the_original_senders_inbox_and_timeline(hub):
    _, r = hub.send(1)
    pid = r.json()["id"]
    for code in ("01", "03"):
        data = testing.signed(testing.status(SKHCN, SNV, doc_id(1), code, "Văn thư: đã vào sổ"), hub.pki.skhcn)
        s = hub.post("status", data, hub.tokens[SKHCN])
        assert s.status_code == 202, s.content
        assert hub.post("status", data, hub.tokens[SKHCN]).json()["duplicate"] is True
    items = hub.get("inbox", hub.tokens[SNV]).json()["items"]
    assert [(i["kind"], i["status_code"], i["document_id"]) for i in items] == [
        ("status", "01", doc_id(1)),
        ("status", "03", doc_id(1)),
    ]
    t = hub.get(f"packages/{pid}/timeline", hub.tokens[SNV]).json()
    assert [(e["event"], e["status_code"]) for e in t["deliveries"][0]["events"]] == [
        ("accepted", ""),
        ("status", "01"),
        ("status", "03"),
    ]
    assert Delivery.objects.get(package_id=pid).answered_at is not None


def test_take_back_request_reaches_every_recipient_and_answers_come_back(hub):
    _, r = hub.send(2, to=(SKHCN, XA))
    recall = testing.signed(testing.status(SNV, SNV, doc_id(2), "13", "Xin lấy lại"), hub.pki.snv)
    assert hub.post("status", recall, hub.tokens[SNV]).status_code == 202
    for code in (SKHCN, XA):
        items = hub.get("inbox", hub.tokens[code]).json()["items"]
        assert [i["status_code"] for i in items if i["kind"] == "status"] == ["13"]
    answer = testing.signed(testing.status(SKHCN, SNV, doc_id(2), "15"), hub.pki.skhcn)
    assert hub.post("status", answer, hub.tokens[SKHCN]).status_code == 202
    refuse = testing.signed(testing.status(XA, SNV, doc_id(2), "16"), hub.pki.xa)
    assert hub.post("status", refuse, hub.tokens[XA]).status_code == 202
    assert sorted(i["status_code"] for i in hub.get("inbox", hub.tokens[SNV]).json()["items"]) == ["15", "16"]


def test_revoke_and_update_are_envelopes_of_their_own(hub):
    _, first = hub.send(3)
    _, revoke = hub.send(3, business_type=1, about=doc_id(3))
    _, update = hub.send(3, business_type=2, about=doc_id(3))
    ids = {first.json()["id"], revoke.json()["id"], update.json()["id"]}
    assert len(ids) == 3
    assert sorted(Package.objects.values_list("business_type", flat=True)) == [0, 1, 2]
    types = [i["business_type"] for i in hub.get("inbox", hub.tokens[SKHCN]).json()["items"]]
    assert types == [0, 1, 2]
