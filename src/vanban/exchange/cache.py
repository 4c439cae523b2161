"""Short-lived, process-local caches of what every hub request reads and almost never
changes: credentials, the routing configuration and agency resolutions.

- Entries live ``VANBAN_HUB_CACHE_SECONDS`` (default 5; 0 turns caching off). A change made
  in this process (revoking a credential, changing routing, saving an agency) clears the
  cache at once and again when its transaction commits; a change made by another process
  (``vanban hub credentials revoke`` on the command line) is seen within that time.
- Nothing is cached or served from the cache while the connection is inside a transaction:
  a transaction must see its own uncommitted writes, which a process-wide cache cannot
  know about (this also keeps tests, which run inside a transaction, isolated).
- A load that started before an invalidation is not stored (generation counter), so a
  slow reader cannot put back a value read before the change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from vanban.exchange import conf

MAX_ENTRIES = 10_000


class TtlCache:
    def __init__(self, name: str) -> None:
        self.name = name
        self._data: dict[Any, tuple[float, Any]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], Any], *, store: Callable[[Any], bool] | None = None) -> Any:
        """The cached value for ``key``, else ``load()`` (kept unless ``store(value)`` is false)."""
        ttl = conf.cache_seconds()
        if ttl <= 0 or connection.in_atomic_block:
            return load()
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        generation = self._generation
        value = load()
        if store is None or store(value):
            with self._lock:
                if generation == self._generation:
                    if len(self._data) >= MAX_ENTRIES:
                        self._data.clear()
                    self._data[key] = (now + ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._data.clear()

    def invalidate(self) -> None:
        """Clear now and, inside a transaction, once more when it commits."""
        self.clear()
        if connection.in_atomic_block:
            transaction.on_commit(self.clear)


credentials = TtlCache("credentials")
routing = TtlCache("routing")
agencies = TtlCache("agencies")


def clear_all() -> None:
    for cache in (credentials, routing, agencies):
        cache.clear()
