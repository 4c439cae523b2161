"""The roadmap targets (data: :class:`~vanban.reports.models.Target`) and how a share
stands against its target. The target of a year is the one set for that year or, when
none is, the latest year before it (the roadmap's last step stays in force); a province's
own row wins over the default (no province). "Close" is within
``VANBAN_REPORT_CLOSE_MARGIN`` percentage points (default 5) on the wrong side."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Q

from vanban.reports.models import Target

__all__ = [
    "DEFAULTS_FILE",
    "Standing",
    "load_defaults",
    "target_for",
    "standing",
    "close_margin",
    "MET",
    "CLOSE",
    "BEHIND",
]

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "targets.json"
MET, CLOSE, BEHIND = "dat", "gan-dat", "chua-dat"
LABELS = {MET: "Đạt", CLOSE: "Gần đạt", BEHIND: "Chưa đạt"}


@dataclass(frozen=True)
class Standing:
    percent: Decimal
    at_most: bool
    status: str  # MET, CLOSE, BEHIND

    @property
    def label(self) -> str:
        return LABELS[self.status]


def close_margin() -> Decimal:
    return Decimal(os.environ.get("VANBAN_REPORT_CLOSE_MARGIN", "5"))


def load_defaults(path: Path = DEFAULTS_FILE, target_model=Target) -> int:
    """Write the default targets (no province) of the data file; how many rows. Used by
    the migration (with its historical model) and by ``vanban report targets``."""
    rows = json.loads(path.read_text(encoding="utf-8"))["targets"]
    for row in rows:
        target_model.objects.update_or_create(
            province=None,
            year=row["year"],
            share=row["share"],
            defaults={"percent": Decimal(str(row["percent"])), "at_most": bool(row.get("at_most", False))},
        )
    return len(rows)


def target_for(share: str, year: int, province_id: int | None) -> Target | None:
    rows = Target.objects.filter(share=share, year__lte=year).filter(
        Q(province__isnull=True) | Q(province_id=province_id)
    )
    # the latest year first; within it, the province's own row before the default
    return min(rows, key=lambda t: (-t.year, t.province_id is None), default=None)


def standing(share_percent: Decimal | None, target: Target | None) -> Standing | None:
    """Met, close or behind; None when there is no target or nothing to measure."""
    if target is None or share_percent is None:
        return None
    gap = share_percent - target.percent
    if target.at_most:
        gap = -gap
    status = MET if gap >= 0 else CLOSE if -gap <= close_margin() else BEHIND
    return Standing(target.percent, target.at_most, status)
