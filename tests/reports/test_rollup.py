"""Roll-ups of a month: an agency with those under it, each level, the province."""

import pytest

from vanban.reports import monthly

from .seeded import EXPECTED_SNV, OCTOBER, seed_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(seed, personas):
    seed_october(seed, personas)
    return monthly(OCTOBER, personas.province.code)


def test_the_province_adds_up_every_agency_under_it(october):
    assert october["total"]["figures"]["out_issued"] == 6 + 1  # Sở Nội vụ and the commune
    assert october["total"]["figures"]["in_received"] == EXPECTED_SNV["in_received"]


def test_each_level_adds_up_its_own_agencies(october):
    levels = {row["code"]: (row["agencies"], row["figures"]["out_issued"]) for row in october["by_level"]}
    assert levels == {"tinh": (3, 6), "xa": (1, 1)}


def test_a_parent_agency_rolls_up_those_under_it(october):
    province = next(a for a in october["agencies"] if a["code"] == "000.00.00.H99")
    assert province["own"]["figures"]["out_issued"] == 0
    assert province["with_below"]["figures"]["out_issued"] == 7


def test_an_agency_report_covers_the_agency_and_those_under_it(seed, personas):
    seed_october(seed, personas)
    report = monthly(OCTOBER, personas.so_noi_vu.code)
    assert [a["code"] for a in report["agencies"]] == ["000.00.02.H99"]
    assert report["total"]["figures"] == EXPECTED_SNV


def test_the_average_working_days_to_finish(october):
    snv = next(a for a in october["agencies"] if a["code"] == "000.00.02.H99")
    assert snv["own"]["average_days"] == 6.5  # (4 + 9) / 2
