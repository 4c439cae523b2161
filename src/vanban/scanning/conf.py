"""Settings of digitizing, read from Django settings (each from the environment):

- ``VANBAN_CONSUME_DIR``: the scanners' folders, one per agency, named by its identifier
  code (``<dir>/000.00.02.H99/``); ``""`` turns the consume folders off;
- ``VANBAN_CONSUME_SECONDS``: how often the worker looks into them (default 10);
- ``VANBAN_CONSUME_SETTLE_SECONDS``: a file is taken once it has not changed for this long
  (default 5), so a scan still being written is left alone;
- ``VANBAN_SCAN_MAX_BYTES``: the largest scan accepted (default 100 MB);
- ``VANBAN_SCAN_LOW_CONFIDENCE``: fields read with less confidence are highlighted (0.8).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _float(name: str, default: float) -> float:
    try:
        return float(getattr(settings, name, None) or os.environ.get(name) or default)
    except ValueError:
        return default


def consume_dir() -> Path | None:
    value = str(getattr(settings, "VANBAN_CONSUME_DIR", "") or "").strip()
    return Path(value) if value else None


def consume_every() -> float:
    return _float("VANBAN_CONSUME_SECONDS", 10.0)


def settle_seconds() -> float:
    return _float("VANBAN_CONSUME_SETTLE_SECONDS", 5.0)


def max_bytes() -> int:
    return int(_float("VANBAN_SCAN_MAX_BYTES", 100 * 1024 * 1024))


def low_confidence() -> float:
    return _float("VANBAN_SCAN_LOW_CONFIDENCE", 0.8)
