"""The monthly and the quarterly report as data (what the JSON export writes and a page
shows): each agency's own figures, read from the summary, rolled up by parent agency (an
agency and everything under it), by level (:class:`vanban.directory.models.Level`) and
for the province, with each share against its roadmap target.

A quarter adds up its months, except figures that are a state at the month's end
("overdue and open"), which take the quarter's last month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from vanban.directory.models import Agency, Level
from vanban.reports import summary
from vanban.reports.errors import ReportRefused
from vanban.reports.figures import FIGURES, SHARES
from vanban.reports.targets import standing, target_for

__all__ = ["Tree", "tree", "monthly", "quarterly", "combine", "shares", "average_days", "scope_of"]


@dataclass
class Tree:
    """The agencies under the report's roots: who is whose parent, and of what level."""

    roots: list[Agency]
    agencies: dict[int, Agency]
    children: dict[int, list[int]] = field(default_factory=dict)

    def below(self, agency_id: int) -> list[int]:
        """The agency and every agency under it."""
        out, todo = [], [agency_id]
        while todo:
            a = todo.pop()
            out.append(a)
            todo += self.children.get(a, [])
        return out


def tree(code: str | None = None) -> Tree:
    """The agency ``code`` and those under it, or every agency (the roots: no parent)."""
    everyone = {a.pk: a for a in Agency.objects.select_related("level", "parent").order_by("code")}
    children: dict[int, list[int]] = {}
    for a in everyone.values():
        if a.parent_id is not None:
            children.setdefault(a.parent_id, []).append(a.pk)
    if code is None:
        roots = [a for a in everyone.values() if a.parent_id is None]
    else:
        found = [a for a in everyone.values() if a.code == code]
        if not found:
            raise ReportRefused(f"Không có cơ quan mã “{code}”.", f"unknown agency {code!r}", code="unknown_agency")
        roots = found
    t = Tree(roots, everyone, children)
    keep: set[int] = set()
    for r in roots:
        keep.update(t.below(r.pk))
    t.agencies = {i: a for i, a in everyone.items() if i in keep}
    return t


def combine(rows: Iterable[dict[str, int]]) -> dict[str, int]:
    out = {f.key: 0 for f in FIGURES}
    for row in rows:
        for k, v in row.items():
            out[k] += v
    return out


def _over_months(per_month: list[dict[int, dict[str, int]]]) -> dict[int, dict[str, int]]:
    """Each agency's figures over several months (snapshots: the last month's)."""
    out: dict[int, dict[str, int]] = {}
    for agency_id in per_month[-1]:
        values = combine(m[agency_id] for m in per_month)
        for f in FIGURES:
            if f.snapshot:
                values[f.key] = per_month[-1][agency_id][f.key]
        out[agency_id] = values
    return out


def _percent(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(100 * num) / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def average_days(values: dict[str, int]) -> Decimal | None:
    """Average working days to finish a document (of those finished in the period)."""
    if not values["proc_done"]:
        return None
    return (Decimal(values["proc_days_total"]) / values["proc_done"]).quantize(Decimal("0.1"), ROUND_HALF_UP)


def shares(values: dict[str, int], year: int, province_id: int | None) -> list[dict[str, Any]]:
    """Each share of the roadmap with its target and standing (met / close / behind)."""
    out = []
    for s in SHARES:
        pct = _percent(values[s.numerator], sum(values[k] for k in s.denominator))
        target = target_for(s.key, year, province_id)
        st = standing(pct, target)
        out.append(
            {
                "key": s.key,
                "label": s.label,
                "percent": None if pct is None else float(pct),
                "target": None if target is None else float(target.percent),
                "at_most": bool(target and target.at_most),
                "status": st.status if st else None,
                "status_label": st.label if st else None,
            }
        )
    return out


def _block(values: dict[str, int], year: int, province_id: int | None) -> dict[str, Any]:
    avg = average_days(values)
    return {
        "figures": values,
        "average_days": None if avg is None else float(avg),
        "shares": shares(values, year, province_id),
    }


def _levels() -> list[Level]:
    return list(Level.objects.order_by("rank", "code"))


def _build(t: Tree, own: dict[int, dict[str, int]], period: dict[str, Any], year: int) -> dict[str, Any]:
    province_id = t.roots[0].pk if len(t.roots) == 1 else None
    agencies = []
    for a in sorted(t.agencies.values(), key=lambda a: a.code):
        below = t.below(a.pk)
        agencies.append(
            {
                "code": a.code,
                "name": a.name,
                "level": a.level.code,
                "parent": a.parent.code if a.parent else None,
                "own": _block(own[a.pk], year, province_id),
                "with_below": _block(combine(own[i] for i in below), year, province_id) if len(below) > 1 else None,
            }
        )
    levels = []
    for level in _levels():
        ids = [i for i, a in t.agencies.items() if a.level_id == level.pk]
        if ids:
            levels.append(
                {
                    "code": level.code,
                    "name": level.name,
                    "agencies": len(ids),
                    **_block(combine(own[i] for i in ids), year, province_id),
                }
            )
    return {
        **period,
        "scope": [r.code for r in t.roots],
        "definitions": [
            {"key": f.key, "section": f.section, "label": f.label, "how": f.how, "snapshot": f.snapshot}
            for f in FIGURES
        ],
        "total": _block(combine(own.values()), year, province_id),
        "by_level": levels,
        "agencies": agencies,
    }


def scope_of(person) -> str:
    """The agency whose tree a person's statistics cover: the province's administrator the
    whole province (the root above their agency), anyone else their own agency and below."""
    agency = person.agency
    if person.has_role("quan-tri-tinh"):
        while agency.parent_id is not None:
            agency = agency.parent
    return agency.code


def monthly(month: dt.date, agency: str | None = None) -> dict[str, Any]:
    """The month's report for the agency ``agency`` and those under it, or for all."""
    t = tree(agency)
    own = summary.read_each(t.agencies, month)
    return _build(t, own, {"period": "month", "month": f"{month:%Y-%m}", "label": f"Tháng {month:%m/%Y}"}, month.year)


def quarterly(months: list[dt.date], agency: str | None = None) -> dict[str, Any]:
    """The quarter's report (``months``: its months begun so far)."""
    t = tree(agency)
    own = _over_months([summary.read_each(t.agencies, m) for m in months])
    q = (months[0].month - 1) // 3 + 1
    period = {
        "period": "quarter",
        "quarter": f"{months[0].year}-Q{q}",
        "months": [f"{m:%Y-%m}" for m in months],
        "label": f"Quý {q}/{months[0].year}",
    }
    return _build(t, own, period, months[0].year)
