"""The dossier pages over HTTP: the agency's list of a year with its counts and search box,
a dossier with its documents, closing and annotating from the page (a change to a closed
dossier refused with the reason), and nothing of it for another agency."""

import pytest
from django.utils import timezone

from vanban import records
from vanban.records.models import RetentionClass
from vanban.registry.services import incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)


@pytest.fixture
def dossier(office, sample_pdf):
    year = timezone.localdate().year
    made = records.add_dossier(
        office.lan.user,
        office.so_noi_vu,
        year,
        records.DossierData(
            title="Hồ sơ về chuyển đổi số của Sở",
            retention_class=RetentionClass.objects.get(agency=None, code="10-nam"),
            heading_abbr="TH",
            responsible=office.lan,
        ),
    )
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Sở Tài chính", subject="Hướng dẫn chuyển đổi số", data=sample_pdf, name="a.pdf"
    )
    records.file_document(office.lan.user, made, doc)
    return made


def test_the_list_shows_the_years_dossiers_with_counts_and_finds_by_words(client, office, dossier):
    login(client, "tuan")
    page = client.get("/ho-so/")
    text = page.content.decode()
    assert page.status_code == 200 and "01.TH" in text and "Hồ sơ về chuyển đổi số của Sở" in text
    assert 'Tổng số: 1 hồ sơ · Đang mở: <span class="count-dang-mo">1</span>' in text
    found = client.get("/ho-so/", {"q": "chuyen doi"}).content.decode()
    assert "01.TH" in found
    assert "Không có hồ sơ nào khớp với “tuyển dụng”" in client.get("/ho-so/", {"q": "tuyển dụng"}).content.decode()


def test_the_clerk_closes_the_dossier_and_an_edit_is_refused_but_a_note_taken(client, office, dossier):
    login(client, "lan")
    page = client.post(f"/ho-so/{dossier.pk}/dong/", follow=True)
    assert "Đã đóng hồ sơ." in page.content.decode() and "Đã đóng" in page.content.decode()
    page = client.post(f"/ho-so/{dossier.pk}/dong/", follow=True)
    assert '<li class="error">' in page.content.decode()
    assert "không được đóng lại; chỉ được thêm ghi chú." in page.content.decode()
    page = client.post(f"/ho-so/{dossier.pk}/ghi-chu/", {"text": "Đã rà soát."}, follow=True)
    assert "Đã ghi chú vào hồ sơ." in page.content.decode() and "Nguyễn Thị Lan: Đã rà soát." in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "da-dong"


def test_the_dossier_page_lists_its_documents(client, office, dossier):
    login(client, "minh")
    text = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert (
        "000.00.02.H99." in text and "Hướng dẫn chuyển đổi số" in text and "Lập hồ sơ (đưa văn bản vào hồ sơ)" in text
    )


def test_another_agency_gets_404_and_an_empty_list(client, office, dossier):
    login(client, "hoa")
    assert client.get(f"/ho-so/{dossier.pk}/").status_code == 404
    assert client.post(f"/ho-so/{dossier.pk}/ghi-chu/", {"text": "x"}).status_code == 404
    assert "Chưa có hồ sơ nào" in client.get("/ho-so/").content.decode()
    assert not dossier.notes.exists()


def test_a_document_is_filed_from_its_page_into_the_proposed_dossier(client, office, dossier, sample_pdf):
    doc = incoming.upload_paper(
        office.lan.user,
        sender_name="Sở Tài chính",
        subject="Báo cáo chuyển đổi số quý IV",
        data=sample_pdf,
        name="b.pdf",
    )
    login(client, "lan")
    text = client.get(f"/van-ban-den/{doc.pk}/").content.decode()
    assert "Lập hồ sơ vào" in text and "đề xuất: trích yếu trùng từ với tiêu đề hồ sơ: “chuyển”, “đổi”)" in text
    page = client.post(f"/ho-so/lap-ho-so/van-ban-den/{doc.pk}/", {"dossier": dossier.pk}, follow=True)
    assert "Đã lập hồ sơ: văn bản là văn bản số 2 của hồ sơ “01.TH”." in page.content.decode()
    assert "Văn bản đã được lập vào hồ sơ" in page.content.decode()
    assert records.dossier_of(doc) == dossier


def test_filing_into_another_agencys_dossier_is_refused(client, office, dossier, sample_pdf):
    login(client, "son")  # Sở KH&CN's administrator, on a document of Sở Nội vụ's he cannot see
    doc = dossier.items.get().incoming
    assert client.post(f"/ho-so/lap-ho-so/van-ban-den/{doc.pk}/", {"dossier": dossier.pk}).status_code == 404
