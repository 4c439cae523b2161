"""Connector settings (Django settings first, then the environment).

- ``VANBAN_TRUST_ROOTS``: PEM file or folder of trusted roots, to verify what arrives.
- ``VANBAN_CONNECTOR_PULL_SECONDS``: how often the worker pulls each inbox (default 10).
- ``VANBAN_CONNECTOR_FLUSH_SECONDS``: how often due outbox items are retried (default 5).
- ``VANBAN_CONNECTOR_BACKOFF_MAX``: the longest wait between two sends, seconds (default 300).
- ``VANBAN_CONNECTOR_LEASE_SECONDS``: how long a sender holds an outbox item it is sending
  (default 120): a worker killed mid-send leaves it held that long, then another sends it
  (the hub accepts a package once, so a second send is a duplicate, not a second copy).
- ``VANBAN_CONNECTOR_LONG_POLL``: how long each pull asks the hub to wait for something to
  arrive, seconds (default 20): the worker's listeners (:mod:`vanban.connector.listener`)
  pull each inbox back to back, so a package is taken about as soon as it reaches the hub.
  0 turns long polling off: only the periodic pull remains.
- ``VANBAN_CONNECTOR_AFTER_PULL``: dotted paths of the tasks a listener runs right after a
  pull that brought something (a list in Django settings, or comma-separated), so what
  arrived becomes incoming documents and statuses without waiting for their periodic run.
- ``VANBAN_PDF_LIMITS``: the bounds every attached PDF must keep (:class:`vanban.pdfguard.PdfLimits`).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from vanban.pdfguard import PdfLimits


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


def lease_seconds() -> float:
    return _float("VANBAN_CONNECTOR_LEASE_SECONDS", 120.0)


def long_poll_seconds() -> float:
    value = _float("VANBAN_CONNECTOR_LONG_POLL", 20.0)
    return value if value > 0 else 0.0


def after_pull() -> list[str]:
    raw = getattr(settings, "VANBAN_CONNECTOR_AFTER_PULL", None)
    if raw is None:
        raw = os.environ.get("VANBAN_CONNECTOR_AFTER_PULL", "")
    if isinstance(raw, str):
        raw = raw.split(",")
    return [p.strip() for p in raw if p and p.strip()]


def pdf_limits() -> PdfLimits:
    return PdfLimits.from_mapping(getattr(settings, "VANBAN_PDF_LIMITS", None))
