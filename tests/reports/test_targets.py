"""The roadmap targets are data: the defaults of the issue loaded by a migration, a
province's own rows winning, each share met, close or behind."""

from decimal import Decimal

import pytest

from vanban.reports.models import Target
from vanban.reports.report import shares
from vanban.reports.targets import BEHIND, CLOSE, MET, standing, target_for

from .seeded import OCTOBER, seed_october

pytestmark = pytest.mark.django_db


def test_the_defaults_of_the_roadmap_are_loaded():
    rows = {(t.year, t.share): (t.percent, t.at_most) for t in Target.objects.filter(province=None)}
    assert rows[2019, "electronic_share"] == (Decimal("60"), False)
    assert rows[2020, "electronic_share"] == (Decimal("80"), False)
    assert rows[2020, "signed_share"] == (Decimal("100"), False)
    assert rows[2020, "scanned_share"] == (Decimal("50"), True)


def test_the_latest_years_target_stays_in_force():
    assert target_for("electronic_share", 2026, None).percent == Decimal("80")


def test_a_provinces_own_target_wins_over_the_default(personas):
    Target.objects.create(province=personas.province, year=2026, share="electronic_share", percent=Decimal("95"))
    assert target_for("electronic_share", 2026, personas.province.pk).percent == Decimal("95")
    assert target_for("electronic_share", 2026, personas.so_khcn.pk).percent == Decimal("80")


@pytest.mark.parametrize(
    ("share", "status"),
    [(Decimal("80"), MET), (Decimal("76"), CLOSE), (Decimal("74.99"), BEHIND)],
)
def test_a_share_is_met_close_or_behind(share, status):
    assert standing(share, target_for("electronic_share", 2026, None)).status == status


def test_the_close_margin_is_a_setting(monkeypatch):
    monkeypatch.setenv("VANBAN_REPORT_CLOSE_MARGIN", "10")
    assert standing(Decimal("71"), target_for("electronic_share", 2026, None)).status == CLOSE


def test_a_ceiling_target_is_met_below_it():
    assert standing(Decimal("25"), target_for("scanned_share", 2026, None)).status == MET
    assert standing(Decimal("60"), target_for("scanned_share", 2026, None)).status == BEHIND


def test_the_seeded_month_against_its_targets(seed, personas):
    seed_october(seed, personas)
    from vanban.reports import read

    got = {s["key"]: (s["percent"], s["status"]) for s in shares(read([personas.so_noi_vu.pk], OCTOBER), 2026, None)}
    assert got == {
        "electronic_share": (66.67, BEHIND),
        "signed_share": (83.33, BEHIND),
        "digitized_share": (50.0, BEHIND),
        "scanned_share": (25.0, MET),
        "on_time_share": (50.0, None),
    }
