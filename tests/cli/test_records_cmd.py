"""``vanban records import`` and ``copy``: a year's list from a spreadsheet, every bad row
named on one refusal; the copy from the year before."""

import io

import pytest
from openpyxl import Workbook

from vanban.cli import main
from vanban.records import HEADERS
from vanban.records.models import Dossier

pytestmark = pytest.mark.django_db


def sheet(tmp_path, rows):
    book = Workbook()
    book.active.append(list(HEADERS))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_the_list_is_imported_then_copied_to_the_next_year(personas, tmp_path, capsys):
    path = sheet(tmp_path, [("01.TCCB", "Hồ sơ nâng lương", "Vĩnh viễn", "CCVC", "tuan", None)])
    args = ["--agency", "000.00.02.H99", "--year", "2027", "--as", "lan"]
    assert main(["records", "import", str(path), *args]) == 0
    assert "Đã nhập 1 hồ sơ vào danh mục hồ sơ năm 2027 của Sở Nội vụ." in capsys.readouterr().out
    assert main(["records", "copy", "--agency", "000.00.02.H99", "--year", "2028", "--as", "lan"]) == 0
    assert list(Dossier.objects.order_by("code").values_list("code", flat=True)) == [
        "000.00.02.H99.2027.01.TCCB",
        "000.00.02.H99.2028.01.TCCB",
    ]


def test_a_bad_row_is_one_line_and_exit_1(personas, tmp_path, capsys):
    path = sheet(tmp_path, [("01", "Hồ sơ", "mãi mãi", None, None, None)])
    assert main(["records", "import", str(path), "--agency", "000.00.02.H99", "--year", "2027", "--as", "lan"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không nhập được danh mục hồ sơ: Dòng 2: thời hạn lưu trữ “mãi mãi”")
    assert err.rstrip().endswith("[list_import_refused]")
    assert not Dossier.objects.exists()
