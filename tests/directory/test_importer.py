"""``vanban directory import``: all rows or none, every bad row listed by line."""

import csv

import openpyxl
import pytest

from vanban.audit import verify_chain
from vanban.audit.models import AuditEvent
from vanban.cli import main
from vanban.directory.importer import ImportRefused, import_directory
from vanban.directory.models import Agency, Unit

pytestmark = pytest.mark.django_db

HEADER = ["Loại", "Mã định danh", "Tên", "Tên viết tắt", "Cấp", "Mã cơ quan cấp trên", "Ký hiệu"]
GOOD = [
    ["co_quan", "000.00.00.H88", "Ủy ban nhân dân tỉnh Mẫu", "UBND", "tinh", "", ""],
    ["co_quan", "000.00.07.H88", "Sở Tài chính", "STC", "Cấp tỉnh", "", ""],
    ["co_quan", "000.01.07.H88", "Chi cục Quản lý giá", "CCQLG", "tinh", "", ""],
    ["co_quan", "000.00.31.H88", "Ủy ban nhân dân xã Tân Lập", "UBND", "xa", "000.00.00.H88", ""],
    ["don_vi", "000.00.07.H88", "Văn phòng Sở", "", "", "", "VP"],
    ["don_vi", "000.00.07.H88", "Phòng Quản lý ngân sách", "", "", "", "QLNS"],
]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_csv_import_creates_agencies_with_structural_parents_and_units(tmp_path):
    result = import_directory(write_csv(tmp_path / "tinh.csv", GOOD))
    assert (result.agencies_created, result.units_created) == (4, 2)
    chi_cuc = Agency.objects.get(code="000.01.07.H88")
    assert chi_cuc.parent.code == "000.00.07.H88"
    assert Agency.objects.get(code="000.00.07.H88").parent.code == "000.00.00.H88"
    assert Agency.objects.get(code="000.00.31.H88").level.code == "xa"
    assert set(Unit.objects.filter(agency__code="000.00.07.H88").values_list("suffix", flat=True)) == {"VP", "QLNS"}


def test_xlsx_import_gives_the_same_result(tmp_path):
    import_directory(write_xlsx(tmp_path / "tinh.xlsx", GOOD))
    assert Agency.objects.filter(code__endswith=".H88").count() == 4


def test_every_created_row_has_an_audit_event_and_the_chain_holds(tmp_path):
    import_directory(write_csv(tmp_path / "tinh.csv", GOOD))
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions.count("directory.agency.created") == 4
    assert actions.count("directory.unit.created") == 2
    assert actions[-1] == "directory.imported"
    assert verify_chain().ok


def test_a_file_with_bad_rows_is_refused_whole_listing_each_line(tmp_path):
    rows = GOOD + [
        ["co_quan", "000.00.7.H88", "Sở Sai Mã", "SSM", "tinh", "", ""],  # line 8
        ["co_quan", "000.00.08.H88", "", "X", "tinh", "", ""],  # line 9: no name
        ["co_quan", "000.00.09.H88", "Sở Cấp Lạ", "SCL", "vũ trụ", "", ""],  # line 10
        ["co_quan", "000.00.07.H88", "Sở Trùng", "ST", "tinh", "", ""],  # line 11: duplicate
        ["co_quan", "000.00.10.H88", "Sở Mồ Côi", "SMC", "tinh", "000.00.99.H88", ""],  # line 12
    ]
    events_before = AuditEvent.objects.count()
    with pytest.raises(ImportRefused) as exc:
        import_directory(write_csv(tmp_path / "bad.csv", rows))
    lines = [p.line for p in exc.value.problems]
    assert lines == [8, 9, 10, 11, 12]
    text = exc.value.message_vi
    assert "Dòng 8" in text and "cấp 2" in text
    assert "Dòng 9: thiếu tên" in text
    assert "vũ trụ" in text
    assert "trùng với dòng 3" in text
    assert "000.00.99.H88" in text
    assert not Agency.objects.filter(code__endswith=".H88").exists()
    assert AuditEvent.objects.count() == events_before


def test_reimport_updates_changed_rows_only(tmp_path):
    import_directory(write_csv(tmp_path / "a.csv", GOOD))
    changed = [list(r) for r in GOOD]
    changed[1][2] = "Sở Tài chính tỉnh Mẫu"
    result = import_directory(write_csv(tmp_path / "b.csv", changed))
    assert (result.agencies_created, result.agencies_updated, result.agencies_unchanged) == (0, 1, 3)
    event = AuditEvent.objects.filter(action="directory.agency.updated").get()
    assert (event.before["name"], event.after["name"]) == ("Sở Tài chính", "Sở Tài chính tỉnh Mẫu")


def test_unknown_column_is_refused(tmp_path):
    with pytest.raises(ImportRefused) as exc:
        import_directory(write_csv(tmp_path / "x.csv", GOOD, header=HEADER[:-1] + ["Màu sắc"]))
    assert "Màu sắc" in exc.value.message_vi


def test_unsupported_format_is_refused(tmp_path):
    path = tmp_path / "x.ods"
    path.write_bytes(b"not really")
    with pytest.raises(ImportRefused) as exc:
        import_directory(path)
    assert ".ods" in exc.value.message_vi


def test_cli_import_reports_counts_and_exit_1_on_bad_rows(tmp_path, capsys):
    assert main(["directory", "import", str(write_csv(tmp_path / "ok.csv", GOOD))]) == 0
    assert "4 cơ quan mới" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [["co_quan", "H37.DN.002", "LGSP", "", "tinh", "", ""]])
    assert main(["directory", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Dòng 2" in err and "không nhập dòng nào" in err
