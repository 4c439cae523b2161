"""The connector reads a hub's inbox answer in either form: multipart/mixed (what it asks
for) or JSON with base64 (what a hub that does not offer multipart answers)."""

import base64
import json

import pytest

from vanban.connector.errors import ConnectorError
from vanban.connector.transports import decode_batch
from vanban.transport import Answer, multipart

ITEM = {
    "cursor": 7,
    "package_id": "5b0c7e0e-0000-4000-8000-000000000001",
    "kind": "envelope",
    "sha256": "x",
    "size": 5,
    "withdrawn": False,
}


def test_multipart_answer_gives_each_item_its_bytes():
    content_type, body = multipart.encode(
        [
            ({"Content-Type": "application/json"}, json.dumps({"items": [ITEM], "next_cursor": 7}).encode()),
            ({"Content-Type": "application/xml", "Content-ID": f"<{ITEM['package_id']}>"}, b"<edXML/>"),
        ]
    )
    items = decode_batch(Answer(200, body, {"content-type": content_type}))
    assert [(i.package_id, i.data) for i in items] == [(ITEM["package_id"], b"<edXML/>")]


def test_json_answer_gives_each_item_its_bytes():
    body = json.dumps({"items": [{**ITEM, "content": base64.b64encode(b"<edXML/>").decode()}]}).encode()
    items = decode_batch(Answer(200, body, {"content-type": "application/json"}))
    assert items[0].data == b"<edXML/>"


def test_a_refusal_or_a_broken_answer_is_a_connector_error_in_both_languages():
    for answer in (
        Answer(503, b"{}", {"content-type": "application/json"}),
        Answer(200, b"--x\r\nbroken", {"content-type": 'multipart/mixed; boundary="x"'}),
    ):
        with pytest.raises(ConnectorError) as err:
            decode_batch(answer)
        assert err.value.message_vi and err.value.message_en
