"""Django's PostgreSQL backend, with the connection health check skipped for a
connection that finished a request without error less than a second ago.

With persistent connections (``VANBAN_DB_CONN_MAX_AGE``) and health checks on, Django
sends ``SELECT 1`` at the start of every request that uses the database: one more round
trip for each package a busy hub accepts (hundreds a second). A connection used a moment
ago is almost surely alive; the check still runs after a pause, when a restarted or
unreachable server is likely. Should the server go away within that second, the request
fails with a database error, Django closes the broken connection at its end, and the
next request connects anew (clients retry: late, not lost).
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

RECENT_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _last_seen = 0.0
    _recent = False
    health_check_enabled: bool  # set by BaseDatabaseWrapper; django-stubs does not declare it

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
