"""Long polling of the hub's inbox, in process: ``?wait=N`` answers at once when something
waits, waits (at most ``VANBAN_HUB_MAX_WAIT``) when nothing does, is woken by a delivery
committed meanwhile, says so in ``X-Hub-Wait-Max``, and is ignored when the hub is set not
to wait or has no free waiting slot. Across server processes: ``test_hub_longpoll_processes.py``."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from vanban.exchange import wakeup
from vanban.exchange.models import Delivery

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"

WAITED_OUT = 15.0  # a request woken before this, of a 30 s wait, was woken and did not time out


@pytest.fixture(autouse=True)
def _no_listen_connection_left():
    yield
    wakeup.stop_listening()  # PostgreSQL: the test database can be dropped


def timed(call, *args):
    started = time.monotonic()
    answer = call(*args)
    return answer, time.monotonic() - started


def test_something_waiting_is_answered_at_once_and_the_answer_says_the_hub_waits(hub):
    _, sent = hub.send(1)
    for path in ("inbox?wait=30", "inbox/content?wait=30"):
        r, took = timed(hub.get, path, hub.tokens[SKHCN])
        assert r.status_code == 200 and r["X-Hub-Wait-Max"] == "25"
        assert [i["package_id"] for i in r.json()["items"]] == [sent.json()["id"]]
        assert took < WAITED_OUT


def test_nothing_waiting_waits_then_answers_an_empty_list(hub):
    for path in ("inbox?wait=0.6", "inbox/content?wait=0.6"):
        r, took = timed(hub.get, path, hub.tokens[SKHCN])
        assert r.status_code == 200 and r["X-Hub-Wait-Max"] == "25"
        assert r.json() == {"items": [], "next_cursor": None}
        assert took >= 0.6  # it did wait


def test_the_wait_is_capped_by_the_setting(hub, settings):
    settings.VANBAN_HUB_MAX_WAIT = 0.5
    r, took = timed(lambda: hub.get("inbox/content?wait=30", hub.tokens[SKHCN]))
    assert r["X-Hub-Wait-Max"] == "0.5" and r.json()["items"] == []
    assert 0.5 <= took < WAITED_OUT


def test_a_cursor_waits_for_what_comes_after_it(hub):
    _, sent = hub.send(2)
    box = hub.get("inbox", hub.tokens[SKHCN]).json()
    r, took = timed(lambda: hub.get(f"inbox?after={box['next_cursor']}&wait=0.5", hub.tokens[SKHCN]))
    assert r.json()["items"] == [] and took >= 0.5  # the one before the cursor does not count


@pytest.mark.parametrize("setting", ["VANBAN_HUB_MAX_WAIT", "VANBAN_HUB_WAITERS"])
def test_a_hub_set_not_to_wait_or_without_a_free_slot_answers_at_once(hub, settings, setting):
    setattr(settings, setting, "0")
    r, took = timed(lambda: hub.get("inbox/content?wait=30", hub.tokens[SKHCN]))
    assert r.status_code == 200 and r.json()["items"] == []
    assert took < WAITED_OUT
    if setting == "VANBAN_HUB_MAX_WAIT":
        assert "X-Hub-Wait-Max" not in r  # the client can tell the hub does not wait


def test_nonsense_waits_are_refused_or_do_not_wait(hub):
    assert hub.get("inbox?wait=soon", hub.tokens[SKHCN]).json()["code"] == "invalid_parameters"
    for value in ("-5", "nan"):
        r, took = timed(hub.get, f"inbox?wait={value}", hub.tokens[SKHCN])
        assert r.status_code == 200 and r.json()["items"] == [] and took < WAITED_OUT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_waiting_request_is_woken_by_a_delivery_committed_meanwhile(hub):
    answers = {}

    def wait(path):
        try:
            answers[path] = timed(
                lambda: hub.client.get(f"/hub/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {hub.tokens[SKHCN]}")
            )
        finally:
            connection.close()  # this thread's own

    waiting = [threading.Thread(target=wait, args=(p,)) for p in ("inbox?wait=30", "inbox/content?wait=30")]
    for t in waiting:
        t.start()
    time.sleep(0.5)
    _, sent = hub.send(3)
    for t in waiting:
        t.join(40)
    for path, (r, took) in answers.items():
        assert [i["package_id"] for i in r.json()["items"]] == [sent.json()["id"]], path
        assert took < WAITED_OUT, path  # woken, not at the end of its wait
    # the content answer marked it fetched, as without waiting
    assert Delivery.objects.get(package_id=sent.json()["id"]).state == "fetched"
    assert {i["sender_code"] for r, _ in answers.values() for i in r.json()["items"]} == {SNV}
