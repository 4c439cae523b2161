"""Reading and writing the standard's scalar formats (dates, timestamps, codes).

Writers emit exactly ``yyyy/MM/dd`` and ``yyyy/MM/dd HH:mm:ss``; readers also accept
the variants real systems send (ISO dashes, ``dd/MM/yyyy``, a ``T`` separator).
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "DATE_FORMAT",
    "TIMESTAMP_FORMAT",
    "format_date",
    "format_timestamp",
    "read_date",
    "read_timestamp",
    "normalise_status_code",
    "strip_cid",
]

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
_DATE_VARIANTS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d")
_TS_VARIANTS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
)


def format_date(value: dt.date) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def format_timestamp(value: dt.datetime) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


_STD_DATE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})\Z")
_STD_TS = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})\Z")


def read_date(text: str) -> tuple[dt.date | None, bool]:
    """``(date, standard)``: the date, and whether it was written as ``yyyy/MM/dd``."""
    text = text.strip()
    m = _STD_DATE.match(text)
    if m:  # the common case, without strptime (same result)
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), True
        except ValueError:
            return None, False
    if len(text) == 10 and text[4] == "/" and text[7] == "/":
        try:
            return dt.datetime.strptime(text, DATE_FORMAT).date(), True
        except ValueError:
            return None, False
    for fmt in _DATE_VARIANTS:
        try:
            return dt.datetime.strptime(text, fmt).date(), False
        except ValueError:
            continue
    return None, False


def read_timestamp(text: str) -> tuple[dt.datetime | None, bool]:
    """``(timestamp, standard)`` as :func:`read_date`; a zone, if any, is dropped."""
    text = text.strip()
    m = _STD_TS.match(text)
    if m:  # the common case, without strptime (same result)
        try:
            y, mo, d, h, mi, sec = (int(g) for g in m.groups())
            return dt.datetime(y, mo, d, h, mi, sec), True
        except ValueError:
            pass
    try:
        return dt.datetime.strptime(text, TIMESTAMP_FORMAT), True
    except ValueError:
        pass
    core = text
    if core.endswith("Z"):
        core = core[:-1]
    elif len(core) > 19 and core[-6] in "+-" and core[-3] == ":":
        core = core[:-6]
    for fmt in _TS_VARIANTS:
        try:
            return dt.datetime.strptime(core, fmt), False
        except ValueError:
            continue
    day, _ = read_date(core)
    if day is not None:
        return dt.datetime(day.year, day.month, day.day), False
    return None, False


def normalise_status_code(text: str) -> str:
    """``"1"`` → ``"01"``, ``" 13 "`` → ``"13"``; other text is returned stripped."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return f"{int(text):02d}"
    return text


def strip_cid(value: str) -> str:
    """Content id without a leading ``cid:`` (any case) and without angle brackets."""
    value = value.strip()
    if value[:4].lower() == "cid:":
        value = value[4:]
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    return value.strip()
