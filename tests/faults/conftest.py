"""The fault tests' province in processes (:class:`testkit.cluster.Cluster`): started once
for the session and shared by the tests that need it (they are in one xdist group, so one
worker runs them all, one after the other). Each test leaves it running and whole: what it
cut or killed is back before it checks the end state."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    from testkit.cluster import Cluster

    made = Cluster(tmp_path_factory.mktemp("faults"))
    yield made
    made.close()
