"""What the vendor client does that a hub must tolerate (spec §2 and §5): accumulated
headers, parameter names in another case, a padded or unpadded hash, the same document
sent twice, and the answers it needs (ids safe as file names)."""

from __future__ import annotations

import hashlib
import re

from testkit.vdxp_client import unpadded_sha256
from vanban.exchange.models import Package

from .conftest import SKHCN, SNV


def test_stale_headers_of_earlier_calls_never_filter_a_list(vdxp):
    vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    # left on the client object by earlier calls: a sender, a status, a level, a file path
    stale = {"from": "000.00.99.H99", "status": "done", "level": "3", "filePath": "/tmp/x"}
    params = {**stale, "servicetype": "eDoc", "messagetype": "edoc"}
    listed = vdxp.call(vdxp.ids["skhcn"], "getReceivedEdocList", params).json()
    assert len(listed["data"]) == 1
    count = vdxp.call(vdxp.ids["skhcn"], "countReceiveEdoc", {**params, "messagetype": "status"}, b"{}").json()
    assert count["count"] == 1  # the path says edoc, whatever the stale messagetype


def test_docid_in_lower_case_is_read(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    got = vdxp.call(vdxp.ids["skhcn"], "getEdoc", {"docid": sent["DocId"]}, b"{}").json()
    assert got["status"] == "OK" and got["data"]


def test_a_padded_hash_is_accepted_too(vdxp):
    data = vdxp.envelope(1)
    params = {"servicetype": "eDoc", "messagetype": "edoc", "hash-file": hashlib.sha256(data).hexdigest(), "from": SNV}
    assert vdxp.call(vdxp.ids["snv"], "sendEdoc", params, data + b"\r\n").json()["status"] == "OK"


def test_a_body_without_the_crlf_is_accepted(vdxp):
    data = vdxp.envelope(1)
    params = {"servicetype": "eDoc", "messagetype": "edoc", "hash-file": unpadded_sha256(data), "from": SNV}
    assert vdxp.call(vdxp.ids["snv"], "sendEdoc", params, data).json()["status"] == "OK"


def test_the_same_document_sent_twice_answers_the_first_docid(vdxp):
    data = vdxp.envelope(1)
    first = vdxp.send(vdxp.ids["snv"], SNV, data)
    again = vdxp.send(vdxp.ids["snv"], SNV, data)
    assert again == first and Package.objects.count() == 1


def test_the_same_document_sent_through_both_apis_is_one_package(vdxp):
    data = vdxp.envelope(1)
    native = vdxp.hub.post("packages", data, vdxp.hub.tokens[SNV]).json()
    assert vdxp.send(vdxp.ids["snv"], SNV, data)["DocId"] == native["id"]


def test_doc_ids_are_safe_as_file_names(vdxp):
    doc_id = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))["DocId"]
    assert re.fullmatch(r"[A-Za-z0-9-]+", doc_id)


def test_fail_acknowledges_and_the_sender_sees_it(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    failed = vdxp.call(vdxp.ids["skhcn"], "updateStatus", {"docId": sent["DocId"], "status": "fail"}, b"{}").json()
    assert failed["status"] == "OK"
    rows = vdxp.call(vdxp.ids["snv"], "getSentEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}).json()
    assert [r["receiveStatus"] for r in rows["data"]] == ["fail"]
    assert vdxp.call(vdxp.ids["skhcn"], "countReceiveEdoc", {}, b"{}").json()["count"] == 0


def test_fail_sent_twice_shows_once_on_the_senders_timeline_with_the_description(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    fail = {"docId": sent["DocId"], "status": "fail", "description": "Tep PDF khong doc duoc"}  # headers are ASCII
    for _ in range(2):
        answer = vdxp.call(vdxp.ids["skhcn"], "updateStatus", fail, b"{}").json()
        assert answer["status"] == "OK", answer
    timeline = vdxp.hub.get(f"packages/{sent['DocId']}/timeline", vdxp.hub.tokens[SNV]).json()
    (delivery,) = timeline["deliveries"]
    failed = [e for e in delivery["events"] if e["event"] == "recipient_failed"]
    assert [e["detail"] for e in failed] == ["Tep PDF khong doc duoc [vdxp_fail]"]


def test_processing_keeps_the_document_in_the_list(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    vdxp.call(vdxp.ids["skhcn"], "updateStatus", {"docId": sent["DocId"], "status": "processing"}, b"{}")
    listed = vdxp.call(vdxp.ids["skhcn"], "getReceivedEdocList", {"messagetype": "edoc"}).json()["data"]
    assert [(r["docId"], r["status"]) for r in listed] == [(sent["DocId"], "processing")]


def test_an_unknown_status_value_is_refused(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    answer = vdxp.call(vdxp.ids["skhcn"], "updateStatus", {"docId": sent["DocId"], "status": "ok"}, b"{}").json()
    assert (answer["status"], answer["ErrorCode"]) == ("FAIL", "204")


def test_the_recipient_timeline_shows_a_document_from_vdxp(vdxp):
    sent = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    vdxp.call(vdxp.ids["skhcn"], "getEdoc", {"docId": sent["DocId"]}, b"{}")
    vdxp.call(vdxp.ids["skhcn"], "updateStatus", {"docId": sent["DocId"], "status": "done"}, b"{}")
    timeline = vdxp.hub.get(f"packages/{sent['DocId']}/timeline", vdxp.hub.tokens[SNV]).json()
    (delivery,) = timeline["deliveries"]
    assert delivery["recipient_code"] == SKHCN and delivery["state"] == "acked"
    assert [e["event"] for e in delivery["events"]] == ["accepted", "fetched", "acked"]
    assert "vdxp:" in delivery["events"][0]["detail"]


def test_the_operator_page_counts_documents_from_vdxp(vdxp, admin_client):
    vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    page = admin_client.get("/hub/van-hanh/")
    assert page.status_code == 200
    text = page.content.decode()
    assert SNV in text and SKHCN in text
    systems = text[text.index('id="vdxp-systems"') :].split("</table>")[0]
    assert vdxp.ids["snv"] in systems and "<td>1</td>" in systems
