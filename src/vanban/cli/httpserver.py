"""The waitress server that ``vanban serve`` starts (one process or several): one place
for its options.

- ``recv_bytes`` 64 KiB instead of 8 KiB: a 100 KB package arrives in two reads of the
  event loop instead of thirteen;
- ``outbuf_overflow`` 16 MiB instead of 1 MiB: an inbox answer with the packages' bytes
  (8 MiB at most by default) stays in memory instead of going through a temporary file.
"""

from __future__ import annotations

from typing import Any

OPTIONS: dict[str, Any] = {"recv_bytes": 64 * 1024, "outbuf_overflow": 16 * 1024 * 1024}


def create(application, **kw):
    from waitress import create_server

    return create_server(application, **OPTIONS, **kw)
