from django.apps import AppConfig

from vanban.periodic import seconds_from_env


class FixityConfig(AppConfig):
    name = "vanban.fixity"
    label = "fixity"
    verbose_name = "Kiểm tra toàn vẹn tệp lưu trữ"
    default_auto_field = "django.db.models.BigAutoField"
    # one batch a run: a day by default (a store of 100,000 files at 1,000 a batch is then
    # checked every 100 days; lower the period or raise the batch for a shorter cycle)
    periodic_tasks: list[tuple[str, float]] = [
        ("vanban.fixity.tasks.check_fixity", seconds_from_env("VANBAN_FIXITY_SECONDS", 86400.0)),
    ]
