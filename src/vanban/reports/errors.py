"""The reports' one error: a report that cannot be made as asked (a malformed or future
month, an unknown agency or figure)."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["ReportsError", "ReportRefused"]


class ReportsError(DomainError):
    code = "reports_error"


class ReportRefused(ReportsError):
    """A report that cannot be made as asked."""

    code = "report_refused"
