"""The one way pages write a date or a time: ``dd/mm/yyyy`` and ``dd/mm/yyyy HH:MM`` in
Vietnam time (``TIME_ZONE``, Asia/Ho_Chi_Minh). ``{% load vndates %}``, then
``{{ value|vn_date }}`` or ``{{ value|vn_datetime }}``, and a document's own date as Nghị định
30/2020 writes it, ``{{ value|vn_document_date:place }}``. The value may be a date, a datetime
(aware ones are shown in Vietnam time) or an ISO 8601 string (the signature checks' and the
hub's times); nothing (None, "") gives "", anything unreadable is shown as it is."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from vanban.signing import document_date_text

register = template.Library()

__all__ = ["vn_date", "vn_datetime", "vn_document_date"]


def _value(value) -> dt.date | dt.datetime | None:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value if isinstance(value, dt.date) else None


@register.filter
def vn_date(value) -> str:
    """``dd/mm/yyyy``."""
    when = _value(value)
    if when is None:
        return "" if value in (None, "") else str(value)
    return when.strftime("%d/%m/%Y")


@register.filter
def vn_datetime(value) -> str:
    """``dd/mm/yyyy HH:MM`` (a date alone: ``dd/mm/yyyy``)."""
    when = _value(value)
    if when is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(when, dt.datetime):
        return when.strftime("%d/%m/%Y")
    return when.strftime("%d/%m/%Y %H:%M")


@register.filter
def vn_document_date(value, place: str = "") -> str:
    """``Quảng Ninh, ngày 02 tháng 12 năm 2026`` (the place name is the agency's own), as the
    document itself carries it."""
    when = _value(value)
    if when is None:
        return "" if value in (None, "") else str(value)
    day = when.date() if isinstance(when, dt.datetime) else when
    return document_date_text(day, place or "")
