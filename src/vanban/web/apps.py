from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vanban.web"
    label = "web"
    verbose_name = "Giao diện"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from vanban.web import loginguard

        user_locked_out.connect(loginguard.locked_out, dispatch_uid="vanban-login-locked-out")
