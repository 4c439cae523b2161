from django.apps import AppConfig

from vanban.periodic import seconds_from_env


class SearchConfig(AppConfig):
    name = "vanban.search"
    label = "search"
    verbose_name = "Tìm kiếm"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.search.tasks.process_search_queue", seconds_from_env("VANBAN_SEARCH_QUEUE_SECONDS", 3.0)),
    ]
