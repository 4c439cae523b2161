from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vanban.web"
    label = "web"
    verbose_name = "Giao diện"
