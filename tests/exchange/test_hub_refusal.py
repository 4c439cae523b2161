"""A recipient that cannot take a delivered package (a PDF bomb, a package it cannot read)
refuses it: the hub stops delivering it and its sender's timeline shows the reason."""

from __future__ import annotations

import json

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
REASON = "Tệp đính kèm “du-thao.pdf” bị từ chối: Tệp PDF giải nén quá lớn"


def _refuse(hub, package_id, token, reason=REASON):
    return hub.client.post(
        f"/hub/v1/packages/{package_id}/refusal",
        data=json.dumps({"code": "attachment_refused", "reason": reason}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _events(hub, package_id) -> dict[str, list[tuple[str, str]]]:
    timeline = hub.get(f"packages/{package_id}/timeline", hub.tokens[SNV]).json()
    return {d["recipient_code"]: [(e["event"], e["detail"]) for e in d["events"]] for d in timeline["deliveries"]}


def test_a_refused_package_leaves_the_inbox_and_the_sender_sees_why(hub):
    _, answer = hub.send(1, to=(SKHCN, XA))
    pid = answer.json()["id"]
    refused = _refuse(hub, pid, hub.tokens[SKHCN])
    assert refused.status_code == 200 and refused.json() == {"id": pid, "state": "acked"}
    assert hub.get("inbox", hub.tokens[SKHCN]).json()["items"] == []
    assert [i["package_id"] for i in hub.get("inbox", hub.tokens[XA]).json()["items"]] == [
        pid
    ]  # the other recipient's own
    events = _events(hub, pid)
    assert events[SKHCN][-1] == ("recipient_failed", f"{REASON} [attachment_refused]")
    assert "recipient_failed" not in [e for e, _ in events[XA]]


def test_refusing_twice_adds_nothing(hub):
    _, answer = hub.send(2, to=(SKHCN,))
    pid = answer.json()["id"]
    assert _refuse(hub, pid, hub.tokens[SKHCN]).status_code == 200
    assert _refuse(hub, pid, hub.tokens[SKHCN]).status_code == 200
    assert [e for e, _ in _events(hub, pid)[SKHCN]].count("recipient_failed") == 1


def test_only_a_recipient_may_refuse_and_a_reason_is_required(hub):
    _, answer = hub.send(3, to=(SKHCN,))
    pid = answer.json()["id"]
    assert _refuse(hub, pid, hub.tokens[SNV]).status_code == 404  # the sender is not a recipient
    assert _refuse(hub, pid, hub.tokens[XA]).status_code == 404
    empty = _refuse(hub, pid, hub.tokens[SKHCN], reason="")
    assert empty.status_code == 400 and empty.json()["message_vi"]
    assert [i["package_id"] for i in hub.get("inbox", hub.tokens[SKHCN]).json()["items"]] == [pid]
