from django.apps import AppConfig

from vanban.scanning import conf


class ScanningConfig(AppConfig):
    name = "vanban.scanning"
    label = "scanning"
    verbose_name = "Số hóa văn bản giấy"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.scanning.tasks.watch_consume_folders", conf.consume_every()),
    ]
