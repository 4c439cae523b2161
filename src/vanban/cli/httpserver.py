"""The waitress server that ``vanban serve`` starts (one process or several): one place
for its options.

- ``recv_bytes`` 64 KiB instead of 8 KiB: a 100 KB package arrives in two reads of the
  event loop instead of thirteen;
- ``outbuf_overflow`` 16 MiB instead of 1 MiB: an inbox answer with the packages' bytes
  (8 MiB at most by default) stays in memory instead of going through a temporary file;
- ``channel_timeout`` 30 s instead of 120 s (``VANBAN_HTTP_IDLE_SECONDS``), checked as often:
  an idle keep-alive connection is closed sooner
  (the national hub's client library leaves one open after every list call; an inbox request
  that waits is being served, not idle, so long polling is not cut);
- ``connection_limit`` at least twice the threads (waitress's default is 100): a hub's
  long-polling offices each keep a connection open while they wait.
"""

from __future__ import annotations

import os
from typing import Any

OPTIONS: dict[str, Any] = {"recv_bytes": 64 * 1024, "outbuf_overflow": 16 * 1024 * 1024}


def _idle_seconds() -> int:
    try:
        return max(1, int(os.environ.get("VANBAN_HTTP_IDLE_SECONDS") or 30))
    except ValueError:
        return 30


def create(application, **kw):
    from waitress import create_server

    kw.setdefault("connection_limit", max(100, 2 * int(kw.get("threads", 4))))
    idle = _idle_seconds()
    kw.setdefault("channel_timeout", idle)
    kw.setdefault("cleanup_interval", min(30, idle))
    return create_server(application, **OPTIONS, **kw)
