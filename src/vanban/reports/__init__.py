"""Statistics of the roadmap (Django app): per agency and month (Asia/Ho_Chi_Minh), the
outgoing, incoming and processing figures defined once in :mod:`.figures` (each with the
documents behind it), a monthly summary kept exact on every step of the flow engine
(:mod:`.summary`), roll-ups by parent agency, level and province with the roadmap targets
as data (:mod:`.targets`), and the monthly and quarterly reports (:mod:`.report`,
``vanban report``). Facts and the way the summary stays exact: ``docs/reports.md``.

It reads the registry through its public modules only; the registry calls :func:`touch`
(through this package) for each history row it writes. The names below import their
modules on first use, so the flow engine's call costs nothing at import time."""

from __future__ import annotations

from typing import Any

PUBLIC_MODULES = ("models", "figures", "months", "summary", "report", "targets", "errors")

_WHERE = {
    "touch": "vanban.reports.summary",
    "read": "vanban.reports.summary",
    "verify": "vanban.reports.summary",
    "rebuild": "vanban.reports.summary",
    "FIGURES": "vanban.reports.figures",
    "SHARES": "vanban.reports.figures",
    "documents": "vanban.reports.figures",
    "count_all": "vanban.reports.figures",
    "monthly": "vanban.reports.report",
    "quarterly": "vanban.reports.report",
    "parse_month": "vanban.reports.months",
    "parse_quarter": "vanban.reports.months",
    "ReportRefused": "vanban.reports.errors",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
