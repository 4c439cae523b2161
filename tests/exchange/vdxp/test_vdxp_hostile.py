"""sendEdoc of the VDXP protocol against the shared hostile XML corpus
(:mod:`testkit.hostile`): every case answers the protocol's FAIL envelope with an error
code and a description, and the hub stores nothing."""

from __future__ import annotations

import pytest

from testkit import hostile
from testkit.vdxp_client import unpadded_sha256

from .conftest import SNV, assert_nothing_stored


@pytest.mark.parametrize("case", hostile.xml_documents(), ids=lambda c: c.name)
def test_hostile_xml_sent_as_an_edoc_is_refused(vdxp, case):
    params = {"servicetype": "eDoc", "messagetype": "edoc", "hash-file": unpadded_sha256(case.data), "from": SNV}
    answer = vdxp.call(vdxp.ids["snv"], "sendEdoc", params, case.data + b"\r\n")
    assert answer.status < 500, answer.body[:300]
    body = answer.json()
    assert (body["status"], body["DocId"]) == ("FAIL", ""), body
    assert body["ErrorCode"] and body["ErrorDesc"]
    assert b"root:" not in answer.body
    assert_nothing_stored()
