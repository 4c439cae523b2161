"""The fault tests' province in processes (:class:`testkit.cluster.Cluster`): started by the
first test that needs it and shared by those that follow (they are in one xdist group, so one
worker runs them all, one after the other). Each test leaves it running and whole: what it
cut or killed is back before it checks the end state.

It is stopped as soon as the worker moves on to a test outside tests/faults: its nine
processes poll all the time, and a cluster kept for the whole session took a third of a core
from every test that ran after it."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_running: dict = {}


@pytest.fixture
def cluster(tmp_path_factory):
    from testkit.cluster import Cluster

    made = _running.get("cluster")
    if made is None:
        made = _running["cluster"] = Cluster(tmp_path_factory.mktemp("faults"))
    return made


def pytest_runtest_teardown(item, nextitem):
    if nextitem is not None and Path(nextitem.path).resolve().parent == HERE:
        return
    made = _running.pop("cluster", None)
    if made is not None:
        made.close()
