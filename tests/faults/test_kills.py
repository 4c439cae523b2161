"""``kill -9`` of the hub, of an office's server, of its worker and of its clerk at random
moments (seeded: the same run every time) while documents flow between four offices. After
the restarts every document is in each recipient's register exactly once, numbered without
gap or duplicate, every 01 and 03 is back at its sender, and every audit chain verifies."""

from __future__ import annotations

import random
import threading
import time

import pytest

from testkit.cluster import fault_docs, report

pytestmark = [pytest.mark.slow, pytest.mark.uses_db]  # one worker: tests/conftest.py XDIST_GROUPS

SEED = 1909
TARGETS = ("hub", "server", "worker", "clerk")
KILLS = 10
BATCHES = 2


def test_kill_9_at_random_moments_loses_nothing_and_doubles_nothing(cluster):
    rng = random.Random(SEED)
    total = fault_docs(40)
    before = len(cluster.sent.docs)
    kills: dict[str, int] = dict.fromkeys(TARGETS, 0)
    failed: list[BaseException] = []

    def send() -> None:  # documents keep coming while processes die
        try:
            for b in range(BATCHES):
                cluster.send(total // BATCHES + (1 if b < total % BATCHES else 0))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failed.append(exc)

    sender = threading.Thread(target=send)
    sender.start()
    done = 0
    while done < KILLS or sender.is_alive():  # the big run (VANBAN_FAULT_DOCS) kills as long as it sends
        done += 1
        time.sleep(rng.uniform(0.2, 1.5))  # somewhere in the middle of the flow
        target = rng.choice(TARGETS)
        cluster.kill(target, rng.randrange(len(cluster.offices)))
        kills[target] += 1
        time.sleep(rng.uniform(0.0, 0.8))  # the others meet a dead process
        cluster.revive()
    sender.join()
    assert failed == []
    shots = cluster.wait_settled()
    assert cluster.dead_workers() == []
    figures = cluster.check(shots)
    report(
        "kill -9",
        {
            "documents_this_test": len(cluster.sent.docs) - before,
            **figures,
            "kills": sum(kills.values()),
            **{f"kills_{t}": n for t, n in kills.items()},
            "seed": SEED,
        },
    )
