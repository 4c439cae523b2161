"""The reports' tables: the monthly summary (one row per agency, month and figure), the
marks of agency-months to count again (written in the transaction of every step of a
document), the lock row a recount takes, and the roadmap targets (data)."""

from __future__ import annotations

from django.db import models

from vanban.directory.models import Agency

__all__ = ["MonthlyFigure", "StaleMonth", "MonthLock", "Target"]


class MonthlyFigure(models.Model):
    """The value of one figure for one agency and one month, as last counted from the
    documents (figures with the value 0 have no row)."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    month = models.DateField("tháng")  # its first day
    figure = models.CharField("chỉ tiêu", max_length=40)
    value = models.BigIntegerField("giá trị")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "month", "figure"], name="reports_figure_unique")]
        indexes = [models.Index(fields=["month", "agency"], name="reports_figure_month")]


class StaleMonth(models.Model):
    """An agency-month a step changed, to be counted again: appended (never updated, so two
    steps of one agency never wait for each other), removed by the recount that saw it."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["agency", "month"], name="reports_stale_agency_month")]


class MonthLock(models.Model):
    """One row per agency-month, locked by a recount so that two recounts of the same
    month run one after the other (the later one sees every committed step)."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="reports_lock_unique")]


class Target(models.Model):
    """A roadmap target: the share (a ratio of figures) that should reach (or stay under) in a year, for one
    province, or for every province when ``province`` is empty (the defaults)."""

    province = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="tỉnh")
    year = models.PositiveSmallIntegerField("năm")
    share = models.CharField("tỷ lệ", max_length=40)  # a key of vanban.reports.figures.SHARES
    percent = models.DecimalField("mục tiêu (%)", max_digits=5, decimal_places=2)
    at_most = models.BooleanField("không vượt quá", default=False)

    class Meta:
        ordering = ["year", "share"]
        verbose_name = "mục tiêu lộ trình"
        verbose_name_plural = "mục tiêu lộ trình"
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "share"], name="reports_target_unique"),
            models.UniqueConstraint(
                fields=["year", "share"],
                condition=models.Q(province__isnull=True),
                name="reports_default_target_unique",
            ),
        ]
