"""The monthly summary, kept exact: a table of (agency, month, figure, value) that a report
reads instead of counting the documents.

How it stays exact (docs/reports.md): the flow engine calls :func:`touch` for every
history row it writes (every step of every outgoing or incoming document passes there),
in the step's own transaction. :func:`touch` appends a :class:`StaleMonth` mark for each
month the document can count in (from the month it was created or arrived up to now: a
late step, a document finished or refused the next month, changes an earlier month's
figures) and, after the commit, recounts those agency-months from the documents.

* A mark commits or rolls back with the step: no step is ever missed, even when the
  process dies before the recount; :func:`read` recounts any agency-month still marked
  before it answers, so a report never reads a stale value.
* Marks are only appended, so two steps of the same agency never wait for each other.
* A recount locks the agency-month's :class:`MonthLock` row, takes the highest mark it
  will clear, counts, writes the figures and removes only the marks up to that one: a
  step committed during the count leaves its mark, and its own recount (waiting for the
  lock) counts again with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Sum

from vanban.reports.figures import FIGURES, count_all
from vanban.reports.models import MonthLock, MonthlyFigure, StaleMonth
from vanban.reports.months import current_month, month_of, months_between

__all__ = ["touch", "recount", "recount_stale", "read", "read_each", "rebuild", "verify"]


def touch(flow_name: str, document) -> None:
    """Mark the agency-months the document counts in, in this transaction; recount them
    after the commit. Called by the flow engine for each history row."""
    if flow_name not in ("outgoing", "incoming"):
        return
    since = getattr(document, "arrived_at", None) or getattr(document, "created_at", None)
    last = current_month()
    first = month_of(since) if since is not None else last
    months = months_between(min(first, last), last)
    agency_id = document.agency_id
    StaleMonth.objects.bulk_create([StaleMonth(agency_id=agency_id, month=m) for m in months])
    transaction.on_commit(lambda: recount_stale([agency_id], months), robust=True)


def recount(agency_id: int, month: dt.date) -> dict[str, int]:
    """Count the agency's month from the documents and store it (the marks seen cleared)."""
    with transaction.atomic():
        MonthLock.objects.bulk_create([MonthLock(agency_id=agency_id, month=month)], ignore_conflicts=True)
        MonthLock.objects.select_for_update().get(agency_id=agency_id, month=month)
        seen = StaleMonth.objects.filter(agency_id=agency_id, month=month).aggregate(m=Max("pk"))["m"]
        values = count_all([agency_id], month)
        MonthlyFigure.objects.filter(agency_id=agency_id, month=month).delete()
        MonthlyFigure.objects.bulk_create(
            [MonthlyFigure(agency_id=agency_id, month=month, figure=k, value=v) for k, v in values.items() if v]
        )
        if seen is not None:
            StaleMonth.objects.filter(agency_id=agency_id, month=month, pk__lte=seen).delete()
    return values


def recount_stale(agency_ids: Iterable[int], months: Iterable[dt.date]) -> int:
    """Recount those of the agency-months that are still marked; how many were."""
    ids, months = list(agency_ids), list(months)
    stale = set(
        StaleMonth.objects.filter(agency_id__in=ids, month__in=months).values_list("agency_id", "month").distinct()
    )
    for agency_id, month in sorted(stale):
        recount(agency_id, month)
    return len(stale)


def read(agency_ids: Iterable[int], month: dt.date) -> dict[str, int]:
    """Every figure summed over the agencies for the month, from the summary (any
    agency-month still marked is recounted first). Figures at 0 are there too."""
    ids = list(agency_ids)
    recount_stale(ids, [month])
    rows = (
        MonthlyFigure.objects.filter(agency_id__in=ids, month=month)
        .values("figure")
        .annotate(total=Sum("value"))
        .values_list("figure", "total")
    )
    found = dict(rows)
    return {f.key: int(found.get(f.key, 0)) for f in FIGURES}


def read_each(agency_ids: Iterable[int], month: dt.date) -> dict[int, dict[str, int]]:
    """Every agency's own figures for the month (one query; marked ones recounted first)."""
    ids = list(agency_ids)
    recount_stale(ids, [month])
    out: dict[int, dict[str, int]] = {i: {f.key: 0 for f in FIGURES} for i in ids}
    rows = MonthlyFigure.objects.filter(agency_id__in=ids, month=month).values_list("agency_id", "figure", "value")
    for agency_id, key, value in rows:
        if key in out[agency_id]:
            out[agency_id][key] = int(value)
    return out


def rebuild(agency_ids: Iterable[int], months: Iterable[dt.date]) -> int:
    """Recount the agency-months whatever their marks (after rows were written outside the
    flow engine: an import, bulk test data); how many."""
    n = 0
    for agency_id in agency_ids:
        for month in months:
            recount(agency_id, month)
            n += 1
    return n


def verify(agency_ids: Iterable[int], month: dt.date) -> list[tuple[int, str, int, int]]:
    """The differences between the summary and a direct count of the documents, per
    agency: ``(agency_id, figure, summary, direct)``; empty when exact."""
    wrong = []
    for agency_id in agency_ids:
        kept = read([agency_id], month)
        direct = count_all([agency_id], month)
        wrong += [(agency_id, k, kept[k], direct[k]) for k in direct if kept[k] != direct[k]]
    return wrong
