"""Working days in Vietnam: weekends and public holidays as data, and deadline arithmetic
("within one working day", "10 working days from receipt"). Pure library: no Django.

The calendar is a JSON file (``holidays.json`` here by default, or one an operator
points ``VANBAN_HOLIDAYS_FILE`` at): fixed-date holidays every year, and dated days off
per year (Tết and the compensating days, announced each year by the Government), which
an administrator adds as they are announced.
"""

from vanban.workdays.calendar import Calendar, default_calendar

__all__ = ["Calendar", "default_calendar"]
