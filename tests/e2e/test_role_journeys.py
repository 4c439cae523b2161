"""Each role's day in a real browser (Debian's Chromium, Playwright), on a desk and on a
phone 390 px wide: the văn thư, the lãnh đạo, the chuyên viên, the agency administrator and
the provincial administrator, each in the demo province, each journey on its own data.

What a user checks is asserted: the texts on the page, the counts of the home tabs before
and after each action, and at 390 px that no page is wider than the screen (the tables
scroll inside themselves, as tests/e2e/test_narrow_browser.py checks). The clerk's issued
PDF is downloaded through the page: ``pdftotext`` reads its number and its date line as
Nghị định 30/2020 writes it, ``pdfsig`` finds both signatures valid. A screenshot of every
step goes to test-output/e2e/journeys/<role>-<viewport>-<n>-<step>.png.

One Chromium and one live server for the module; each test opens its own browser context
(cookies, viewport) and seeds the demo province again (the database is emptied after each).
The steps before a journey (a draft to approve, a document to assign) are made through the
registry's services, as the other roles would have made them.

The leader's note on an incoming document (bút phê) is the assignment's "Ý kiến chỉ đạo",
kept on the document's page. Not covered: the hub operator page (/hub/van-hanh/), which has
no link in the menu yet."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import ARGS, CHROMIUM, HAVE_CHROMIUM, OUTPUT
from tests.e2e.test_narrow_browser import OVERFLOW

pytestmark = [pytest.mark.browser]

SHOTS = OUTPUT / "journeys"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
UBND = "Ủy ban nhân dân tỉnh Quảng Ninh"
JOURNEY_AGENCIES = {"000.00.00.H49", "000.00.01.H49", "000.00.02.H49"}  # UBND tỉnh, its office, Sở Nội vụ
PAPER_SENDER = "Công ty Cổ phần Xây dựng và Phát triển hạ tầng đô thị Quảng Ninh"
PAPER_SUBJECT = "V/v đề nghị hỗ trợ thủ tục giao đất để thực hiện dự án khu dân cư mới"
DRAFT_SUBJECT = "V/v triển khai gửi nhận văn bản điện tử trên trục liên thông tỉnh"


# --- fixtures: one browser and one folder of demo keys per module ------------------------------


@pytest.fixture(scope="module")
def chromium():
    if not HAVE_CHROMIUM:
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright's loop
    ours = {alias: connections[alias] for alias in connections}
    with sync_playwright() as pw:
        # Inside, the code runs in another context, where Django would open other connections
        # (asgiref's Local): keep ours, which hold what serialized_rollback restores after
        # each flush (else the second test of a session finds the reference tables empty).
        for alias, wrapper in ours.items():
            connections[alias] = wrapper
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
    connections.close_all()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """The demo's var folder, kept for the module: its test CA is made once, not per test."""
    return tmp_path_factory.mktemp("journeys-var")


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    """The demo province with the agencies these journeys visit (the provincial People's
    Committee, its office, Sở Nội vụ): seeded before every test, the others' keys and
    images would cost a second each time."""
    from vanban.demo.seed import PROVINCE_FILE

    data = json.loads(PROVINCE_FILE.read_text(encoding="utf-8"))
    data["agencies"] = [a for a in data["agencies"] if a["code"] in JOURNEY_AGENCIES]
    path = tmp_path_factory.mktemp("journeys-province") / "province.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def demo(settings, var_dir, province):
    from vanban.demo import seed_demo

    settings.VAR_DIR = var_dir
    settings.VANBAN_TRUST_ROOTS = str(var_dir / "pki" / "root.pem")
    return seed_demo(province)


@pytest.fixture
def desk(request, chromium, live_server, demo, viewport):
    """A browser context at the viewport, with the helpers of a journey."""
    from django.db import connections

    context = chromium.new_context(locale="vi-VN", viewport=VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    role = request.node.originalname.removeprefix("test_").split("_")[0]
    yield Desk(context.new_page(), live_server.url, demo.password, f"{role}-{viewport}", viewport == "phone")
    context.close()
    connections.close_all()  # the ones opened beside Playwright's loop (PostgreSQL drops the database after)


class Desk:
    """One person at the screen: log in, use the menu, read the home tabs, take a look
    (a screenshot; on a phone, the check that the page fits the width)."""

    def __init__(self, page, base: str, password: str, prefix: str, phone: bool):
        self.page, self.base, self.password, self.prefix, self.phone = page, base, password, prefix, phone
        self.steps = 0

    def look(self, name: str) -> None:
        self.steps += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.prefix}-{self.steps}-{name}.png"), full_page=True)
        if self.phone:
            found = self.page.evaluate(OVERFLOW)
            assert found["over"] <= 0, f"{name}: the page is wider than the phone {found}"

    def login(self, username: str, password: str | None = None) -> None:
        page = self.page
        page.goto(self.base + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password or self.password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    def logout(self) -> None:
        self.page.get_by_role("button", name="Đăng xuất").click()
        expect(self.page.get_by_label("Tên đăng nhập")).to_be_visible()

    def menu(self, name: str) -> None:
        self.page.get_by_role("banner").get_by_role("link", name=name, exact=True).click()

    def home(self) -> None:
        self.menu("Trang chủ")

    def tab(self, title: str):
        return self.page.get_by_role("navigation", name="Việc đang chờ").get_by_role(
            "link", name=re.compile(rf"^{re.escape(title)} \d")
        )

    def count(self, title: str) -> int:
        return int(self.tab(title).inner_text().rsplit(" ", 1)[1])

    def open_from_tab(self, title: str, subject: str) -> None:
        self.tab(title).click()
        self.page.get_by_role("link", name=subject).click()

    def said(self, text: str) -> None:
        expect(self.page.get_by_role("listitem").filter(has_text=text).first).to_be_visible()

    def state(self, text: str) -> None:
        expect(self.page.locator("#state")).to_have_text(text)

    def form(self, heading: str):
        """The form under the heading ``heading`` (the signing, assignment... forms)."""
        return self.page.locator("form").filter(has=self.page.get_by_role("heading", name=heading))


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


# --- what the other roles did before a journey (through the registry's services) -------------


def _person(username: str):
    from vanban.directory.models import Person

    return Person.objects.select_related("user", "agency", "unit").get(user__username=username)


def _draft(pdf: bytes):
    from vanban.directory.models import DocumentType
    from vanban.registry import services
    from vanban.registry.services import DraftData, RecipientData

    officer, leader = _person("chuyenvien.ubnd"), _person("lanhdao.ubnd")
    unit = officer.agency.units.get(name="Phòng Kinh tế")
    doc = services.create_draft(
        officer.user,
        DraftData(
            subject=DRAFT_SUBJECT,
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=leader,
            main_file=pdf,
            main_file_name="cong-van.pdf",
            unit=officer.unit,
            recipients=[RecipientData(unit_id=unit.pk)],
        ),
    )
    return services.submit(officer.user, doc)


def _signed(pdf: bytes):
    from vanban.registry import services

    leader = _person("lanhdao.ubnd").user
    doc = services.approve(leader, _draft(pdf))
    return services.sign_document(leader, doc)


def _registered_paper(pdf: bytes):
    from vanban.registry.services import incoming

    clerk = _person("vanthu.ubnd").user
    doc = incoming.upload_paper(
        clerk,
        sender_name=PAPER_SENDER,
        subject=PAPER_SUBJECT,
        data=pdf,
        name="de-nghi.pdf",
        code_number="125",
        code_notation="XD-HT",
    )
    return incoming.register(clerk, doc)


def _assigned_paper(pdf: bytes, deadline: dt.date):
    from vanban.registry.services import incoming
    from vanban.registry.services.incoming import AssignmentData

    doc = _registered_paper(pdf)
    data = AssignmentData(lead_person=_person("chuyenvien.ubnd"), deadline=deadline, instructions="Đề xuất phương án.")
    return incoming.assign(_person("lanhdao.ubnd").user, doc, data)


def _in_days(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=days)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package poppler-utils)")
    return path


def _nd30_date(day: dt.date, place: str) -> str:
    """The date line as Nghị định 30/2020 writes it: two-digit day, months 1 and 2 with a zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


# --- the journeys ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clerk_registers_paper_numbers_seals_issues_and_finds_them_in_the_registers(
    desk, cong_van_pdf, sample_pdf, tmp_path
):
    from django.utils import timezone

    from vanban.search import process_queue

    _signed(cong_van_pdf.read_bytes())
    page = desk.page
    desk.login("vanthu.ubnd")
    assert desk.count("Chờ cấp số, phát hành") == 1
    assert desk.count("Chờ vào sổ") == 0
    desk.look("home")

    # a paper document arrives: entered, then registered
    desk.menu("Văn bản đến")
    page.get_by_role("link", name="Nhập văn bản đến bản giấy").click()
    page.get_by_label("Cơ quan, tổ chức gửi").fill(PAPER_SENDER)
    page.get_by_label(re.compile(r"^Số:?$")).fill("125")
    page.get_by_label("Ký hiệu").fill("XD-HT")
    page.get_by_label("Ngày văn bản").fill(f"{_in_days(-2):%d/%m/%Y}")
    page.get_by_label("Trích yếu nội dung").fill(PAPER_SUBJECT)
    page.get_by_label("Bản quét (PDF)").set_input_files(
        files=[{"name": "de-nghi.pdf", "mimeType": "application/pdf", "buffer": sample_pdf}]
    )
    desk.look("paper-form")
    page.get_by_role("button", name="Nhập văn bản").click()
    desk.said("Đã nhập văn bản đến bản giấy.")
    desk.state("Đã đến")
    desk.home()
    assert desk.count("Chờ vào sổ") == 1
    desk.open_from_tab("Chờ vào sổ", PAPER_SUBJECT)
    page.get_by_role("button", name="Vào sổ văn bản đến").click()
    desk.said("Đã vào sổ văn bản đến.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản đến – số đến 01")
    desk.look("paper-registered")
    desk.home()
    assert desk.count("Chờ vào sổ") == 0

    # the signed draft: numbered, sealed, issued
    desk.open_from_tab("Chờ cấp số, phát hành", DRAFT_SUBJECT)
    page.get_by_role("button", name="Cấp số, vào sổ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số: 01/UBND-VP1")
    desk.form("Ký số của cơ quan (đóng dấu)").get_by_role("button", name="Ký số cơ quan").click()
    desk.said("Đã ký số của cơ quan")
    page.get_by_role("button", name="Phát hành").click()
    desk.state("Đã phát hành")
    today = timezone.localdate()
    expect(page.locator("dl.facts")).to_contain_text(f"Quảng Ninh, ngày {today:%d}")  # the agency's place
    expect(page.locator("#recipients")).to_contain_text("Phòng Kinh tế")
    desk.look("issued")

    # the issued PDF, downloaded with the clerk's session from the link on the page
    href = page.locator("dl.facts").get_by_role("link", name=re.compile(r"\.pdf$")).get_attribute("href")
    response = page.context.request.get(desk.base + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    issued = tmp_path / "issued.pdf"
    issued.write_bytes(response.body())
    text = " ".join(
        subprocess.run([_tool("pdftotext"), str(issued), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Số: 01/UBND-VP1" in text, text
    assert _nd30_date(today, "Quảng Ninh") in text, text
    sig = subprocess.run([_tool("pdfsig"), str(issued)], capture_output=True, text=True).stdout
    assert len(re.findall(r"^Signature #\d+:", sig, re.M)) == 2, sig
    assert sig.count("Signature Validation: Signature is Valid.") == 2, sig
    desk.home()
    assert desk.count("Chờ cấp số, phát hành") == 0

    # the registers, and the search box finds the paper document typed without diacritics
    desk.menu("Sổ đi")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {today.year}")
    expect(page.get_by_role("row").filter(has_text="01/UBND-VP1")).to_contain_text(DRAFT_SUBJECT)
    desk.look("outgoing-register")
    desk.menu("Sổ đến")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM {today.year}")
    row = page.get_by_role("row").filter(has_text=PAPER_SUBJECT)
    expect(row).to_contain_text("125/XD-HT")
    expect(row).to_contain_text(PAPER_SENDER)
    desk.look("incoming-register")
    process_queue()  # the worker's indexing
    box = page.get_by_role("searchbox", name="Tìm văn bản")
    box.fill("ho tro giao dat khu dan cu")
    box.press("Enter")
    expect(page.get_by_role("link", name=PAPER_SUBJECT)).to_be_visible()
    desk.look("search")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leader_approves_signs_and_assigns_with_a_deadline_and_a_note(desk, cong_van_pdf, sample_pdf):
    _draft(cong_van_pdf.read_bytes())
    _registered_paper(sample_pdf)
    page = desk.page
    desk.login("lanhdao.ubnd")
    assert desk.count("Chờ tôi duyệt") == 1
    assert desk.count("Chờ phân công") == 1
    desk.look("home")

    # approve, then sign with the key kept on the server
    desk.open_from_tab("Chờ tôi duyệt", DRAFT_SUBJECT)
    page.get_by_role("button", name="Duyệt", exact=True).click()
    desk.state("Đã duyệt")
    sign = desk.form("Ký số văn bản")
    expect(sign.get_by_label("Khóa đã đăng ký trên hệ thống")).to_be_checked()
    desk.look("approved")
    sign.get_by_role("button", name="Ký số").click()
    desk.said("Đã ký số văn bản.")
    desk.state("Đã ký số")
    validation = page.locator("#validation")
    expect(validation.get_by_role("heading")).to_contain_text("hợp lệ")
    expect(validation).to_contain_text("Chữ ký số người ký: Trần Văn Đức")
    desk.look("signed")
    desk.home()
    assert desk.count("Chờ tôi duyệt") == 0

    # assign the paper document to the officer, with a deadline and the leader's note
    deadline = _in_days(10)
    desk.open_from_tab("Chờ phân công", PAPER_SUBJECT)
    assign = desk.form("Phân công xử lý")
    assign.get_by_label("hoặc người chủ trì").select_option(label="Lê Minh Quân – Phòng Tổng hợp")
    assign.get_by_label("Hạn xử lý").fill(f"{deadline:%d/%m/%Y}")
    assign.get_by_label("Ý kiến chỉ đạo").fill("Giao Phòng Tổng hợp nghiên cứu, đề xuất; báo cáo trước hạn.")
    desk.look("assign-form")
    assign.get_by_role("button", name="Phân công").click()
    desk.said("Đã phân công xử lý.")
    desk.state("Đã phân công")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"{deadline:%d/%m/%Y}")
    expect(facts).to_contain_text("Giao Phòng Tổng hợp nghiên cứu, đề xuất; báo cáo trước hạn.")
    expect(page.get_by_role("listitem").filter(has_text="Lê Minh Quân").first).to_be_visible()
    desk.look("assigned")
    desk.home()
    assert desk.count("Chờ phân công") == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_drafts_with_recipients_and_finishes_an_assigned_document(desk, cong_van_pdf, sample_pdf):
    deadline = _in_days(7)
    _assigned_paper(sample_pdf, deadline)
    page = desk.page
    desk.login("chuyenvien.ubnd")
    assert desk.count("Tôi chủ trì xử lý") == 1
    desk.look("home")

    # a draft with a unit and another agency as recipients, submitted to the leader
    desk.menu("Văn bản đi")
    page.get_by_role("link", name="Soạn văn bản mới").click()
    page.get_by_label("Trích yếu nội dung").fill(DRAFT_SUBJECT)
    page.get_by_label("Loại văn bản").select_option(label="Công văn")
    page.get_by_label("Tệp văn bản (PDF hoặc DOCX)").set_input_files(str(cong_van_pdf))
    page.get_by_label("Phòng Kinh tế").check()
    page.get_by_label("Cơ quan khác (tìm theo tên không dấu hoặc mã định danh)").fill("so noi vu")
    page.get_by_role("button", name=re.compile("^Sở Nội vụ")).click()
    expect(page.get_by_role("listitem").filter(has_text="Sở Nội vụ (000.00.02.H49)")).to_be_visible()
    desk.look("draft-form")
    page.get_by_role("button", name="Tạo dự thảo").click()
    desk.said("Đã tạo dự thảo.")
    recipients = page.locator("#recipients")
    expect(recipients).to_contain_text("Phòng Kinh tế")
    expect(recipients).to_contain_text("Sở Nội vụ")
    page.get_by_role("button", name="Trình duyệt").click()
    desk.state("Đang trình duyệt")
    desk.look("submitted")

    # the assigned document: started, then finished with its result
    desk.home()
    desk.open_from_tab("Tôi chủ trì xử lý", PAPER_SUBJECT)
    expect(page.locator("dl.facts")).to_contain_text(f"{deadline:%d/%m/%Y}")
    page.get_by_role("button", name="Bắt đầu xử lý").click()
    desk.state("Đang xử lý")
    page.get_by_label("Kết quả xử lý").fill("Đã làm việc với công ty, đề xuất phương án giao đất; trình lãnh đạo.")
    desk.look("processing")
    page.get_by_role("button", name="Hoàn thành").click()
    desk.state("Hoàn thành")
    expect(page.locator("dl.facts")).to_contain_text("Đã làm việc với công ty, đề xuất phương án giao đất")
    desk.look("done")
    desk.home()
    assert desk.count("Tôi chủ trì xử lý") == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agency_admin_adds_a_unit_and_a_person_who_then_logs_in(desk):
    page = desk.page
    desk.login("quantri.ubnd")
    desk.menu("Quản trị cơ quan")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Người dùng của {UBND}")
    desk.look("people")

    page.get_by_role("link", name="Đơn vị", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đơn vị của {UBND}")
    page.get_by_label("Tên đơn vị").fill("Phòng Tiếp công dân")
    page.get_by_label("Ký hiệu").fill("TCD")
    page.get_by_role("button", name="Thêm đơn vị").click()
    desk.said("Đã thêm đơn vị “Phòng Tiếp công dân”.")
    expect(page.get_by_role("row").filter(has_text="Phòng Tiếp công dân")).to_contain_text("TCD")
    desk.look("unit-added")

    page.get_by_role("link", name="Người dùng", exact=True).click()
    page.get_by_role("link", name="Thêm người dùng").click()
    page.get_by_label("Tên đăng nhập").fill("tiepdan.ubnd")
    page.get_by_label("Họ và tên").fill("Ngô Thị Mai")
    unit = page.get_by_role("combobox", name="Đơn vị")
    unit.select_option(label=unit.get_by_role("option", name="Phòng Tiếp công dân").inner_text())
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Thư điện tử").fill("mai.nt@quangninh.gov.vn")
    page.get_by_label("Chuyên viên", exact=True).check()
    page.get_by_label("Mật khẩu ban đầu").fill("tiep-dan-2026")
    desk.look("person-form")
    page.get_by_role("button", name="Thêm người dùng").click()
    desk.said("Đã thêm người dùng Ngô Thị Mai (tiepdan.ubnd).")
    row = page.get_by_role("row").filter(has_text="tiepdan.ubnd")
    expect(row).to_contain_text("Phòng Tiếp công dân")
    expect(row).to_contain_text("Chuyên viên")
    desk.look("person-added")

    desk.logout()
    desk.login("tiepdan.ubnd", "tiep-dan-2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào, Ngô Thị Mai")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phòng Tiếp công dân")
    expect(page.get_by_role("banner").get_by_role("link", name="Quản trị cơ quan")).to_have_count(0)
    desk.look("new-person-home")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_province_admin_manages_another_agency_and_opens_the_admin(desk):
    page = desk.page
    desk.login("quantri.tinh")
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Quản trị", exact=True)).to_be_visible()
    desk.menu("Quản trị cơ quan")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Người dùng của Văn phòng Ủy ban nhân dân tỉnh Quảng Ninh"
    )
    desk.look("own-agency")

    # another agency of the province, named by its code (the menu has no chooser of agency)
    page.goto(desk.base + "/quan-tri-co-quan/don-vi/?co-quan=000.00.02.H49")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị của Sở Nội vụ")
    page.get_by_label("Tên đơn vị").fill("Phòng Cải cách hành chính")
    page.get_by_label("Ký hiệu").fill("CCHC")
    page.get_by_role("button", name="Thêm đơn vị").click()
    desk.said("Đã thêm đơn vị “Phòng Cải cách hành chính”.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị của Sở Nội vụ")
    expect(page.get_by_role("row").filter(has_text="Phòng Cải cách hành chính")).to_contain_text("CCHC")
    desk.look("other-agency-unit")
    page.get_by_role("link", name="Người dùng", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người dùng của Sở Nội vụ")
    expect(page.get_by_role("row").filter(has_text="vanthu.snv")).to_contain_text("Văn thư")
    desk.look("other-agency-people")

    desk.menu("Quản trị")
    expect(page.get_by_role("link", name="Quản trị vanban")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"{desk.prefix}-{desk.steps + 1}-django-admin.png"), full_page=True)
