from django.apps import AppConfig

from vanban.periodic import seconds_from_env


class RegistryConfig(AppConfig):
    name = "vanban.registry"
    label = "registry"
    verbose_name = "Văn bản"
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.registry.tasks.apply_exchange_updates", seconds_from_env("VANBAN_REGISTRY_SYNC_SECONDS", 5.0)),
        ("vanban.registry.tasks.refresh_hub_timelines", seconds_from_env("VANBAN_REGISTRY_TIMELINE_SECONDS", 30.0)),
        ("vanban.registry.tasks.send_deadline_reminders", seconds_from_env("VANBAN_REMINDER_SECONDS", 3600.0)),
    ]
