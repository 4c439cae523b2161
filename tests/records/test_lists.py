"""The yearly list of dossiers: entries and their codes, the spreadsheet import with its
per-row refusals, the copy from last year, and who may change it."""

import io

import pytest
from openpyxl import Workbook

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.errors import DossierRefused, ListImportRefused
from vanban.records.models import Dossier

from .conftest import retention

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(records.HEADERS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_dossier_code_is_the_agency_code_the_year_and_its_number_and_notation(archive):
    d = archive.personnel
    assert (d.notation, d.code) == ("01.TCCB", f"000.00.02.H99.{archive.year}.01.TCCB")
    assert (d.retention_years, d.maintenance, d.retention_label) == (70, "02", "70 năm")
    assert archive.digital.notation == "02.TH"
    assert AuditEvent.objects.filter(action="records.dossier.created").count() == 2


def test_the_list_is_imported_from_a_spreadsheet(office):
    data = xlsx(
        [
            ("I", "TỔ CHỨC CÁN BỘ", None, None, None, "TCCB"),
            ("01", "Hồ sơ nâng lương năm 2027", "Vĩnh viễn", "CCVC", "tuan", None),
            (None, "Hồ sơ đào tạo, bồi dưỡng", "20 năm", "Phòng Công chức, viên chức", "Vũ Anh Tuấn", "Ghi chú"),
            ("II", "VĂN PHÒNG", None, None, None, "VP"),
            ("05", "Sổ đăng ký văn bản đi", "10", "VP", None, None),
        ]
    )
    made = records.import_list(office.lan.user, office.so_noi_vu, 2027, data)
    assert [(d.notation, d.retention_label, d.responsible) for d in made] == [
        ("01.TCCB", "Vĩnh viễn", office.tuan),
        ("02.TCCB", "20 năm", office.tuan),
        ("05.VP", "10 năm", None),
    ]
    assert made[0].maintenance == "01" and made[0].heading == "TỔ CHỨC CÁN BỘ"
    event = AuditEvent.objects.filter(action="records.list.imported").get()
    assert event.after == {"year": 2027, "dossiers": 3}


def test_a_spreadsheet_with_bad_rows_is_refused_row_by_row_and_nothing_is_written(office):
    data = xlsx(
        [
            ("01", "Hồ sơ nâng lương", "Vĩnh viễn", "CCVC", None, None),
            ("02", "Hồ sơ thi đua", "15 ngày", None, None, None),
            ("03", "Hồ sơ kỷ luật", "10 năm", "Phòng Kế toán", None, None),
            ("01", "Trùng số", "10 năm", None, None, None),
            ("4/TH", "Sai số", "10 năm", None, None, None),
        ]
    )
    with pytest.raises(ListImportRefused) as exc:
        records.import_list(office.lan.user, office.so_noi_vu, 2027, data)
    assert [e["row"] for e in exc.value.details] == [3, 4, 5, 6]
    assert "Dòng 3: thời hạn lưu trữ “15 ngày” không có trong danh mục thời hạn lưu trữ" in exc.value.message_vi
    assert "Dòng 4: không có đơn vị “Phòng Kế toán” trong cơ quan" in exc.value.message_vi
    assert "Dòng 5: số 01 đã có trong danh mục hồ sơ năm 2027" in exc.value.message_vi
    assert "Dòng 6: số và ký hiệu hồ sơ “4/TH” không đúng dạng" in exc.value.message_vi
    assert not Dossier.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action__startswith="records.").exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(office):
    with pytest.raises(ListImportRefused) as exc:
        records.import_list(office.lan.user, office.so_noi_vu, 2027, b"%PDF-1.7 not a sheet")
    assert exc.value.code == "not_xlsx" and "không phải bảng tính" in exc.value.message_vi


def test_next_year_list_is_copied_from_this_year(archive):
    target = records.copy_list(archive.lan.user, archive.so_noi_vu, archive.year + 1)
    copied = list(target.dossiers.order_by("number"))
    assert [(d.notation, d.title, d.responsible) for d in copied] == [
        ("01.TCCB", archive.personnel.title, archive.tuan),
        ("02.TH", archive.digital.title, archive.lan),
    ]
    assert copied[0].code == f"000.00.02.H99.{archive.year + 1}.01.TCCB"
    with pytest.raises(DossierRefused) as exc:
        records.copy_list(archive.lan.user, archive.so_noi_vu, archive.year + 1)
    assert "đã có hồ sơ" in exc.value.message_vi


def test_only_the_agency_administrator_or_clerk_edits_the_list(archive):
    data = records.DossierData(title="Hồ sơ X", retention_class=retention("10-nam"))
    for who in (archive.tuan, archive.son):  # an officer; another agency's administrator
        with pytest.raises(DossierRefused) as exc:
            records.add_dossier(who.user, archive.so_noi_vu, archive.year, data)
        assert exc.value.code == "not_allowed"
    with pytest.raises(DossierRefused) as exc:
        records.add_dossier(archive.outsider, archive.so_noi_vu, archive.year, data)
    assert exc.value.code == "no_person"
