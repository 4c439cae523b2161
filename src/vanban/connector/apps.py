"""The office's connector to a hub: the outbox that issuing writes (sent by a worker task
with backoff) and the inbox pulled from the hub (verified, de-duplicated, stored)."""

import os

from django.apps import AppConfig


def _every(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


class ConnectorConfig(AppConfig):
    name = "vanban.connector"
    label = "connector"
    verbose_name = "Kết nối trục liên thông"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.connector.tasks.pull_inbox", _every("VANBAN_CONNECTOR_PULL_SECONDS", 10.0)),
        ("vanban.connector.tasks.flush_outbox", _every("VANBAN_CONNECTOR_FLUSH_SECONDS", 5.0)),
    ]
