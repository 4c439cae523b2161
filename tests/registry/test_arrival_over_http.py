"""Near-instant arrival between two real offices: the connector's listeners long-poll the hub.

A hub and two offices run as separate processes (``vanban serve`` plus ``vanban worker``,
each with its own database), set up as in ``test_incoming_over_http.py`` (its fixtures and
helpers are reused). The offices' periodic pull and registry sync are set to a minute, so
only the listeners can bring a document to office B and its ``01`` back to office A within
the test's wait: office A issues a công văn to office B; B's clerk finds it in *Văn bản
đến* and A's clerk sees B's "01 Đã đến" on the outgoing document's page. Then the hub is
restarted with ``VANBAN_HUB_MAX_WAIT=0`` (it ignores ``wait`` and says nothing of waiting):
the listeners fall back to pulling every ``VANBAN_CONNECTOR_PULL_SECONDS`` (now 1 s, and the
registry sync too) and a second document makes the same journey.
"""

from __future__ import annotations

import importlib.util
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from testkit import hub as testing

_spec = importlib.util.spec_from_file_location(
    "incoming_over_http", Path(__file__).with_name("test_incoming_over_http.py")
)
over_http = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(over_http)
pki = over_http.pki  # the fixture: a test CA, both agencies' keys and A's signer's key

SNV, SKHCN, AGENCIES = over_http.SNV, over_http.SKHCN, over_http.AGENCIES
SLOW_PERIODIC = {
    "VANBAN_CONNECTOR_PULL_SECONDS": "180",  # the periodic pull would be too late for the waits below
    "VANBAN_REGISTRY_SYNC_SECONDS": "180",  # so would the registry's periodic sync
}
# A listener brings it in about a second; the margin is for a CI machine busy with OCR on
# both cores (20 s once ran out there). Still far under the periodic pull's 180 s, so an
# arrival within it is the listener's.
ARRIVAL_WAIT = 45.0

pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]


def issue(office: testing.Node, subject: str) -> dict:
    outgoing = json.loads(testing.django_shell(office, over_http.ISSUE.format(subject=subject, to=SKHCN)))
    assert outgoing["state"] == "da-phat-hanh"
    return outgoing


def journey(a, b, subject: str, timeout: float) -> None:
    """A issues; B's clerk sees it arrive; A's clerk sees B's 01 (within ``timeout`` each)."""
    outgoing = issue(a, subject)
    clerk = over_http.Browser(b.url)
    clerk.login("vanthu.skhcn")
    url = testing.wait_for(
        lambda: over_http.link_to(clerk.get("/van-ban-den/"), "/van-ban-den/", subject),
        timeout=timeout,
        every=0.2,
        what=f"{subject!r} in office B's incoming list",
    )
    page = clerk.get(url)
    assert over_http.text_of(page, "state") == "Đã đến" and outgoing["so_ky_hieu"] in page

    sender = over_http.Browser(a.url)
    sender.login("vanthu.snv")

    def arrived_shown():
        page = sender.get(f"/van-ban-di/{outgoing['pk']}/")
        return [(c, n) for c, n, _ in over_http.recipient_statuses(page, "Sở Khoa học và Công nghệ")]

    assert testing.wait_for(arrived_shown, timeout=timeout, every=0.2, what="01 on office A's page") == [
        ("01", "Đã đến")
    ]
    data = json.loads(testing.django_shell(a, over_http.STATUSES.format(pk=outgoing["pk"], to=SKHCN)))
    assert data["last"] == "01"


def test_a_document_arrives_and_its_01_shows_at_the_sender_by_long_polling_and_by_polling_a_hub_that_does_not_wait(
    nodes, pki
):
    office_env = {"VANBAN_TRUST_ROOTS": pki["root"], **SLOW_PERIODIC}
    hub = nodes("hub", "hub", {"VANBAN_TRUST_ROOTS": pki["root"]})
    a = nodes("office-a", "office", office_env)
    b = nodes("office-b", "office", office_env)
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda node: testing.prepare(node, AGENCIES), (hub, a, b)))
    tokens = {code: testing.issue_token(hub, code) for code, _ in AGENCIES}
    hub.start()
    with ThreadPoolExecutor(2) as pool:
        for done in [
            pool.submit(over_http.seed_office, node, code, pki, hub.api, tokens[code])
            for node, code in ((a, SNV), (b, SKHCN))
        ]:
            done.result()
    for office in (a, b):
        office.start()
        office.start_worker()  # with its listener: VANBAN_CONNECTOR_LONG_POLL defaults to 20 s

    journey(a, b, "V/v phối hợp triển khai chuyển đổi số năm 2026", ARRIVAL_WAIT)

    # The same hub, now not waiting: the listeners poll it every second instead.
    port = hub.port
    hub.stop()
    hub.env["VANBAN_HUB_MAX_WAIT"] = "0"
    hub.start(port=port)
    for office in (a, b):
        office.stop()
        # whichever pulls first, the listener or the periodic pull (its package then waits for the sync)
        office.env.update({"VANBAN_CONNECTOR_PULL_SECONDS": "1", "VANBAN_REGISTRY_SYNC_SECONDS": "1"})
        office.start()
        office.start_worker()
    journey(a, b, "V/v báo cáo kết quả chuyển đổi số quý IV năm 2026", ARRIVAL_WAIT)
