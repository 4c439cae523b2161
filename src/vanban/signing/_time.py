"""Vietnam time: ISO 8601 with +07:00 (Asia/Ho_Chi_Minh), as NĐ 30 asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

__all__ = ["VN_TZ", "now_vn", "iso_vn"]

try:  # tzdata ships with the virtualenv; Vietnam has had no DST since 1975
    from zoneinfo import ZoneInfo

    VN_TZ: timezone | ZoneInfo = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # pragma: no cover - no tz database
    VN_TZ = timezone(timedelta(hours=7), "ICT")


def now_vn() -> datetime:
    """Now, in Vietnam time, to the second."""
    return datetime.now(tz=VN_TZ).replace(microsecond=0)


def iso_vn(moment: datetime) -> str:
    """``2024-05-17T14:30:05+07:00``: seconds, Vietnam offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()
