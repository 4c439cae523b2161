"""Django's PostgreSQL backend, with the connection health check skipped for a
connection that finished a request without error less than a second ago, and prepared
statements for :mod:`vanban.fastsql`.

With persistent connections (``VANBAN_DB_CONN_MAX_AGE``) and health checks on, Django
sends ``SELECT 1`` at the start of every request that uses the database: one more round
trip for each package a busy hub accepts (hundreds a second). A connection used a moment
ago is almost surely alive; the check still runs after a pause, when a restarted or
unreachable server is likely. Should the server go away within that second, the request
fails with a database error, Django closes the broken connection at its end, and the
next request connects anew (clients retry: late, not lost).
"""

from __future__ import annotations

import os
import time

from django.db.backends.postgresql import base

RECENT_SECONDS = 1.0
PREPARE_THRESHOLD = 5
"""Executions of one statement on a connection after which psycopg prepares it (its own
default). Django sets none (``prepare_threshold`` None: nothing is ever prepared, for the
sake of poolers that cannot keep them) unless the database's ``OPTIONS`` name one. Django's
own queries bind their values on the client and are never prepared whatever this says;
only :mod:`vanban.fastsql`'s statements are, those that run for every package (the hub's
accept, fetch and ack, the audit append): parsing and planning each anew cost the database
more than running it. ``VANBAN_DB_PREPARE=0`` turns it off (a pooler in transaction mode
that cannot keep prepared statements)."""


class DatabaseWrapper(base.DatabaseWrapper):
    _last_seen = 0.0
    _recent = False
    health_check_enabled: bool  # set by BaseDatabaseWrapper; django-stubs does not declare it

    def get_connection_params(self) -> dict:
        prepare = "prepare_threshold" not in self.settings_dict["OPTIONS"]
        params = super().get_connection_params()
        if prepare and os.environ.get("VANBAN_DB_PREPARE", "1").strip().lower() not in ("0", "false", "no", "off"):
            params["prepare_threshold"] = PREPARE_THRESHOLD
        return params

    def close_if_unusable_or_obsolete(self) -> None:
        # Django calls this when a request starts and when it ends: at the start, _recent
        # tells whether the previous request ended well less than RECENT_SECONDS ago.
        super().close_if_unusable_or_obsolete()
        now = time.monotonic()
        self._recent = self.connection is not None and now - self._last_seen < RECENT_SECONDS
        if self.connection is not None and not self.errors_occurred:
            self._last_seen = now

    def close_if_health_check_failed(self) -> None:
        if self.connection is not None and self.health_check_enabled and self._recent:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
