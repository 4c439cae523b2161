"""Connector settings (Django settings first, then the environment).

- ``VANBAN_TRUST_ROOTS``: PEM file or folder of trusted roots, to verify what arrives.
- ``VANBAN_CONNECTOR_PULL_SECONDS``: how often the worker pulls each inbox (default 10).
- ``VANBAN_CONNECTOR_FLUSH_SECONDS``: how often due outbox items are retried (default 5).
- ``VANBAN_CONNECTOR_BACKOFF_MAX``: the longest wait between two sends, seconds (default 300).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _get(name: str, default: str | None = None) -> str | None:
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name)
    return default if value is None or value == "" else str(value)


def _float(name: str, default: float) -> float:
    try:
        return float(_get(name) or default)
    except ValueError:
        return default


def trust_roots() -> Path | None:
    raw = _get("VANBAN_TRUST_ROOTS")
    return Path(raw) if raw else None


def pull_seconds() -> float:
    return _float("VANBAN_CONNECTOR_PULL_SECONDS", 10.0)


def flush_seconds() -> float:
    return _float("VANBAN_CONNECTOR_FLUSH_SECONDS", 5.0)


def backoff_max() -> float:
    return _float("VANBAN_CONNECTOR_BACKOFF_MAX", 300.0)
