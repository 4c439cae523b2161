from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "vanban.reports"
    label = "reports"
    verbose_name = "Thống kê, báo cáo"
