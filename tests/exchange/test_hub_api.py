"""POST /hub/v1/packages and the recipient's loop (inbox, fetch, ack), in process."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings as dj_settings

from vanban.audit.models import AuditEvent
from vanban.exchange.models import Delivery, DeliveryEvent, HubCredential, Package

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
REPO = Path(__file__).resolve().parents[2]


def hub_files() -> list[Path]:
    root = Path(dj_settings.FILES_DIR) / "hub"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_accepts_a_signed_envelope_stores_file_and_row_and_answers_202(hub):
    data, r = hub.send(1, pdf=hub.pki.pdf)
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["duplicate"] is False
    package = Package.objects.get(pk=body["id"])
    assert package.sender_code == SNV and package.kind == "envelope"
    assert package.sha256 == hashlib.sha256(data).hexdigest()
    assert package.trace == ["truc-tinh"]
    assert [p.read_bytes() for p in hub_files()] == [data]
    d = Delivery.objects.get(package=package)
    assert (d.recipient_code, d.state) == (SKHCN, "waiting")
    assert list(d.events.values_list("event", flat=True)) == ["accepted"]
    assert AuditEvent.objects.filter(action="exchange.package.accepted", object_id=str(package.id)).count() == 1


def test_same_document_twice_is_accepted_once_with_the_first_id(hub):
    data, first = hub.send(2)
    again = hub.post("packages", data, hub.tokens[SNV])
    assert again.status_code == 202
    assert again.json() == {"id": first.json()["id"], "duplicate": True}
    # re-signed (different bytes), same sender and DocumentId: still the first
    _, resigned = hub.send(2)
    assert resigned.json()["id"] == first.json()["id"]
    assert Package.objects.count() == 1 and Delivery.objects.count() == 1


def test_recipient_lists_fetches_and_acks_and_unacked_stays_listed(hub):
    data, r = hub.send(3)
    pid = r.json()["id"]
    box = hub.get("inbox", hub.tokens[SKHCN]).json()
    assert [i["package_id"] for i in box["items"]] == [pid]
    assert box["items"][0]["sender_code"] == SNV and box["items"][0]["kind"] == "envelope"
    got = hub.get(f"packages/{pid}", hub.tokens[SKHCN])
    assert got.status_code == 200 and got.content == data
    # fetched but not acked: still waiting in the inbox (at least once)
    assert [i["state"] for i in hub.get("inbox", hub.tokens[SKHCN]).json()["items"]] == ["fetched"]
    assert hub.post(f"packages/{pid}/ack", b"", hub.tokens[SKHCN]).json()["state"] == "acked"
    assert hub.get("inbox", hub.tokens[SKHCN]).json() == {"items": [], "next_cursor": None}
    assert hub.post(f"packages/{pid}/ack", b"", hub.tokens[SKHCN]).status_code == 200  # again: fine
    events = list(DeliveryEvent.objects.order_by("id").values_list("event", flat=True))
    assert events == ["accepted", "fetched", "acked"]


def test_inbox_with_content_gives_the_bytes_and_acks_go_in_bulk(hub):
    import base64

    sent = [hub.send(n, pdf=hub.pki.pdf) for n in (21, 22, 23)]
    ids = [r.json()["id"] for _, r in sent]
    box = hub.get("inbox/content?limit=2", hub.tokens[SKHCN]).json()
    assert [i["package_id"] for i in box["items"]] == ids[:2]
    assert [base64.b64decode(i["content"]) for i in box["items"]] == [d for d, _ in sent[:2]]
    assert box["items"][0]["trace"] == ["truc-tinh"] and box["items"][0]["withdrawn"] is False
    # taken means fetched (on the timeline), not acked: still listed
    assert [d.state for d in Delivery.objects.order_by("id")] == ["fetched", "fetched", "waiting"]
    assert DeliveryEvent.objects.filter(event="fetched").count() == 2
    rest = hub.get(f"inbox/content?after={box['next_cursor']}", hub.tokens[SKHCN]).json()
    assert [i["package_id"] for i in rest["items"]] == ids[2:]
    acks = hub.client.post(
        "/hub/v1/acks",
        data=json.dumps({"ids": ids + [ids[0], "khong-phai-ma"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {hub.tokens[SKHCN]}",
    )
    assert acks.status_code == 200
    assert acks.json() == {"acked": ids, "unknown": ["khong-phai-ma"]}
    assert set(Delivery.objects.values_list("state", flat=True)) == {"acked"}
    assert DeliveryEvent.objects.filter(event="acked").count() == 3
    assert hub.get("inbox/content", hub.tokens[SKHCN]).json() == {"items": [], "next_cursor": None}


def test_inbox_with_content_as_multipart_gives_the_bytes_as_they_are(hub):
    from vanban.transport import multipart

    sent = [hub.send(n, pdf=hub.pki.pdf) for n in (41, 42)]
    ids = [r.json()["id"] for _, r in sent]
    answer = hub.client.get(
        "/hub/v1/inbox/content", HTTP_AUTHORIZATION=f"Bearer {hub.tokens[SKHCN]}", HTTP_ACCEPT="multipart/mixed"
    )
    assert answer.status_code == 200
    parts = multipart.decode(answer["Content-Type"], answer.content)
    meta = json.loads(parts[0][1])
    assert [i["package_id"] for i in meta["items"]] == ids and "content" not in meta["items"][0]
    assert meta["next_cursor"] == meta["items"][-1]["cursor"]
    assert [(h["content-id"], body) for h, body in parts[1:]] == [(f"<{i}>", d) for i, (d, _) in zip(ids, sent)]
    assert [d.state for d in Delivery.objects.order_by("id")] == ["fetched", "fetched"]


def test_inbox_with_content_stops_at_the_byte_budget_but_gives_at_least_one(hub):
    for n in (31, 32):
        hub.send(n, pdf=hub.pki.pdf)
    box = hub.get("inbox/content?max_bytes=1", hub.tokens[SKHCN]).json()
    assert len(box["items"]) == 1
    assert [d.state for d in Delivery.objects.order_by("id")] == ["fetched", "waiting"]


def test_inbox_pages_with_the_cursor_in_order(hub):
    ids = [hub.send(n)[1].json()["id"] for n in (10, 11, 12)]
    first = hub.client.get("/hub/v1/inbox?limit=2", HTTP_AUTHORIZATION=f"Bearer {hub.tokens[SKHCN]}").json()
    assert [i["package_id"] for i in first["items"]] == ids[:2]
    rest = hub.client.get(
        f"/hub/v1/inbox?after={first['next_cursor']}", HTTP_AUTHORIZATION=f"Bearer {hub.tokens[SKHCN]}"
    ).json()
    assert [i["package_id"] for i in rest["items"]] == ids[2:]


def test_sender_reads_the_timeline_per_recipient(hub):
    _, r = hub.send(4, to=(SKHCN, XA))
    pid = r.json()["id"]
    hub.get(f"packages/{pid}", hub.tokens[SKHCN])
    t = hub.get(f"packages/{pid}/timeline", hub.tokens[SNV]).json()
    lines = {d["recipient_code"]: [e["event"] for e in d["events"]] for d in t["deliveries"]}
    assert lines == {SKHCN: ["accepted", "fetched"], XA: ["accepted"]}


def test_a_closed_agency_code_is_delivered_to_its_successor(hub):
    from vanban.directory.services import merge_agency

    merge_agency(None, hub.personas.xa, hub.personas.so_khcn)
    _, r = hub.send(5, to=(XA,))
    assert r.status_code == 202, r.content
    d = Delivery.objects.get(package_id=r.json()["id"])
    assert (d.addressed_code, d.recipient_code) == (XA, SKHCN)


def test_credentials_are_hashed_at_rest_and_revocable(hub):
    from vanban.exchange.auth import revoke_credential

    token = hub.tokens[SKHCN]
    cred_id, secret = token.split(".", 1)
    row = HubCredential.objects.get(pk=cred_id)
    assert secret not in json.dumps(list(HubCredential.objects.values()), default=str)
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert hub.get("me", token).json()["agency_code"] == SKHCN
    revoke_credential(None, cred_id)
    r = hub.get("me", token)
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_openapi_document_is_served_and_matches_the_committed_one(hub):
    served = hub.client.get("/hub/v1/openapi.json").json()
    committed = json.loads((REPO / "docs" / "hub-openapi.json").read_text(encoding="utf-8"))
    assert served == committed, (
        "The hub API changed: review it, then run "
        "`vanban hub openapi -o docs/hub-openapi.json` and commit the document."
    )
