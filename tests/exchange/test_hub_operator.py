"""The operator's page and the late-recipient list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vanban.exchange import reports
from vanban.exchange.models import Delivery

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"


def test_late_to_fetch_and_late_to_answer_are_listed(hub, settings):
    settings.VANBAN_HUB_FETCH_DEADLINE_MINUTES = 30
    _, a = hub.send(1, to=(SKHCN,))
    _, b = hub.send(2, to=(XA,))
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    Delivery.objects.filter(package_id=a.json()["id"]).update(created_at=hour_ago)
    week_ago = timezone.now() - dt.timedelta(days=7)
    Delivery.objects.filter(package_id=b.json()["id"]).update(state="acked", fetched_at=week_ago)
    rows = {(r["delivery"].recipient_code, r["reason"]) for r in reports.overdue()}
    assert rows == {(SKHCN, "chưa tải"), (XA, "chưa trả lời 03/02")}


def test_working_day_skips_the_weekend():
    friday = dt.datetime(2025, 6, 6, 10, 0)
    assert reports.add_working_day(friday) == dt.datetime(2025, 6, 9, 10, 0)


def test_operator_page_is_for_staff_and_filters_by_agency(hub, django_user_model):
    hub.send(1)
    url = "/hub/van-hanh/"
    assert hub.client.get(url).status_code == 302
    admin = django_user_model.objects.create_user("vanhanh", password="x-very-long-1", is_staff=True)
    hub.client.force_login(admin)
    page = hub.client.get(url).content.decode()
    assert "Vận hành trục liên thông" in page and SNV in page and SKHCN in page
    other = hub.client.get(url + f"?co_quan={XA}").content.decode()
    assert "Chưa có gói tin." in other and "Không có gói tin nào đang chờ." in other


def test_a_working_day_skips_public_holidays():
    before_holidays = dt.datetime(2026, 4, 29, 10, 0)  # 30/4 and 1/5 are holidays, then a weekend
    assert reports.add_working_day(before_holidays) == dt.datetime(2026, 5, 4, 10, 0)
