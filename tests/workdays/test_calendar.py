import datetime as dt
import json

from vanban.workdays import Calendar

D = dt.date


def cal(tmp_path, **data):
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"weekend": [5, 6], **data}), encoding="utf-8")
    return Calendar.from_file(path)


def test_weekends_and_fixed_holidays_are_not_working_days(tmp_path):
    c = cal(tmp_path, fixed=[{"month": 9, "day": 2, "name": "Quốc khánh"}])
    assert not c.is_working_day(D(2026, 11, 21))  # Saturday
    assert not c.is_working_day(D(2025, 9, 2)) and not c.is_working_day(D(2026, 9, 2))
    assert c.is_working_day(D(2026, 11, 23))


def test_one_working_day_after_friday_is_monday(tmp_path):
    assert cal(tmp_path).add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)


def test_days_off_and_make_up_days_are_data(tmp_path):
    c = cal(tmp_path, days_off=[{"date": "2026-11-23"}], workdays=[{"date": "2026-11-21"}])
    assert c.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 21)  # make-up Saturday
    assert c.add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 24)  # Monday off


def test_working_days_between_counts_both_ways(tmp_path):
    c = cal(tmp_path)
    assert c.working_days_between(D(2026, 11, 20), D(2026, 11, 27)) == 5
    assert c.working_days_between(D(2026, 11, 27), D(2026, 11, 20)) == -5


def test_shipped_calendar_loads():
    from vanban.workdays import default_calendar

    c = default_calendar()
    assert not c.is_working_day(D(2027, 4, 30))
