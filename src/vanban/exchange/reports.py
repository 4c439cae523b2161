"""What the hub operator looks at: traffic per agency and day, what waits undelivered and
for how long, failed forwards, recipients late to fetch or to answer (03/02)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from vanban.exchange import conf
from vanban.exchange.models import Delivery, DeliveryState, Package, PackageKind, SecrecyReport, VdxpSystem
from vanban.workdays import default_calendar


def add_working_day(moment: dt.datetime) -> dt.datetime:
    """The same time on the next working day: weekends and public holidays are skipped,
    on the calendar of :mod:`vanban.workdays` (data, ``VANBAN_HOLIDAYS_FILE``)."""
    day = default_calendar().add_working_days(moment.date(), 1)
    return moment + dt.timedelta(days=(day - moment.date()).days)


@dataclass
class Filters:
    agency: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _package_filter(f: Filters, prefix: str = "") -> Q:
    q = Q()
    if f.date_from:
        q &= Q(**{f"{prefix}received_at__date__gte": f.date_from})
    if f.date_to:
        q &= Q(**{f"{prefix}received_at__date__lte": f.date_to})
    return q


def traffic(f: Filters) -> list[dict]:
    qs = Package.objects.filter(_package_filter(f))
    if f.agency:
        qs = qs.filter(sender_code=f.agency)
    return list(
        qs.annotate(day=TruncDate("received_at"))
        .values("day", "sender_code", "kind")
        .annotate(n=Count("id"))
        .order_by("-day", "sender_code", "kind")[:500]
    )


def waiting(f: Filters, now: dt.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    qs = (
        Delivery.objects.filter(state__in=[DeliveryState.WAITING, DeliveryState.FETCHED, DeliveryState.FORWARDING])
        .filter(_package_filter(f, "package__"))
        .select_related("package")
        .order_by("created_at")
    )
    if f.agency:
        qs = qs.filter(recipient_code=f.agency)
    return [{"delivery": d, "age": now - d.created_at} for d in qs[:500]]


def failed_forwards(f: Filters) -> list[Delivery]:
    qs = (
        Delivery.objects.filter(state=DeliveryState.FAILED)
        .filter(_package_filter(f, "package__"))
        .select_related("package", "peer")
        .order_by("-created_at")
    )
    if f.agency:
        qs = qs.filter(Q(recipient_code=f.agency) | Q(package__sender_code=f.agency))
    return list(qs[:500])


def overdue(f: Filters | None = None, now: dt.datetime | None = None) -> list[dict]:
    """Recipients that have not fetched within the configured time, or have not answered
    03/02 within a working day of fetching."""
    f = f or Filters()
    now = now or timezone.now()
    fetch_limit = now - dt.timedelta(minutes=conf.fetch_deadline_minutes())
    out = []
    base = (
        Delivery.objects.filter(peer__isnull=True, package__kind=PackageKind.ENVELOPE)
        .filter(_package_filter(f, "package__"))
        .select_related("package")
    )
    if f.agency:
        base = base.filter(recipient_code=f.agency)
    for d in base.filter(state=DeliveryState.WAITING, created_at__lt=fetch_limit).order_by("created_at")[:500]:
        out.append({"delivery": d, "reason": "chưa tải", "since": d.created_at})
    candidates = base.filter(
        answered_at__isnull=True, fetched_at__isnull=False, fetched_at__lt=now - dt.timedelta(days=1)
    ).order_by("fetched_at")[:2000]
    for d in candidates:
        assert d.fetched_at is not None  # the query asks for it
        if add_working_day(d.fetched_at) < now:
            out.append({"delivery": d, "reason": "chưa trả lời 03/02", "since": d.fetched_at})
    return out


def secrecy_reports(f: Filters) -> list[SecrecyReport]:
    """Secret documents met on the channel: refused at intake or reported by a recipient."""
    qs = SecrecyReport.objects.all()
    if f.date_from:
        qs = qs.filter(at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(at__date__lte=f.date_to)
    if f.agency:
        qs = qs.filter(Q(sender_code=f.agency) | Q(reported_by=f.agency))
    return list(qs[:500])


def vdxp_systems(f: Filters) -> list[dict]:
    """The VDXP system ids (docs/vdxp.md) with the packages each brought in the period."""
    out = []
    for system in VdxpSystem.objects.all():
        if f.agency and f.agency not in system.agency_codes:
            continue
        sent = Package.objects.filter(_package_filter(f), received_from__endswith=f"(vdxp:{system.systemid})")
        out.append({"system": system, "packages": sent.count()})
    return out
