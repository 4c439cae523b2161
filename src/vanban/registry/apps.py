import os

from django.apps import AppConfig


def _every(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


class RegistryConfig(AppConfig):
    name = "vanban.registry"
    label = "registry"
    verbose_name = "Văn bản"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.registry.tasks.apply_exchange_updates", _every("VANBAN_REGISTRY_SYNC_SECONDS", 5.0)),
        ("vanban.registry.tasks.refresh_hub_timelines", _every("VANBAN_REGISTRY_TIMELINE_SECONDS", 30.0)),
        ("vanban.registry.tasks.send_deadline_reminders", _every("VANBAN_REMINDER_SECONDS", 3600.0)),
    ]
