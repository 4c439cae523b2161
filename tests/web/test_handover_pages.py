"""Assignment at several levels through the pages: the leader gives a document to a unit,
its head finds it on "Chờ phân công" and gives it to an officer, who gives it back, forwards
it or asks an opinion; the page shows the chain; a refused step keeps what was typed; another
agency gets 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from vanban.directory import services as directory
from vanban.registry.models import IncomingDocument

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
NOTE = "Đề nghị anh Tuấn dự thảo văn bản trả lời."


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def tab(page: str, title: str) -> str:
    """The count shown on the home tab ``title``."""
    start = page.index(f'>{title} <span class="count">') + len(title) + len(' <span class="count">') + 1
    return page[start : page.index("</span>", start)]


def day(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).strftime("%d/%m/%Y")


def act(client, doc, slug, data):
    return client.post(reverse("web:incoming_action", args=[doc.pk, slug]), data, follow=True)


@pytest.fixture
def given_to_unit(client, office, sample_pdf):
    """Lan enters and registers a paper document; Minh gives it to Phòng CCVC, whose head is Hà."""
    office.ha = directory.create_person(
        None,
        username="ha",
        password=PASSWORD,
        full_name="Ngô Thu Hà",
        agency=office.so_noi_vu,
        unit=office.tuan.unit,
        position="Trưởng phòng",
        roles=["chuyen-vien", "truong-don-vi"],
    )
    login(client, "lan")
    upload = io.BytesIO(sample_pdf)
    upload.name = "ban-quet.pdf"
    client.post(
        reverse("web:incoming_paper"),
        {"sender_name": "Công ty Cổ phần Than Hà Lầm", "subject": "V/v đề nghị hỗ trợ thủ tục", "file": upload},
    )
    doc = IncomingDocument.objects.get()
    client.post(reverse("web:incoming_action", args=[doc.pk, "vao-so"]))
    page = act(login(client, "minh"), doc, "phan-cong", {"lead_unit": office.tuan.unit.pk, "deadline": day(10)})
    assert "Đã phân công xử lý." in page.content.decode()
    return doc


def test_the_unit_head_finds_it_to_assign_and_gives_it_to_an_officer(client, office, given_to_unit):
    home = login(client, "ha").get(reverse("web:home"), {"tab": "to_assign"}).content.decode()
    assert tab(home, "Chờ phân công") == "1" and "V/v đề nghị hỗ trợ thủ tục" in home
    page = act(client, given_to_unit, "giao-xu-ly", {"person": office.tuan.pk, "deadline": day(5), "note": NOTE})
    text = page.content.decode()
    assert "Đã giao người xử lý." in text
    assert "Trưởng đơn vị giao xử lý</strong>: Ngô Thu Hà → Vũ Anh Tuấn, hạn " + day(5) in text
    home = login(client, "tuan").get(reverse("web:home"), {"tab": "to_process"}).content.decode()
    assert tab(home, "Tôi chủ trì xử lý") == "1" and day(5) in home


def test_a_deadline_after_the_leaders_is_refused_keeping_what_was_typed(client, office, given_to_unit):
    response = act(
        login(client, "ha"), given_to_unit, "giao-xu-ly", {"person": office.tuan.pk, "deadline": day(12), "note": NOTE}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Hạn xử lý không được sau hạn của người giao ({day(10)})." in page
    assert f"{NOTE}</textarea>" in page and f'value="{day(12)}"' in page
    assert f'<option value="{office.tuan.pk}" selected>' in page
    given_to_unit.refresh_from_db()
    assert given_to_unit.lead_person is None


def test_given_back_it_is_on_the_heads_returned_tab(client, office, given_to_unit):
    act(login(client, "ha"), given_to_unit, "giao-xu-ly", {"person": office.tuan.pk})
    page = act(login(client, "tuan"), given_to_unit, "tra-lai", {"reason": ""}).content.decode()
    assert "Hãy ghi lý do trả lại" in page
    page = act(client, given_to_unit, "tra-lai", {"reason": "Không thuộc lĩnh vực phòng phụ trách"}).content.decode()
    assert "Đã trả lại văn bản cho người giao." in page
    home = login(client, "ha").get(reverse("web:home"), {"tab": "returned_to_me"}).content.decode()
    assert tab(home, "Trả lại cho tôi") == "1" and "V/v đề nghị hỗ trợ thủ tục" in home
    detail = client.get(reverse("web:incoming", args=[given_to_unit.pk])).content.decode()
    assert "Không thuộc lĩnh vực phòng phụ trách" in detail and 'id="reassign-form"' in detail


def test_an_officer_asks_the_clerk_who_answers_on_the_page(client, office, given_to_unit):
    act(login(client, "ha"), given_to_unit, "giao-xu-ly", {"person": office.tuan.pk})
    page = act(
        login(client, "tuan"), given_to_unit, "xin-y-kien", {"person": office.lan.pk, "question": "Đã có bản gốc chưa?"}
    ).content.decode()
    assert "Đã gửi đề nghị xin ý kiến." in page
    home = login(client, "lan").get(reverse("web:home"), {"tab": "to_answer"}).content.decode()
    assert tab(home, "Xin ý kiến tôi") == "1"
    detail = client.get(reverse("web:incoming", args=[given_to_unit.pk])).content.decode()
    assert "Vũ Anh Tuấn xin ý kiến của bạn" in detail and "Đã có bản gốc chưa?" in detail
    page = act(client, given_to_unit, "cho-y-kien", {"text": "Đã nhận bản gốc ngày 01/12."}).content.decode()
    assert "Đã gửi ý kiến." in page and "Cho ý kiến</strong>: Nguyễn Thị Lan → Vũ Anh Tuấn" in page


def test_the_officer_forwards_and_the_colleague_starts(client, office, given_to_unit):
    binh = directory.create_person(
        None,
        username="binh",
        password=PASSWORD,
        full_name="Đặng Văn Bình",
        agency=office.so_noi_vu,
        unit=office.tuan.unit,
        roles=["chuyen-vien"],
    )
    act(login(client, "ha"), given_to_unit, "giao-xu-ly", {"person": office.tuan.pk})
    page = act(login(client, "tuan"), given_to_unit, "chuyen-tiep", {"person": binh.pk}).content.decode()
    assert "Đã chuyển tiếp văn bản." in page
    page = act(login(client, "binh"), given_to_unit, "bat-dau", {}).content.decode()
    assert "Đã chuyển sang đang xử lý." in page and "văn bản đang ở đây" in page


def test_another_agency_gets_404_and_an_officer_not_holding_it_a_message(client, office, given_to_unit):
    login(client, "hoa")
    assert client.post(reverse("web:incoming_action", args=[given_to_unit.pk, "chuyen-tiep"])).status_code == 404
    page = act(login(client, "tuan"), given_to_unit, "chuyen-tiep", {"person": office.lan.pk}).content.decode()
    assert "Bạn không được “chuyển tiếp” văn bản này" in page
    given_to_unit.refresh_from_db()
    assert given_to_unit.lead_person is None


def test_the_processing_slip_carries_the_chain(client, office, given_to_unit, tmp_path):
    import shutil
    import subprocess

    act(login(client, "ha"), given_to_unit, "giao-xu-ly", {"person": office.tuan.pk, "deadline": day(5), "note": NOTE})
    response = client.get(reverse("web:incoming_slip", args=[given_to_unit.pk]))
    path = tmp_path / "slip.pdf"
    path.write_bytes(response.content)
    assert shutil.which("pdftotext"), "poppler-utils"
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Luồng giao việc:" in text
    assert f"Trưởng đơn vị giao xử lý: Ngô Thu Hà → Vũ Anh Tuấn, hạn {day(5)} (chờ xử lý) – {NOTE}" in text


def test_an_empty_answer_is_refused_and_the_question_stays(client, office, given_to_unit):
    act(login(client, "ha"), given_to_unit, "giao-xu-ly", {"person": office.tuan.pk})
    act(login(client, "tuan"), given_to_unit, "xin-y-kien", {"person": office.lan.pk, "question": "Bản gốc ở đâu?"})
    response = act(login(client, "lan"), given_to_unit, "cho-y-kien", {"text": "   "})
    page = response.content.decode()
    assert response.status_code == 200 and "Hãy ghi ý kiến của bạn." in page and "Bản gốc ở đâu?" in page
