"""``vanban serve --processes N``: several server processes answer on one port, one that
dies is replaced, and Ctrl-C stops them all."""

from __future__ import annotations

import http.client
import json
import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from testkit import hub as testing

pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def me(node: testing.Node, token: str) -> dict:
    req = urllib.request.Request(node.api + "me", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def hub(tmp_path):
    node = testing.Node("truc", tmp_path, "hub")
    testing.prepare(node, [("000.00.02.H99", "Sở Nội vụ")])
    token = testing.issue_token(node, "000.00.02.H99")
    node.start(processes=2, threads=2)
    yield node, token
    node.close()


def socket_inodes(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def test_two_processes_share_the_connections_on_one_port(hub):
    node, token = hub
    pids = children(node.proc.pid)
    assert len(pids) == 2
    before = {pid: socket_inodes(pid) for pid in pids}
    # 16 open connections, each answered; the kernel spreads them over both processes
    conns = []
    for _ in range(16):
        conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=10)
        conn.request("GET", "/hub/v1/me", headers={"Authorization": f"Bearer {token}"})
        answer = conn.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["agency_code"] == "000.00.02.H99"
        conns.append(conn)
    held = {pid: len(socket_inodes(pid) - before[pid]) for pid in pids}
    for conn in conns:
        conn.close()
    assert sum(held.values()) >= 16 and all(n > 0 for n in held.values()), held


def test_a_process_that_dies_is_replaced(hub):
    node, token = hub
    first = children(node.proc.pid)
    os.kill(first[0], signal.SIGKILL)
    now = testing.wait_for(
        lambda: (lambda c: c if len(c) == 2 and first[0] not in c else None)(children(node.proc.pid)),
        timeout=20,
        every=0.2,
        what="a new server process",
    )
    assert first[1] in now
    deadline = time.monotonic() + 10
    answered = 0
    while answered < 10 and time.monotonic() < deadline:
        answered += me(node, token)["hub_code"] == "truc"
    assert answered == 10


def test_ctrl_c_stops_every_process(hub):
    node, _ = hub
    pids = children(node.proc.pid)
    node.proc.send_signal(signal.SIGINT)
    assert node.proc.wait(timeout=30) == 0
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
