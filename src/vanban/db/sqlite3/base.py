"""Django's SQLite backend; the database file and its WAL and shared-memory companions are
made private (mode 0600) whenever a connection opens, and the folder holding them 0700 when
the database creates it.

The process umask (077, set by ``vanban`` and the WSGI entry point) already makes new files
private; this also covers a process started another way and a database created by an older
version with the default umask (readable by every user of the machine).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base

from vanban.secretbox import ensure_private_dir, make_private

COMPANIONS = ("", "-wal", "-shm", "-journal")


def _database_file(name: Any) -> Path | None:
    text = str(name)
    if not text or text == ":memory:" or text.startswith("file:") or "mode=memory" in text:
        return None
    return Path(text)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        path = _database_file(conn_params.get("database", ""))
        if path is not None and not path.parent.exists():
            ensure_private_dir(path.parent)
        conn = super().get_new_connection(conn_params)
        if path is not None:
            for suffix in COMPANIONS:
                companion = path.with_name(path.name + suffix)
                if companion.exists():
                    make_private(companion)
        return conn
