"""The working-day calendar and its arithmetic."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("holidays.json")


@dataclass(frozen=True)
class Calendar:
    """Weekdays 0–4 work; ``fixed`` (month, day) pairs are off every year; ``days_off``
    are dated days off; ``workdays`` are dated weekend days that are worked (make-up days)."""

    weekend: frozenset[int] = frozenset({5, 6})
    fixed: frozenset[tuple[int, int]] = frozenset()
    days_off: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    names: dict[object, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_file(cls, path: str | Path = DEFAULT_FILE) -> Calendar:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        names: dict[object, str] = {}
        fixed: set[tuple[int, int]] = set()
        for item in data.get("fixed", []):
            fixed.add((item["month"], item["day"]))
            names[(item["month"], item["day"])] = item.get("name", "")
        days_off: set[dt.date] = set()
        for item in data.get("days_off", []):
            day = dt.date.fromisoformat(item["date"])
            days_off.add(day)
            names[day] = item.get("name", "")
        workdays = {dt.date.fromisoformat(item["date"]) for item in data.get("workdays", [])}
        return cls(
            frozenset(data.get("weekend", [5, 6])), frozenset(fixed), frozenset(days_off), frozenset(workdays), names
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day.weekday() in self.weekend or day in self.days_off:
            return False
        return (day.month, day.day) not in self.fixed

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        while days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return sign * count


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Calendar:
    return Calendar.from_file(path)


def default_calendar() -> Calendar:
    """The calendar of ``VANBAN_HOLIDAYS_FILE`` (or the shipped file), reloaded when it changes."""
    path = os.environ.get("VANBAN_HOLIDAYS_FILE") or str(DEFAULT_FILE)
    return _load(path, os.path.getmtime(path))
