"""Long polling across hub processes: ``vanban serve --role hub --processes 2`` (SQLite file,
or its own PostgreSQL database when DATABASE_URL is PostgreSQL). Requests waiting in either
process get a package accepted by either, as it arrives; while they wait, they hold no
database connection (PostgreSQL: only each process's LISTEN connection is open), and after
them only ``VANBAN_HUB_KEPT_CONNECTIONS`` threads of each process keep theirs."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest

from testkit import hub as testing
from vanban.exchange import wakeup

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]
WAITERS = 6  # over separate connections: the kernel spreads them over both processes
WAITED_OUT = 15.0  # of a 30 s wait: woken, not timed out

pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]


def get(url: str, token: str, timeout: float = 60) -> tuple[int, dict, dict]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, dict(r.headers), json.loads(r.read())


def hub_connections(database_url: str) -> tuple[int, int]:
    """(LISTEN connections, other connections) open to the hub's PostgreSQL database."""
    import psycopg

    server, _, dbname = database_url.rpartition("/")
    with psycopg.connect(f"{server}/postgres") as conn:
        rows = conn.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [dbname]
        ).fetchall()
    listening = sum(1 for (q,) in rows if q.startswith("LISTEN"))
    return listening, len(rows) - listening


def test_requests_waiting_in_both_hub_processes_get_a_package_as_it_arrives(nodes, hub_pki):
    hub = nodes(
        "hub",
        "hub",
        {
            "VANBAN_TRUST_ROOTS": str(hub_pki.root_pem),
            "VANBAN_DB_CONN_MAX_AGE": "60",  # as a hub runs: connections kept between requests...
            "VANBAN_HUB_KEPT_CONNECTIONS": "1",  # ...by one thread of each process only
        },
    )
    testing.prepare(hub, AGENCIES)
    tokens = {code: testing.issue_token(hub, code) for code, _ in AGENCIES}
    hub.start(processes=2, threads=4)
    assert any("mỗi tiến trình 12 luồng" in line for line in hub.output)  # 4 + 8 waiting slots (the default)

    answers: list[tuple[float, float, int, dict, dict]] = []

    def wait() -> None:
        started = time.monotonic()
        status, headers, body = get(hub.api + "inbox/content?wait=30", tokens[SKHCN])
        answers.append((time.monotonic() - started, time.monotonic(), status, headers, body))

    waiting = [threading.Thread(target=wait) for _ in range(WAITERS)]
    for t in waiting:
        t.start()
    time.sleep(1.0)  # all of them waiting by now
    assert len(answers) == 0
    if testing.is_postgres():
        listening, others = hub_connections(hub.database_url)
        assert 1 <= listening <= 2 and others == 0, (listening, others)

    data = testing.signed(testing.envelope(SNV, [SKHCN], 1), hub_pki.snv)
    req = urllib.request.Request(
        hub.api + "packages",
        data=data,
        headers={"Authorization": f"Bearer {tokens[SNV]}", "Content-Type": "application/xml"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        package_id = json.loads(r.read())["id"]
    posted = time.monotonic()
    for t in waiting:
        t.join(60)

    assert len(answers) == WAITERS
    for took, answered, status, headers, body in answers:
        assert status == 200 and headers["X-Hub-Wait-Max"] == "25"
        assert [(i["package_id"], i["sender_code"]) for i in body["items"]] == [(package_id, SNV)]
        assert took < WAITED_OUT
        if testing.is_postgres():  # woken by the NOTIFY, not by the look at SAFETY_SECONDS after it began
            assert answered - posted < wakeup.SAFETY_SECONDS / 2
    # and the inbox still answers at once, with it (taken, not acked)
    _, _, body = get(hub.api + "inbox?wait=30", tokens[SKHCN], timeout=WAITED_OUT)
    assert [(i["package_id"], i["state"]) for i in body["items"]] == [(package_id, "fetched")]
    if testing.is_postgres():  # eight requests served by as many threads: one connection kept per process
        # (a connection closed at the end of a request leaves pg_stat_activity a moment later)
        deadline = time.monotonic() + 5
        while (others := hub_connections(hub.database_url)[1]) > 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert others <= 2, others


def test_a_hub_stopped_during_a_long_poll_answers_it_before_it_goes(nodes, hub_pki):
    hub = nodes("hub", "hub", {"VANBAN_TRUST_ROOTS": str(hub_pki.root_pem)})
    testing.prepare(hub, AGENCIES)
    token = testing.issue_token(hub, SNV)
    hub.start()
    answers: list = []

    def poll() -> None:
        try:
            answers.append(get(hub.api + "inbox?wait=30", token))
        except OSError as exc:  # the connection dropped without an answer
            answers.append(exc)

    waiting = threading.Thread(target=poll)
    waiting.start()
    time.sleep(2)  # the request reaches the hub and waits (nothing for SNV); nothing tells it from outside
    hub.stop()  # SIGINT, as Ctrl-C or a service manager's restart
    waiting.join(40)
    (answer,) = answers
    assert not isinstance(answer, Exception), answer
    status, _, body = answer
    assert status == 200 and body["items"] == []
