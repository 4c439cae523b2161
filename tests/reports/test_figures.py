"""The figures of a month, counted per agency with the month bounded in Asia/Ho_Chi_Minh."""

import datetime as dt

import pytest

from vanban.reports import count_all, documents, read
from vanban.reports.figures import FIGURES, SHARES
from vanban.reports.summary import rebuild

from .conftest import local
from .seeded import EXPECTED_SNV, OCTOBER, seed_october

pytestmark = pytest.mark.django_db


def test_a_seeded_month_gives_exactly_its_numbers(seed, personas):
    seed_october(seed, personas)
    assert read([personas.so_noi_vu.pk], OCTOBER) == EXPECTED_SNV


def test_the_summary_equals_the_direct_count(seed, personas):
    seed_october(seed, personas)
    assert count_all([personas.so_noi_vu.pk], OCTOBER) == EXPECTED_SNV


def test_a_document_issued_at_23_30_local_on_the_31st_counts_in_that_month(seed, personas):
    snv = personas.so_noi_vu
    late_evening = seed.issued(snv, local(2026, 10, 31, 23, 30))  # 16:30 UTC on 31/10
    after_midnight = seed.issued(snv, local(2026, 11, 1, 0, 30))  # 17:30 UTC on 31/10
    rebuild([snv.pk], [OCTOBER, dt.date(2026, 11, 1)])
    assert list(documents("out_issued", [snv.pk], OCTOBER)) == [late_evening]
    assert list(documents("out_issued", [snv.pk], dt.date(2026, 11, 1))) == [after_midnight]
    assert read([snv.pk], OCTOBER)["out_issued"] == 1


def test_an_agency_with_nothing_counts_zero_everywhere(seed, personas):
    seed_october(seed, personas)
    assert set(read([personas.so_khcn.pk], OCTOBER).values()) == {0}


def test_each_figure_lists_the_documents_behind_it(seed, personas):
    seed_october(seed, personas)
    snv = [personas.so_noi_vu.pk]
    for f in FIGURES:
        if f.kind == "count":
            assert documents(f.key, snv, OCTOBER).count() == EXPECTED_SNV[f.key], f.key
    paper_only = documents("out_paper_only", snv, OCTOBER).get()
    assert paper_only.secrecy.code == "mat"


def test_every_figure_has_a_vietnamese_label_and_how_it_is_counted():
    keys = [f.key for f in FIGURES]
    assert len(keys) == len(set(keys))
    assert all(f.label and f.how for f in FIGURES)
    assert {k for s in SHARES for k in (s.numerator, *s.denominator)} <= set(keys)


def test_docs_reports_describes_every_figure_and_share():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")
    missing = [f.key for f in FIGURES if f"`{f.key}`" not in text] + [s.key for s in SHARES if f"`{s.key}`" not in text]
    assert missing == []
