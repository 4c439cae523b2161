"""The hub operator's page (Vietnamese): staff only."""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vanban.exchange import reports


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@staff_member_required
def operator_page(request: HttpRequest) -> HttpResponse:
    f = reports.Filters(
        agency=(request.GET.get("co_quan") or "").strip(),
        date_from=_date(request.GET.get("tu_ngay")),
        date_to=_date(request.GET.get("den_ngay")),
    )
    return render(
        request,
        "exchange/operator.html",
        {
            "filters": f,
            "traffic": reports.traffic(f),
            "waiting": reports.waiting(f),
            "failed": reports.failed_forwards(f),
            "overdue": reports.overdue(f),
            "secret_reports": reports.secrecy_reports(f),
            "vdxp_systems": reports.vdxp_systems(f),
        },
    )
