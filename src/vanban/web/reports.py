"""The statistics page: a month's figures for the person's scope (the province for its
administrator, the agency and those under it otherwise), each level's table of agencies
with the roadmap shares against their targets. The counting is :mod:`vanban.reports`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vanban.reports import ReportRefused, monthly, parse_month
from vanban.reports.months import current_month
from vanban.reports.report import scope_of

__all__ = ["reports_page", "COLUMNS"]

COLUMNS = (
    "out_issued",
    "out_electronic",
    "out_paper_only",
    "out_signed_sealed",
    "in_received",
    "in_paper",
    "in_paper_digitized",
    "in_refused",
    "proc_done",
    "proc_done_late",
    "proc_overdue_open",
)
"""The figures a level's table shows for each agency (the JSON and Excel have them all)."""


def _row(block: dict) -> dict:
    return {
        "values": [block["figures"][k] for k in COLUMNS],
        "average_days": block["average_days"],
        "shares": block["shares"],
    }


def reports_page(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    typed = request.GET.get("thang", "").strip()
    error = ""
    try:
        month = parse_month(typed) if typed else current_month()
    except ReportRefused as exc:
        month, error = current_month(), str(exc)
    data = monthly(month, scope_of(person))
    labels = {d["key"]: d["label"] for d in data["definitions"]}
    levels = []
    for level in data["by_level"]:
        rows = [(a, _row(a["with_below"] or a["own"])) for a in data["agencies"] if a["level"] == level["code"]]
        levels.append((level, _row(level), rows))
    return render(
        request,
        "web/reports.html",
        {
            "data": data,
            "month": month,
            "error": error,
            "columns": [labels[k] for k in COLUMNS],
            "total": data["total"],
            "definitions": data["definitions"],
            "levels": levels,
        },
    )
