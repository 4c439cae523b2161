"""Periodic jobs (poll the hub, forward packages, reminders, monthly reports), scheduled
by the worker rather than cron.

Each Django app may declare ``periodic_tasks = [("dotted.path.to.task", seconds), ...]`` on
its AppConfig, where the path names a django-tasks ``Task``. A :class:`PeriodicScheduler`
thread inside every ``vanban worker`` (and the demo) enqueues each task when its interval
has passed; the database worker then runs it like any other task. Several workers may
enqueue the same job close together: periodic tasks must be idempotent (pulling an inbox
twice, forwarding an already-forwarded package, are no-ops).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)

__all__ = ["PeriodicJob", "PeriodicScheduler", "collect_jobs", "seconds_from_env"]


def seconds_from_env(name: str, default: float) -> float:
    """An app's interval for one of its ``periodic_tasks``: ``$name`` in seconds, or
    ``default`` when unset or not a number."""
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


@dataclass
class PeriodicJob:
    path: str
    every: float
    next_at: float = 0.0


def collect_jobs() -> list[PeriodicJob]:
    from django.apps import apps

    jobs = []
    for config in apps.get_app_configs():
        for path, every in getattr(config, "periodic_tasks", ()):
            jobs.append(PeriodicJob(path, float(every)))
    return jobs


class PeriodicScheduler(threading.Thread):
    """Enqueue each job when due; stop with :meth:`stop`."""

    def __init__(self, jobs: list[PeriodicJob] | None = None, tick: float = 0.5) -> None:
        super().__init__(name="vanban-periodic", daemon=True)
        self.jobs = collect_jobs() if jobs is None else jobs
        self.tick = tick
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run_due(self, now: float | None = None) -> list[str]:
        from django.db import close_old_connections
        from django.utils.module_loading import import_string

        now = time.monotonic() if now is None else now
        enqueued = []
        for job in self.jobs:
            if now < job.next_at:
                continue
            job.next_at = now + job.every
            try:
                import_string(job.path).enqueue()
                enqueued.append(job.path)
            except Exception:  # a broken job must not stop the others
                logger.exception("could not enqueue periodic task %s", job.path)
        close_old_connections()
        return enqueued

    def run(self) -> None:
        while not self._stop.is_set():
            self.run_due()
            self._stop.wait(self.tick)
