"""The office's connector to a hub: the outbox that issuing writes (sent by a worker task
with backoff) and the inbox pulled from the hub (verified, de-duplicated, stored)."""

from django.apps import AppConfig

from vanban.periodic import seconds_from_env


class ConnectorConfig(AppConfig):
    name = "vanban.connector"
    label = "connector"
    verbose_name = "Kết nối trục liên thông"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.connector.tasks.pull_inbox", seconds_from_env("VANBAN_CONNECTOR_PULL_SECONDS", 10.0)),
        ("vanban.connector.tasks.flush_outbox", seconds_from_env("VANBAN_CONNECTOR_FLUSH_SECONDS", 5.0)),
    ]
