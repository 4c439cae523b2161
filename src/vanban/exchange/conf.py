"""Hub settings, read from Django settings first and the environment second.

- ``VANBAN_HUB_CODE``: this hub's own code, written in trace entries (default ``hub``).
- ``VANBAN_TRUST_ROOTS``: PEM file or folder of trusted root certificates (required to accept).
- ``VANBAN_HUB_MAX_PACKAGE_BYTES``: largest accepted body (default 50 MB).
- ``VANBAN_HUB_FETCH_DEADLINE_MINUTES``: a waiting package not fetched after this long is
  listed for the operator (default 60).
- ``VANBAN_HUB_FORWARD_MAX_ATTEMPTS``: forwarding attempts before a forward is marked failed
  (default 50; with the backoff capped at 10 minutes that is several hours).
- ``VANBAN_HUB_CACHE_SECONDS``: how long credentials, routing and agency resolutions read
  by requests are kept in the process (default 5; 0 = read them on every request). A change
  made in another process (revoking on the command line) takes effect within that time.
- ``VANBAN_HUB_MAX_WAIT``: the longest an inbox request may wait for something to arrive
  (``?wait=N``, long polling), seconds (default 25; 0 = never wait, ``wait`` is ignored).
- ``VANBAN_HUB_WAITERS``: how many inbox requests may wait at once in one server process
  (default 8); ``vanban serve`` gives a hub as many threads more than ``--threads``, so the
  waiting requests never take the threads the other requests need. A request beyond them
  is answered at once.
- ``VANBAN_HUB_KEPT_CONNECTIONS``: how many threads of one server process keep their
  database connection between requests (with ``VANBAN_DB_CONN_MAX_AGE``; default 64); the
  others close theirs at the end of each request. waitress hands requests to its threads in
  turn, so a thread beyond this number reconnects for every request it serves: keep it at
  least ``--threads`` + ``VANBAN_HUB_WAITERS`` (the hub bench fell from ~160 to ~75
  packages/s with 64 waiters and 8 kept), and the processes' total under PostgreSQL's
  ``max_connections``.
- ``VANBAN_VDXP_PREFIX``: the path of the national hub's protocol (``docs/vdxp.md``), default
  ``/vdxp/`` (a vendor client's endpoint is then ``https://HUB/vdxp``).
- ``VANBAN_VDXP_SECRET_KEY``: the key the VDXP system secrets are sealed with (default: derived
  from ``SECRET_KEY``); changing it makes every issued secret unreadable (issue them again).
- ``VANBAN_HUB_SANDBOX``: ``1`` turns on the conformance sandbox (``vanban serve --role hub
  --sandbox``): test systems are accepted and every VDXP request is recorded.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

DEFAULT_MAX_PACKAGE_BYTES = 50 * 1024 * 1024


def _get(name: str, default: str | None = None) -> str | None:
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name)
    return default if value is None or value == "" else str(value)


def _int(name: str, default: int) -> int:
    raw = _get(name)
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def hub_code() -> str:
    return _get("VANBAN_HUB_CODE", "hub") or "hub"


def trust_roots() -> Path | None:
    raw = _get("VANBAN_TRUST_ROOTS")
    return Path(raw) if raw else None


def max_package_bytes() -> int:
    return _int("VANBAN_HUB_MAX_PACKAGE_BYTES", DEFAULT_MAX_PACKAGE_BYTES)


def fetch_deadline_minutes() -> int:
    return _int("VANBAN_HUB_FETCH_DEADLINE_MINUTES", 60)


def forward_max_attempts() -> int:
    return _int("VANBAN_HUB_FORWARD_MAX_ATTEMPTS", 50)


def cache_seconds() -> float:
    raw = _get("VANBAN_HUB_CACHE_SECONDS")
    try:
        return float(raw) if raw is not None else 5.0
    except ValueError:
        return 5.0


def max_wait() -> float:
    raw = _get("VANBAN_HUB_MAX_WAIT")
    try:
        value = float(raw) if raw is not None else 25.0
    except ValueError:
        value = 25.0
    return value if value > 0 else 0.0


def waiters() -> int:
    return max(0, _int("VANBAN_HUB_WAITERS", 8))


def kept_connections() -> int:
    return max(0, _int("VANBAN_HUB_KEPT_CONNECTIONS", 64))


def vdxp_prefix() -> str:
    raw = (_get("VANBAN_VDXP_PREFIX", "/vdxp/") or "/vdxp/").strip("/")
    return f"/{raw}/" if raw else "/vdxp/"


def sandbox() -> bool:
    return (_get("VANBAN_HUB_SANDBOX", "") or "").lower() in ("1", "true", "yes", "on")
