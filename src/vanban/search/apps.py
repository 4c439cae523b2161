import os

from django.apps import AppConfig


def _every(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


class SearchConfig(AppConfig):
    name = "vanban.search"
    label = "search"
    verbose_name = "Tìm kiếm"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.search.tasks.process_search_queue", _every("VANBAN_SEARCH_QUEUE_SECONDS", 3.0)),
    ]
