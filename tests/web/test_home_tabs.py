"""Home is the work: the tabs of what waits on the person, with counts; the open tab's
documents, filtered without diacritics, sorted and paged; nothing of another agency."""

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData, incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"

SUBJECTS = [
    "V/v đề nghị hỗ trợ thủ tục đất đai",
    "Về việc tổ chức Hội nghị tổng kết công tác năm 2026",
    "Quyết định ban hành Quy chế văn hóa công sở",
]


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def paper(office, sample_pdf, subject, n=1):
    return incoming.upload_paper(
        office.lan.user,
        sender_name="Công ty Cổ phần Than Hà Lầm",
        subject=subject,
        data=sample_pdf,
        name="ban-quet.pdf",
        code_number=str(100 + n),
        code_notation="THL-VP",
    )


def tab(page: str, title: str) -> str:
    """The count shown on the tab ``title``."""
    start = page.index(f'>{title} <span class="count">') + len(title) + len(' <span class="count">') + 1
    return page[start : page.index("</span>", start)]


@pytest.fixture
def arrived(office, sample_pdf):
    return [paper(office, sample_pdf, s, n) for n, s in enumerate(SUBJECTS, 1)]


def test_the_clerk_sees_the_documents_to_register_with_their_count(client, office, arrived):
    page = login(client, "lan").get(reverse("web:home")).content.decode()
    assert tab(page, "Chờ vào sổ") == "3"
    assert 'aria-current="page">Chờ vào sổ' in page
    assert all(s in page for s in SUBJECTS)


def test_a_filter_typed_without_diacritics_finds_the_document(client, office, arrived):
    page = login(client, "lan").get(reverse("web:home"), {"tab": "to_register", "q": "ho tro thu tuc dat"})
    text = page.content.decode()
    assert SUBJECTS[0] in text
    assert SUBJECTS[1] not in text and SUBJECTS[2] not in text


def test_a_filter_that_matches_nothing_says_so(client, office, arrived):
    text = login(client, "lan").get(reverse("web:home"), {"tab": "to_register", "q": "xây dựng cầu"}).content.decode()
    assert "Không có văn bản nào trong mục “Chờ vào sổ” khớp với “xây dựng cầu”." in text


def test_the_list_is_newest_first_and_sorts_by_subject_or_age(client, office, arrived, sample_pdf):
    paper(office, sample_pdf, "Tờ trình về việc phê duyệt kế hoạch", 9)  # the newest
    client = login(client, "lan")

    def order(sort=""):
        text = client.get(reverse("web:home"), {"tab": "to_register", "sap-xep": sort}).content.decode()
        return [s for _i, s in sorted((text.index(s), s) for s in (SUBJECTS[0], SUBJECTS[2], "Tờ trình về việc"))]

    assert order() == ["Tờ trình về việc", SUBJECTS[2], SUBJECTS[0]]
    assert order("cu-nhat") == [SUBJECTS[0], SUBJECTS[2], "Tờ trình về việc"]
    assert order("trich-yeu") == [SUBJECTS[2], "Tờ trình về việc", SUBJECTS[0]]  # Q, T, V in any collation


def test_a_long_tab_is_paged(client, office, sample_pdf):
    for n in range(30):
        paper(office, sample_pdf, f"Công văn số {n:02d} về công tác cải cách hành chính", n)
    client = login(client, "lan")
    first = client.get(reverse("web:home"), {"tab": "to_register"}).content.decode()
    second = client.get(reverse("web:home"), {"tab": "to_register", "trang": 2}).content.decode()
    assert "Trang 1/2 (30 văn bản)" in first and "Trang 2/2 (30 văn bản)" in second
    assert "Công văn số 29" in first and "Công văn số 29" not in second and "Công văn số 00" in second


def test_the_leader_sees_what_to_assign_once_registered(client, office, arrived):
    incoming.register(office.lan.user, arrived[0])
    page = login(client, "minh").get(reverse("web:home")).content.decode()
    assert tab(page, "Chờ phân công") == "1"
    assert SUBJECTS[0] in page and SUBJECTS[1] not in page


def test_a_drafter_sees_the_draft_returned_to_them(client, office, sample_pdf):
    draft = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v tổng kết công tác năm 2026",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.submit(office.tuan.user, draft)
    services.return_draft(office.minh.user, draft, "Bổ sung nơi nhận")
    page = login(client, "tuan").get(reverse("web:home"), {"tab": "outgoing_returned"}).content.decode()
    assert tab(page, "Bị trả lại") == "1"
    assert "V/v tổng kết công tác năm 2026" in page and "Bị trả lại" in page


def test_a_person_of_another_agency_has_nothing_of_it(client, office, arrived):
    page = login(client, "hoa").get(reverse("web:home")).content.decode()
    assert not any(s in page for s in SUBJECTS)
    assert tab(page, "Tôi chủ trì xử lý") == "0"


def test_an_account_of_no_agency_is_told_so(client, office):
    page = login(client, "ke.la").get(reverse("web:home")).content.decode()
    assert "Tài khoản này chưa được gắn với cơ quan nào." in page


def test_an_officer_has_no_tab_of_a_clerks_or_a_leaders_work(client, office, arrived):
    page = login(client, "tuan").get(reverse("web:home")).content.decode()
    assert "Tôi chủ trì xử lý" in page
    assert "Chờ vào sổ" not in page and "Chờ phân công" not in page and "Chờ cấp số, phát hành" not in page


def test_a_tab_past_the_cap_says_so_and_pages_through_the_first(client, office, sample_pdf, settings, monkeypatch):
    from vanban.web import worktabs

    monkeypatch.setattr(worktabs, "COUNT_CAP", 10)  # as 1000 would, on a handful of documents
    for n in range(12):
        paper(office, sample_pdf, f"Công văn số {n:02d} về cải cách hành chính", n)
    page = login(client, "lan").get(reverse("web:home"), {"tab": "to_register"}).content.decode()
    assert tab(page, "Chờ vào sổ") == "10+"
    assert "Chỉ hiện 10 văn bản đầu trong 10+; hãy lọc để thu hẹp." in page
