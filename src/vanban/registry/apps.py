from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "vanban.registry"
    label = "registry"
    verbose_name = "Văn bản"
    periodic_tasks: list[tuple[str, float]] = [("vanban.registry.tasks.apply_exchange_updates", 5.0)]
