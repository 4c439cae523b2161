"""The statistics app: registered with the flow engine so its monthly summary stays exact."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "vanban.reports"
    label = "reports"
    verbose_name = "Thống kê, báo cáo"

    def ready(self) -> None:
        # the monthly summary is told of every change of a document by the registry's flow engine
        from vanban.registry import flow
        from vanban.reports.summary import touch

        flow.on_change(touch)
