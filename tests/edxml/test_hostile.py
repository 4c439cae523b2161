"""The edXML reader against the shared hostile XML corpus (:mod:`testkit.hostile`): every
case is an :class:`EdxmlError` with a stable code and a Vietnamese message, for the
package reader and for the signature check alike."""

from __future__ import annotations

import pytest

from testkit import hostile
from vanban.edxml import EdxmlError, parse

CASES = hostile.xml_documents()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_xml_is_an_edxml_error_with_a_message(case):
    with pytest.raises(EdxmlError) as caught:
        parse(case.data)
    assert caught.value.code and caught.value.message_vi
