"""Long polling of the inbox: a request that asked to wait (``GET inbox?wait=N``) sleeps
until something arrives for its agency, or the wait ends.

- **The same process**: a committed delivery wakes the waiting requests of its recipient
  at once (:func:`notify_on_commit` registers the wake-up with the transaction's commit).
- **Other processes** (``vanban serve --processes N``, several servers): on PostgreSQL the
  same statement's transaction sends ``NOTIFY vanban_hub_inbox, '<recipient code>'``, which
  PostgreSQL delivers only when it commits; one thread per process (started by the first
  waiting request) keeps a connection of its own that ``LISTEN``\\ s, and wakes the waiting
  requests of that code. Should that connection be lost, the requests look at the
  database every :data:`POLL_SECONDS` until it is back (and once when it is). On SQLite,
  which has no notifications, they look every :data:`POLL_SECONDS`.

A waiting request holds neither a transaction nor a database connection while it sleeps
(the connection is closed; the next query opens one). At most ``VANBAN_HUB_WAITERS``
requests wait at once in one process; one more is answered at once, as if it had not
asked to wait. The server has a thread for each of them, and at most
``VANBAN_HUB_KEPT_CONNECTIONS`` threads keep a database connection between requests
(:func:`keep_few_connections`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.db import connection, connections, transaction

from vanban import fastsql
from vanban.exchange import conf

logger = logging.getLogger(__name__)

__all__ = [
    "CHANNEL",
    "POLL_SECONDS",
    "keep_few_connections",
    "notify_on_commit",
    "release_all",
    "stop_listening",
    "wait_for",
    "wake",
]

CHANNEL = "vanban_hub_inbox"
POLL_SECONDS = 0.15  # SQLite, or PostgreSQL while the LISTEN connection is down
SAFETY_SECONDS = 5.0  # PostgreSQL with LISTEN: look anyway this often (a silently dead connection)

_lock = threading.Lock()
_waiting: dict[str, set[threading.Event]] = {}
_count = 0
_closing = threading.Event()


def release_all() -> None:
    """The server is stopping: every waiting request answers now with what there is, and
    none waits from here on (the server's threads end at once instead of after the wait)."""
    _closing.set()
    wake()


def wake(codes: Iterable[str] | None = None) -> None:
    """Wake the requests waiting for these agency codes (all of them with None)."""
    with _lock:
        if codes is None:
            events = [e for group in _waiting.values() for e in group]
        else:
            events = [e for code in codes for e in _waiting.get(code, ())]
    for event in events:
        event.set()


def notify_on_commit(codes: Iterable[str]) -> None:
    """Call inside the transaction that makes deliveries waiting for ``codes``: once it
    commits (only then), requests waiting for them here and in other processes wake up."""
    codes = sorted(set(codes))
    if not codes:
        return
    if fastsql.is_postgres():  # delivered by PostgreSQL at the commit, not before, not on rollback
        with fastsql.cursor() as cur:
            cur.execute("SELECT pg_notify(%s, c) FROM unnest(%s::text[]) AS c", [CHANNEL, codes])
    transaction.on_commit(lambda: wake(codes))


class _Listener(threading.Thread):
    """This process's ``LISTEN`` connection (PostgreSQL)."""

    def __init__(self) -> None:
        super().__init__(name="vanban-hub-listen", daemon=True)
        self.listening = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        while not self.stopping.is_set():
            try:
                params = connections["default"].get_connection_params()
                for key in ("context", "cursor_factory"):
                    params.pop(key, None)
                with psycopg.connect(autocommit=True, **params) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    wake()  # anything committed while we were not listening
                    while not self.stopping.is_set():
                        for note in conn.notifies(timeout=1.0):
                            wake([note.payload])
            except Exception:  # noqa: BLE001 - report, look at the database meanwhile, retry
                logger.warning("hub inbox LISTEN connection lost; retrying", exc_info=True)
            self.listening.clear()
            self.stopping.wait(1.0)


_listener: _Listener | None = None


def _listening() -> bool:
    """Whether this process receives notifications now (starting the listener if needed)."""
    global _listener
    if not fastsql.is_postgres():
        return False
    with _lock:
        if _listener is None or not _listener.is_alive():
            _listener = _Listener()
            _listener.start()
        listener = _listener
    return listener.listening.is_set()


def stop_listening(timeout: float = 5.0) -> None:
    """End this process's ``LISTEN`` connection (tests; a new waiting request starts another)."""
    global _listener
    with _lock:
        listener, _listener = _listener, None
    if listener is not None:
        listener.stopping.set()
        listener.join(timeout)


_holding: set[int] = set()  # threads of this process keeping their connection after a request


def keep_few_connections(sender=None, **kwargs) -> None:
    """At the end of a request (``request_finished``): keep this thread's database
    connection (``VANBAN_DB_CONN_MAX_AGE``) only while fewer than
    ``VANBAN_HUB_KEPT_CONNECTIONS`` threads of the process keep theirs; close it otherwise.
    waitress hands requests to its threads in turn, so with the waiting slots' threads every
    thread would soon hold a connection of its own (2 processes × 68 threads: more than
    PostgreSQL's default 100)."""
    ident = threading.get_ident()
    with _lock:
        if connection.connection is None or connection.in_atomic_block:
            _holding.discard(ident)
            return
        if ident in _holding or len(_holding) < conf.kept_connections():
            _holding.add(ident)
            return
    connection.close()


def _release_connection() -> None:
    if not connection.in_atomic_block:
        connection.close()


def wait_for(code: str, ready: Callable[[], bool], seconds: float) -> bool:
    """Wait up to ``seconds`` until ``ready()`` (a database query: is there something for
    ``code``?) is true; whether it is. With no free waiting slot, ``ready()`` once."""
    global _count
    event = threading.Event()
    with _lock:
        if _count >= conf.waiters() or _closing.is_set():
            slot = False
        else:
            slot = True
            _count += 1
            _waiting.setdefault(code, set()).add(event)
    if not slot:
        return ready()
    try:
        deadline = time.monotonic() + seconds
        while True:
            if ready():  # after registering: a wake-up from here on is not missed
                return True
            _release_connection()
            remaining = deadline - time.monotonic()
            if remaining <= 0 or _closing.is_set():
                return False
            event.wait(min(SAFETY_SECONDS if _listening() else POLL_SECONDS, remaining))
            event.clear()
    finally:
        with _lock:
            _count -= 1
            group = _waiting.get(code)
            if group is not None:
                group.discard(event)
                if not group:
                    del _waiting[code]
