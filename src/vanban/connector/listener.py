"""Near-instant arrivals: each hub account's inbox long-polled back to back.

:class:`Listeners` (started by ``vanban worker`` and the demo beside the periodic
scheduler) keeps one :class:`Listener` thread per active hub account. A listener calls
:func:`vanban.connector.inbox.pull` with ``wait=VANBAN_CONNECTOR_LONG_POLL``: the hub
answers as soon as something arrives for the agency (or when the wait ends, with
nothing), and the listener pulls again at once. After a pull that brought something it
sends the outbox's due items at once (the ``01`` just queued for each new document) and
runs the tasks named in ``VANBAN_CONNECTOR_AFTER_PULL`` (by default the registry's
``apply_exchange_updates``: the connector does not import the registry), so a document
issued in one office shows as arrived in the other, and its ``01`` at the sender, within
about a second.

A hub that does not wait (no ``X-Hub-Wait-Max`` in its answer, or one that answered at
once with nothing) is pulled every ``VANBAN_CONNECTOR_PULL_SECONDS``, as the periodic
task does. After an error (hub unreachable, a package that failed) the listener waits
0.5 s, doubling up to ``VANBAN_CONNECTOR_PULL_SECONDS``. With
``VANBAN_CONNECTOR_LONG_POLL=0`` no listener starts and the periodic ``pull_inbox`` does
the pulling alone (it runs in any case, every ``VANBAN_CONNECTOR_PULL_SECONDS``).

Stopping sets an event: a listener stops at its next step. One blocked in a long poll is
a daemon thread and ends with the process; what it had taken and not acknowledged comes
again at the next pull (delivery is at least once; the connector stores a document once).
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.utils.module_loading import import_string

from vanban.connector import conf, inbox, outbox
from vanban.connector.models import HubAccount

logger = logging.getLogger(__name__)

__all__ = ["Listener", "Listeners", "pause_after", "run_after_pull"]

FIRST_BACKOFF = 0.5


def pause_after(result: inbox.PullResult | None, wait: float, elapsed: float, failures: int) -> float:
    """Seconds to sleep before the next pull. ``result`` None: the pull raised."""
    every = conf.pull_seconds()
    if result is None or result.errors:
        return min(every, FIRST_BACKOFF * 2 ** max(0, failures - 1))
    if result.received or result.statuses or result.duplicates:
        return 0.0  # more may be on its way
    if not result.hub_wait or result.hub_wait <= 0:
        return every  # the hub does not wait: poll, as the periodic pull does
    if elapsed < 0.5 * min(wait, result.hub_wait):
        return every  # it answered at once with nothing (no free waiting slot): do not spin
    return 0.0


def run_after_pull() -> None:
    """Send the 01s just queued, then run the ``VANBAN_CONNECTOR_AFTER_PULL`` tasks here."""
    try:
        outbox.send_due()
    except Exception:  # noqa: BLE001 - the worker's flush_outbox retries them
        logger.exception("listener: could not send the outbox")
    for path in conf.after_pull():
        try:
            task = import_string(path)
            (task.call if hasattr(task, "call") else task)()
        except Exception:  # noqa: BLE001 - its periodic run does the work later
            logger.exception("listener: after-pull task %s failed", path)


class Listener(threading.Thread):
    """Long-poll one hub account's inbox until stopped or the account is no longer active."""

    def __init__(self, account_id: int, stopping: threading.Event) -> None:
        super().__init__(name=f"vanban-listener-{account_id}", daemon=True)
        self.account_id = account_id
        self.stopping = stopping

    def run(self) -> None:
        failures = 0
        try:
            while not self.stopping.is_set():
                close_old_connections()  # no connection kept open across a long poll (CONN_MAX_AGE)
                account = HubAccount.objects.select_related("agency").filter(pk=self.account_id, active=True).first()
                if account is None:
                    return
                wait = conf.long_poll_seconds()
                started = time.monotonic()
                result: inbox.PullResult | None = None
                try:
                    result = inbox.pull(account, wait=wait)
                    for err in result.errors:
                        logger.warning("pull %s: %s", account.agency.code, err)
                    if result.received or result.statuses:
                        run_after_pull()
                except Exception:  # noqa: BLE001 - keep listening; back off
                    logger.exception("listener %s: pull failed", account.agency.code)
                failures = failures + 1 if result is None or result.errors else 0
                pause = pause_after(result, wait, time.monotonic() - started, failures)
                if pause > 0:
                    close_old_connections()
                    self.stopping.wait(pause)
        finally:
            close_old_connections()


class Listeners(threading.Thread):
    """One :class:`Listener` per active hub account; looks for new or re-activated accounts
    every ``VANBAN_CONNECTOR_PULL_SECONDS``. Does nothing when long polling is off."""

    def __init__(self) -> None:
        super().__init__(name="vanban-listeners", daemon=True)
        self.stopping = threading.Event()
        self.listeners: dict[int, Listener] = {}

    def refresh(self) -> None:
        ids = list(HubAccount.objects.filter(active=True).values_list("pk", flat=True))
        close_old_connections()
        for pk in ids:
            current = self.listeners.get(pk)
            if current is None or not current.is_alive():
                self.listeners[pk] = listener = Listener(pk, self.stopping)
                listener.start()

    def run(self) -> None:
        if conf.long_poll_seconds() <= 0:
            return
        while not self.stopping.is_set():
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - the database may be back at the next look
                logger.exception("listeners: cannot read the hub accounts")
            self.stopping.wait(max(1.0, conf.pull_seconds()))

    def stop(self, timeout: float = 2.0) -> None:
        """Ask every listener to stop; wait a little for those not blocked in a long poll."""
        self.stopping.set()
        deadline = time.monotonic() + timeout
        for listener in [self, *self.listeners.values()]:
            if listener.is_alive() and listener is not threading.current_thread():
                listener.join(max(0.0, deadline - time.monotonic()))
