"""The hub unreachable for a while, then slow (seconds per request), then answering 500,
while the offices keep issuing: they queue, back off, and once the hub is back everything
arrives once, registered, with its statuses; nothing is lost."""

from __future__ import annotations

import time

import pytest

from testkit.cluster import fault_docs, report

pytestmark = [pytest.mark.slow, pytest.mark.uses_db]  # one worker: tests/conftest.py XDIST_GROUPS

PHASES = (("cut", 0.0), ("slow", 2.0), ("error500", 0.0))
PHASE_SECONDS = 3.0


def test_a_hub_down_slow_or_answering_500_delays_documents_but_loses_none(cluster):
    total = fault_docs(30)
    before = len(cluster.sent.docs)
    proxy = cluster.hub_proxy
    met = {}
    try:
        proxy.set("cut")
        cluster.send(total)  # issued while the hub is away: queued in the outboxes
        for mode, delay in PHASES:
            start = proxy.counts[mode]
            proxy.set(mode, delay)
            time.sleep(PHASE_SECONDS)
            met[mode] = proxy.counts[mode] - start
    finally:
        proxy.set("pass")
    shots = cluster.wait_settled()
    figures = cluster.check(shots)
    # every phase was met by the offices' requests, and the outbox did retry
    assert all(met[mode] > 0 for mode, _ in PHASES), met
    assert figures["retries"] > 0
    report(
        "hub down/slow/500",
        {
            "documents_this_test": len(cluster.sent.docs) - before,
            **figures,
            **{f"requests_met_{mode}": n for mode, n in met.items()},
            "phase_seconds": PHASE_SECONDS,
        },
    )
