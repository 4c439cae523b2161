"""The yearly list of dossiers (danh mục hồ sơ) over HTTP: the agency's administrator adds
an entry and edits it (the code is made by the service), a refused entry keeps what was
typed, anyone else is refused, a spreadsheet with a bad row shows that row's error and
imports nothing, and last year's list is copied."""

import io

import pytest
from openpyxl import Workbook

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.models import Dossier, RetentionClass
from vanban.registry.services import incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
SKHCN = "000.00.03.H99"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)


def retention(code):
    return RetentionClass.objects.get(agency=None, code=code)


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(records.HEADERS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name="danh-muc.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return f


def entry(personas, **changes):
    data = {
        "nam": "2027",
        "heading": "Chuyển đổi số",
        "heading_abbr": "TH",
        "number": "",
        "title": "Hồ sơ triển khai chuyển đổi số năm 2027",
        "retention_class": retention("10-nam").pk,
        "unit": personas.hoa.unit.pk,
        "responsible": personas.hoa.pk,
    }
    return {**data, **changes}


def test_the_administrator_adds_an_entry_and_edits_it(client, personas):
    login(client, "son")  # Sở KH&CN's administrator
    page = client.post("/ho-so/danh-muc/them/", entry(personas), follow=True)
    text = page.content.decode()
    assert "Đã thêm hồ sơ “01.TH” vào danh mục hồ sơ năm 2027." in text
    assert "Hồ sơ triển khai chuyển đổi số năm 2027" in text and "Lê Thị Hoa" in text
    made = Dossier.objects.get(year=2027, agency=personas.so_khcn)
    assert (made.code, made.retention_label) == (f"{SKHCN}.2027.01.TH", "10 năm")

    form = client.get(f"/ho-so/danh-muc/{made.pk}/sua/").content.decode()
    assert "Hồ sơ triển khai chuyển đổi số năm 2027" in form and f"{SKHCN}.2027.01.TH" in form
    page = client.post(
        f"/ho-so/danh-muc/{made.pk}/sua/",
        {
            "title": "Hồ sơ chuyển đổi số của Sở năm 2027",
            "retention_class": retention("20-nam").pk,
            "unit": personas.hoa.unit.pk,
            "responsible": personas.son.pk,
        },
        follow=True,
    )
    text = page.content.decode()
    assert "Đã sửa hồ sơ “01.TH”." in text and "Hồ sơ chuyển đổi số của Sở năm 2027" in text
    assert "20 năm" in text and "Phạm Văn Sơn" in text
    made.refresh_from_db()
    assert (made.title, made.retention_years, made.responsible, made.code) == (
        "Hồ sơ chuyển đổi số của Sở năm 2027",
        20,
        personas.son,
        f"{SKHCN}.2027.01.TH",
    )
    event = AuditEvent.objects.filter(action="records.dossier.updated").get()
    assert event.after["changed"]["title"] == "Hồ sơ chuyển đổi số của Sở năm 2027"


def test_a_refused_entry_is_shown_with_what_was_typed(client, personas):
    login(client, "son")
    client.post("/ho-so/danh-muc/them/", entry(personas, number="1"))
    page = client.post("/ho-so/danh-muc/them/", entry(personas, number="1", title="Hồ sơ thi đua khen thưởng"))
    text = page.content.decode()
    assert page.status_code == 200 and "Số 01 đã có trong danh mục hồ sơ năm 2027." in text
    assert "Hồ sơ thi đua khen thưởng" in text  # kept in the form
    assert Dossier.objects.filter(year=2027).count() == 1


def test_someone_not_the_administrator_or_clerk_is_refused(client, personas):
    login(client, "hoa")  # an officer of the same agency
    page = client.get("/ho-so/danh-muc/", {"nam": 2027})
    assert page.status_code == 404 and "Chỉ quản trị cơ quan và văn thư lập danh mục hồ sơ." in page.content.decode()
    assert client.post("/ho-so/danh-muc/them/", entry(personas)).status_code == 404
    assert "Danh mục hồ sơ năm" not in client.get("/ho-so/").content.decode()  # no link to it
    assert not Dossier.objects.exists()


def test_another_agencys_entry_cannot_be_edited(client, office):
    made = records.add_dossier(
        office.lan.user,
        office.so_noi_vu,
        2027,
        records.DossierData(title="Hồ sơ tuyển dụng", retention_class=retention("70-nam")),
    )
    login(client, "son")
    page = client.post(f"/ho-so/danh-muc/{made.pk}/sua/", {"title": "Đổi", "retention_class": retention("10-nam").pk})
    assert page.status_code == 404
    made.refresh_from_db()
    assert made.title == "Hồ sơ tuyển dụng"


def test_a_closed_entry_is_not_edited_and_the_form_keeps_what_was_typed(client, office, sample_pdf):
    made = records.add_dossier(
        office.lan.user,
        office.so_noi_vu,
        2026,
        records.DossierData(title="Hồ sơ tuyển dụng", retention_class=retention("70-nam"), heading_abbr="TCCB"),
    )
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Sở Tài chính", subject="Thông báo tuyển dụng", data=sample_pdf, name="a.pdf"
    )
    records.file_document(office.lan.user, made, doc)
    records.close_dossier(office.lan.user, made)
    login(client, "lan")
    assert "không sửa được thông tin" in client.get(f"/ho-so/danh-muc/{made.pk}/sua/").content.decode()
    page = client.post(
        f"/ho-so/danh-muc/{made.pk}/sua/",
        {"title": "Hồ sơ tuyển dụng công chức", "retention_class": made.retention_class_id},
    )
    text = page.content.decode()
    assert page.status_code == 200 and "không được sửa thông tin; chỉ được thêm ghi chú." in text
    assert "Hồ sơ tuyển dụng công chức" in text
    made.refresh_from_db()
    assert made.title == "Hồ sơ tuyển dụng"


def test_a_spreadsheet_with_a_bad_row_shows_its_error_and_imports_nothing(client, personas):
    data = xlsx(
        [
            ("I", "CHUYỂN ĐỔI SỐ", None, None, None, "TH"),
            ("01", "Hồ sơ triển khai chuyển đổi số", "10 năm", "Phòng Chuyển đổi số", "hoa", None),
            ("02", "Hồ sơ hội thảo khoa học", "15 ngày", None, None, None),
            ("03", "Hồ sơ đề tài cấp tỉnh", "Vĩnh viễn", "Phòng Kế toán", None, None),
        ]
    )
    login(client, "son")
    page = client.post("/ho-so/danh-muc/nhap/", {"nam": "2027", "file": upload(data)})
    text = page.content.decode()
    assert page.status_code == 200 and "không hồ sơ nào được thêm" in text
    assert "<li>Dòng 4: thời hạn lưu trữ “15 ngày” không có trong danh mục thời hạn lưu trữ</li>" in text
    assert "<li>Dòng 5: không có đơn vị “Phòng Kế toán” trong cơ quan</li>" in text
    assert not Dossier.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="records.").exists()


def test_a_good_spreadsheet_is_imported(client, personas):
    data = xlsx(
        [
            ("I", "CHUYỂN ĐỔI SỐ", None, None, None, "TH"),
            ("01", "Hồ sơ triển khai chuyển đổi số", "10 năm", "Phòng Chuyển đổi số", "hoa", None),
            (None, "Hồ sơ đề tài cấp tỉnh", "Vĩnh viễn", None, None, None),
        ]
    )
    login(client, "son")
    page = client.post("/ho-so/danh-muc/nhap/", {"nam": "2027", "file": upload(data)}, follow=True)
    text = page.content.decode()
    assert "Đã nhập 2 hồ sơ vào danh mục hồ sơ năm 2027." in text
    assert "01.TH" in text and "02.TH" in text and "Vĩnh viễn" in text


def test_last_years_list_is_copied(client, personas):
    login(client, "son")
    client.post("/ho-so/danh-muc/them/", entry(personas, nam="2026"))
    client.post(
        "/ho-so/danh-muc/them/", entry(personas, nam="2026", title="Hồ sơ hội thảo khoa học", heading_abbr="KH")
    )
    empty = client.get("/ho-so/danh-muc/", {"nam": 2027}).content.decode()
    assert "Danh mục hồ sơ năm 2027 chưa có hồ sơ nào." in empty and "Sao danh mục năm 2026" in empty
    page = client.post("/ho-so/danh-muc/sao/", {"nam": "2027"}, follow=True)
    text = page.content.decode()
    assert "Đã sao danh mục hồ sơ năm 2026 sang năm 2027: 2 hồ sơ." in text
    assert "01.TH" in text and "Hồ sơ hội thảo khoa học" in text
    codes = sorted(Dossier.objects.filter(year=2027).values_list("code", flat=True))
    assert codes == [f"{SKHCN}.2027.01.TH", f"{SKHCN}.2027.02.KH"]
    again = client.post("/ho-so/danh-muc/sao/", {"nam": "2027"}, follow=True).content.decode()
    assert "Danh mục hồ sơ năm 2027 đã có hồ sơ: không sao đè lên được." in again
    assert Dossier.objects.filter(year=2027).count() == 2
