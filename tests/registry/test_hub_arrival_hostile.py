"""The connector's arrival from the hub (:func:`vanban.connector.arrival.receive_package`)
against the shared hostile XML corpus (:mod:`testkit.hostile`) and the edXML inputs the
fuzzer found: every case is refused as unreadable with a code and a Vietnamese message,
and nothing is kept."""

import pytest

from testkit import hostile
from testkit.fuzz import REGRESSIONS
from vanban.connector.arrival import receive_package
from vanban.connector.errors import PackageUnreadable
from vanban.connector.models import ReceivedPackage
from vanban.registry.models import IncomingDocument

pytestmark = pytest.mark.django_db

CASES = hostile.xml_documents() + [
    hostile.Hostile(f"fuzz-{p.stem}", p.read_bytes()) for p in sorted((REGRESSIONS / "edxml").glob("[!.]*"))
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_xml_from_the_hub_is_refused_and_nothing_kept(office, case):
    with pytest.raises(PackageUnreadable) as caught:
        receive_package(office.so_khcn, case.data, hub_package_id="p-hostile")
    assert caught.value.code and caught.value.message_vi.startswith("Gói tin không đọc được")
    assert ReceivedPackage.objects.count() == 0 and IncomingDocument.objects.count() == 0
