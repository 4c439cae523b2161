"""``vanban report``: the JSON of a seeded month, the workbook, the quarter, verify."""

import json

import pytest
from openpyxl import load_workbook

from vanban.cli import main

from .seeded import EXPECTED_SNV, seed_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(seed, personas):
    seed_october(seed, personas)
    return personas


def test_the_monthly_json_has_exactly_the_seeded_numbers(october, tmp_path):
    out = tmp_path / "bao-cao.json"
    assert main(["report", "monthly", "--month", "2026-10", "--agency", "000.00.02.H99", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["label"] == "Tháng 10/2026"
    assert data["agencies"][0]["own"]["figures"] == EXPECTED_SNV


def test_the_quarter_adds_its_months_and_keeps_the_last_months_open_documents(october, tmp_path):
    out = tmp_path / "quy.json"
    assert main(["report", "quarterly", "--quarter", "2026-Q4", "--agency", "000.00.02.H99", "-o", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))["total"]["figures"]
    assert figures["out_issued"] == 7  # six in October, one just after midnight on 01/11
    assert figures["proc_overdue_open"] == 1  # still open at the end of the quarter's last month


def test_the_workbook_has_a_sheet_per_level_with_real_numbers(october, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    assert main(["report", "monthly", "--month", "2026-10", "--format", "xlsx", "-o", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames[1:] == ["Cấp tỉnh", "Cấp xã"]
    sheet = wb["Cấp tỉnh"]
    header = [c.value for c in sheet[2]]
    snv = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "000.00.02.H99")
    assert snv[header.index("Văn bản đi đã phát hành")] == 6
    assert snv[header.index("Văn bản đến bị từ chối")] == 1


def test_verify_says_the_summary_matches(october, capsys):
    assert main(["report", "verify", "--month", "2026-10"]) == 0
    assert "khớp" in capsys.readouterr().out


def test_verify_fails_on_rows_written_outside_the_flow(october, seed, capsys):
    from .conftest import local

    seed.arrived(october.so_khcn, local(2026, 10, 20))
    assert main(["report", "verify", "--month", "2026-10"]) == 1
    assert "000.00.03.H99\tVăn bản đến: bảng tổng hợp 0, đếm trực tiếp 1" in capsys.readouterr().err


def test_a_future_month_is_refused(capsys):
    assert main(["report", "monthly", "--month", "2999-01", "-o", "-"]) == 1
    assert "chưa bắt đầu" in capsys.readouterr().err


def test_the_targets_in_force_for_a_year(capsys):
    assert main(["report", "targets", "--year", "2026", "--load-defaults"]) == 0
    out = capsys.readouterr().out
    assert "Tỷ lệ văn bản đi điện tử hoàn toàn: ít nhất 80 % (năm 2020, mặc định)" in out
    assert "Tỷ lệ bản số hóa trong văn bản điện tử đến: không quá 50 % (năm 2020, mặc định)" in out
    assert "Tỷ lệ văn bản hoàn thành đúng hạn: chưa có mục tiêu" in out


def test_an_agency_name_that_looks_like_a_formula_stays_text_in_the_workbook(october, tmp_path):
    from vanban.directory.models import Agency

    Agency.objects.filter(code="000.00.03.H99").update(name='=HYPERLINK("http://x.invalid","Sở")')
    out = tmp_path / "bao-cao.xlsx"
    assert main(["report", "monthly", "--month", "2026-10", "--format", "xlsx", "-o", str(out)]) == 0
    sheet = load_workbook(out)["Cấp tỉnh"]
    cell = next(r[1] for r in sheet.iter_rows(min_row=3) if r[0].value == "000.00.03.H99")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
