from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "vanban.exchange"
    label = "exchange"
    verbose_name = "Trục liên thông"
    # (dotted path of a django-tasks Task, seconds between runs) scheduled by the worker
    periodic_tasks: list[tuple[str, float]] = []
