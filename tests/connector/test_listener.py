"""The listener's pacing (:func:`vanban.connector.listener.pause_after`): at once after a
pull that brought something or waited at the hub; the pull interval when the hub does not
wait; backing off after errors. The listener against real processes:
``tests/registry/test_arrival_over_http.py``."""

from __future__ import annotations

from vanban.connector.inbox import PullResult
from vanban.connector.listener import pause_after


def test_pulls_again_at_once_after_something_came_or_the_hub_waited(settings):
    settings.VANBAN_CONNECTOR_PULL_SECONDS = 10
    assert pause_after(PullResult(received=1, hub_wait=25), 20, 0.1, 0) == 0
    assert pause_after(PullResult(statuses=2), 20, 0.1, 0) == 0  # also from a hub that does not wait
    assert pause_after(PullResult(hub_wait=25), 20, 20.0, 0) == 0  # waited the whole time, nothing came


def test_a_hub_that_does_not_wait_is_pulled_every_pull_seconds(settings):
    settings.VANBAN_CONNECTOR_PULL_SECONDS = 7
    assert pause_after(PullResult(), 20, 0.01, 0) == 7  # no X-Hub-Wait-Max
    assert pause_after(PullResult(hub_wait=0), 20, 0.01, 0) == 7
    assert pause_after(PullResult(hub_wait=25), 20, 0.01, 0) == 7  # answered at once with nothing: no slot
    assert pause_after(PullResult(hub_wait=2), 20, 2.0, 0) == 0  # its own, shorter wait


def test_errors_back_off_doubling_up_to_the_pull_interval(settings):
    settings.VANBAN_CONNECTOR_PULL_SECONDS = 10
    failed = PullResult(errors=["hub unreachable"])
    assert [pause_after(failed, 20, 0.01, n) for n in (1, 2, 3, 4, 5, 6, 9)] == [0.5, 1, 2, 4, 8, 10, 10]
    assert pause_after(None, 20, 0.01, 1) == 0.5  # the pull raised
