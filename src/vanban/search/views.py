"""The search page (Vietnamese): one query, filters, highlighted snippets, paging, sorted by
relevance or date. Thin: it reads the form, calls :func:`vanban.search.search` for the
signed-in person (their agency, their role: the registry's own visibility), renders."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vanban.directory.models import DocumentType, UrgencyLevel
from vanban.registry.models import Register
from vanban.registry.states import IncomingState, OutgoingState
from vanban.search.engine import Filters, search
from vanban.textsearch import QueryError

SORTS = {"lien-quan": "relevance", "ngay": "date"}


def _date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _filters(get) -> tuple[Filters, list[str]]:
    problems = []
    f = Filters(
        kind=get.get("loai-so", "") if get.get("loai-so", "") in ("di", "den") else "",
        type_slug=get.get("loai", "")[:60],
        party=get.get("noi-gui-nhan", "")[:200],
        register_id=_int(get.get("so", "")),
        state=get.get("trang-thai", "")[:20],
        urgency=get.get("do-khan", "")[:30],
    )
    for name, label in (("tu-ngay", "Từ ngày"), ("den-ngay", "Đến ngày")):
        raw = get.get(name, "").strip()
        value = _date(raw) if raw else None
        if raw and value is None:
            problems.append(f"{label} “{raw}” không đúng dạng ngày/tháng/năm; bộ lọc này đã được bỏ qua.")
        setattr(f, "date_from" if name == "tu-ngay" else "date_to", value)
    return f, problems


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    text = request.GET.get("q", "").strip()[:500]
    filters, problems = _filters(request.GET)
    sort = request.GET.get("sap-xep", "lien-quan")
    page = _int(request.GET.get("trang", "1")) or 1
    results = error = None
    if text:
        try:
            results = search(person, text, filters, sort=SORTS.get(sort, "relevance"), page=page)
        except QueryError as exc:
            error = exc.message_vi
    agency_id = person.agency_id if person is not None else None
    states = {**dict(OutgoingState.choices), **dict(IncomingState.choices)}
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "search/search.html",
        {
            "q": text,
            "results": results,
            "error": error,
            "problems": problems,
            "filters": filters,
            "get": request.GET,
            "sort": sort,
            "query_string": params.urlencode(),
            "types": DocumentType.objects.order_by("group", "order"),
            "urgencies": UrgencyLevel.objects.all(),
            "registers": Register.objects.filter(agency_id=agency_id).order_by("kind", "name") if agency_id else [],
            "states": sorted(states.items(), key=lambda s: s[1]),
            "state_names": states,
        },
    )
