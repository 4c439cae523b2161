from django.apps import AppConfig


class ConnectorConfig(AppConfig):
    name = "vanban.connector"
    label = "connector"
    verbose_name = "Kết nối trục liên thông"
    periodic_tasks: list[tuple[str, float]] = []
