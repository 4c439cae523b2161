"""PostgreSQL connections cut mid-run (through a TCP proxy, so the machine's PostgreSQL
server itself is not touched): every process (hub, servers, workers, clerks) loses its
connection; they reconnect and carry on, no worker dies, nothing is lost."""

from __future__ import annotations

import time

import pytest

from testkit import hub as testing
from testkit.cluster import fault_docs, report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.uses_db,
    pytest.mark.postgres,
]

CUT_SECONDS = 3.0


def test_a_cut_database_connection_is_reconnected_and_no_worker_dies(request):
    if not testing.is_postgres():  # before the cluster starts: no processes for nothing
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgresql://...): on SQLite each process opens a file, "
            "there is no connection to cut"
        )
    cluster = request.getfixturevalue("cluster")
    total = fault_docs(30)
    before = len(cluster.sent.docs)
    proxy = cluster.db_proxy
    assert proxy is not None
    cuts = closed = 0
    cluster.send(total)
    for _ in range(2):  # in the middle of sending, receiving and registering
        time.sleep(0.5)
        closed += proxy.cut_open()
        proxy.set("cut")
        time.sleep(CUT_SECONDS)
        proxy.set("pass")
        cuts += 1
    time.sleep(1.0)
    assert cluster.dead_workers() == []  # the workers waited and reconnected instead of dying
    shots = cluster.wait_settled()
    assert cluster.dead_workers() == []
    figures = cluster.check(shots)
    report(
        "PostgreSQL cut",
        {
            "documents_this_test": len(cluster.sent.docs) - before,
            **figures,
            "cuts": cuts,
            "cut_seconds": CUT_SECONDS,
            "open_connections_cut": closed,
            "connections_refused_while_cut": proxy.counts["cut"],
        },
    )
