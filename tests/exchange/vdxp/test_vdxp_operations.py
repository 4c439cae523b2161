"""Every operation of the protocol on the hub's own store: what an eOffice of another vendor
sends arrives in the same inbox as the hub's API, and the other way round."""

from __future__ import annotations

import base64

from vanban.exchange.models import Package

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


def test_a_document_sent_through_vdxp_is_received_through_vdxp(vdxp):
    snv, skhcn = vdxp.ids["snv"], vdxp.ids["skhcn"]
    data = vdxp.envelope(1)
    sent = vdxp.send(snv, SNV, data)
    assert (sent["status"], sent["ErrorCode"]) == ("OK", "0"), sent
    listed = vdxp.call(skhcn, "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}).json()
    assert [(r["docId"], r["from"], r["to"], r["status"]) for r in listed["data"]] == [
        (sent["DocId"], SNV, SKHCN, "waiting")
    ]
    got = vdxp.call(skhcn, "getEdoc", {"docId": sent["DocId"]}, b"{}").json()
    fetched = base64.b64decode(got["data"])
    assert fetched.startswith(data[: data.index(b"</edXML:TraceHeaderList>")])
    assert b"<edXML:OrganId>truc-tinh</edXML:OrganId>" in fetched  # the hub's TraceHeader


def test_a_document_sent_through_the_hub_api_is_received_through_vdxp(vdxp):
    data = vdxp.envelope(2, sender=XA)
    accepted = vdxp.hub.post("packages", data, vdxp.hub.tokens[XA]).json()
    skhcn = vdxp.ids["skhcn"]
    assert (
        vdxp.call(skhcn, "countReceiveEdoc", {"servicetype": "eDoc", "messagetype": "edoc"}, b"{}").json()["count"] == 1
    )
    r = vdxp.call(skhcn, "downloadEdoc", {"docId": accepted["id"]}, method="GET")
    assert r.status == 200 and r.body.startswith(b"<?xml")


def test_a_document_sent_through_vdxp_is_fetched_through_the_hub_api(vdxp):
    data = vdxp.envelope(3, to=(XA,))
    sent = vdxp.send(vdxp.ids["snv"], SNV, data)
    r = vdxp.hub.get(f"packages/{sent['DocId']}", vdxp.hub.tokens[XA])
    assert r.status_code == 200 and r.content == data


def test_done_acknowledges_and_the_document_leaves_the_list(vdxp):
    skhcn = vdxp.ids["skhcn"]
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(4))
    done = vdxp.call(skhcn, "updateStatus", {"docid": sent["DocId"], "status": "done"}, b"{}").json()
    assert done["status"] == "OK", done
    assert vdxp.call(skhcn, "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}).json()["data"] == []
    row = vdxp.call(vdxp.ids["snv"], "getSentEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}).json()
    assert [(r["toCode"], r["sendStatus"], r["receiveStatus"]) for r in row["data"]] == [(SKHCN, "sent", "done")]


def test_a_status_travels_from_vdxp_to_the_hub_api(vdxp):
    from testkit import hub as testing

    data = vdxp.envelope(5, sender=XA)
    accepted = vdxp.hub.post("packages", data, vdxp.hub.tokens[XA]).json()
    doc_id = Package.objects.get(pk=accepted["id"]).document_id
    status = testing.signed(testing.status(SKHCN, XA, doc_id, "03", "Đã tiếp nhận"), vdxp.hub.pki.skhcn)
    sent = vdxp.send(vdxp.ids["skhcn"], SKHCN, status, "status")
    assert sent["status"] == "OK", sent
    inbox = vdxp.hub.get("inbox", vdxp.hub.tokens[XA]).json()["items"]
    assert [(i["kind"], i["status_code"], i["package_id"]) for i in inbox] == [("status", "03", sent["DocId"])]
    timeline = vdxp.hub.get(f"packages/{accepted['id']}/timeline", vdxp.hub.tokens[XA]).json()
    assert "03" in [e["status_code"] for e in timeline["deliveries"][0]["events"]]


def test_envelopes_and_statuses_are_listed_apart_however_many_wait_before(vdxp):
    """messagetype picks the kind in the database, before the list's limit: envelopes waiting
    in front of a status message never hide it from the status list."""
    from testkit import hub as testing
    from vanban.exchange import services
    from vanban.exchange.vdxp.systems import System

    skhcn = vdxp.ids["skhcn"]
    envelope = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(7))  # waits for SKHCN first
    mine = vdxp.envelope(8, sender=SKHCN, to=(XA,))
    assert vdxp.send(skhcn, SKHCN, mine)["status"] == "OK"
    doc_id = Package.objects.get(sender_code=SKHCN).document_id
    status = testing.signed(testing.status(XA, SKHCN, doc_id, "03", "Đã tiếp nhận"), vdxp.hub.pki.xa)
    answered = vdxp.hub.post("status", status, vdxp.hub.tokens[XA]).json()

    def listed(messagetype: str) -> list[tuple[str, str]]:
        rows = vdxp.call(skhcn, "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": messagetype}).json()
        return [(r["docId"], r["messageType"]) for r in rows["data"]]

    assert listed("edoc") == [(envelope["DocId"], "edoc")]
    assert listed("status") == [(answered["id"], "status")]
    caller = System(skhcn, (SKHCN,)).caller(SKHCN)
    assert [str(r.package_id) for r in services.inbox(caller, None, 1, kind="status")] == [answered["id"]]
