"""Months and quarters of the reports, bounded in Asia/Ho_Chi_Minh: a document issued at
23:30 on 31/10 local time (16:30 UTC) counts in October, one at 00:30 on 01/11 local time
(17:30 UTC on 31/10) in November. A month is named by its first day (a ``date``)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

from vanban.reports.errors import ReportRefused

__all__ = [
    "LOCAL",
    "parse_month",
    "parse_quarter",
    "bounds",
    "month_of",
    "next_month",
    "months_between",
    "current_month",
]

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def parse_month(text: str) -> dt.date:
    """``2026-10`` → 01/10/2026; refused when malformed or in the future (a month not begun
    has nothing to count, and its open-document figures would be guesses)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ReportRefused(
            f"Tháng “{text}” không đúng dạng NNNN-TT (ví dụ 2026-10).", f"bad month {text!r}", code="bad_month"
        )
    month = dt.date(int(m.group(1)), int(m.group(2)), 1)
    if month > current_month():
        raise ReportRefused(f"Tháng {month:%m/%Y} chưa bắt đầu.", f"month {text} is in the future", code="future_month")
    return month


def parse_quarter(text: str) -> list[dt.date]:
    """``2026-Q4`` → its three months (those begun so far)."""
    m = re.fullmatch(r"(\d{4})-[Qq]([1-4])", text.strip())
    if not m:
        raise ReportRefused(
            f"Quý “{text}” không đúng dạng NNNN-QN (ví dụ 2026-Q4).", f"bad quarter {text!r}", code="bad_quarter"
        )
    year, q = int(m.group(1)), int(m.group(2))
    months = [dt.date(year, 3 * q - 2 + i, 1) for i in range(3)]
    begun = [mo for mo in months if mo <= current_month()]
    if not begun:
        raise ReportRefused(f"Quý {q}/{year} chưa bắt đầu.", f"quarter {text} is in the future", code="future_quarter")
    return begun


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's first instant, local time (aware)."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=LOCAL)
    nxt = next_month(month)
    return start, dt.datetime(nxt.year, nxt.month, 1, tzinfo=LOCAL)


def month_of(moment: dt.datetime) -> dt.date:
    """The (local) month an aware moment falls in."""
    local = moment.astimezone(LOCAL)
    return dt.date(local.year, local.month, 1)


def current_month() -> dt.date:
    return month_of(timezone.now())


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], dt.date(first.year, first.month, 1)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out
