"""The incoming journey between two real offices, over real HTTP.

A hub and two offices run as separate processes (``vanban serve`` plus ``vanban worker``),
each with its own database (SQLite files, or separate PostgreSQL databases when
DATABASE_URL is PostgreSQL). Office A (Sở Nội vụ) drafts, approves, signs, numbers, seals
and issues a công văn to office B (Sở Khoa học và Công nghệ) with its registry services;
issuing writes the connector's outbox row and A's worker sends the signed envelope to the
hub. B's worker pulls it (status 01 goes back). Then B's people work in B's web pages
over HTTP, each in their own signed-in session: the clerk registers the document (03), the
leader assigns it to an officer with a deadline (04), the officer starts (05), records
progress and finishes it with a result (06). Office A's clerk, on A's page of the outgoing
document, sees B's statuses 01, 03, 04, 05, 06 in that order, each with its time.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from testkit import hub as testing

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
AGENCIES = [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ")]
PASSWORD = "mat-khau-thu-nghiem-2026"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
FAST = {
    "VANBAN_CONNECTOR_PULL_SECONDS": "0.5",
    "VANBAN_CONNECTOR_FLUSH_SECONDS": "0.5",
    "VANBAN_REGISTRY_SYNC_SECONDS": "0.5",
}
SUBJECT = "V/v phối hợp triển khai chuyển đổi số năm 2026"

# Each office: its agency's short name and place, one unit, and a văn thư, a lãnh đạo and a
# chuyên viên (username, full name, position, role).
OFFICES = {
    SNV: {
        "short_name": "SNV",
        "place": "Thử Nghiệm",
        "unit": ["Phòng Công chức, viên chức", "CCVC"],
        "people": [
            ["vanthu.snv", "Nguyễn Thị Lan", "Văn thư", "van-thu"],
            ["lanhdao.snv", "Trần Quang Minh", "Giám đốc", "lanh-dao"],
            ["chuyenvien.snv", "Vũ Anh Tuấn", "Chuyên viên", "chuyen-vien"],
        ],
    },
    SKHCN: {
        "short_name": "SKHCN",
        "place": "Thử Nghiệm",
        "unit": ["Phòng Chuyển đổi số", "CĐS"],
        "people": [
            ["vanthu.skhcn", "Phạm Thu Hà", "Văn thư", "van-thu"],
            ["lanhdao.skhcn", "Đỗ Văn Hùng", "Giám đốc", "lanh-dao"],
            ["chuyenvien.skhcn", "Lê Thị Hoa", "Chuyên viên", "chuyen-vien"],
        ],
    },
}

# uses_db: run again in the PostgreSQL pass, where every process gets its own PostgreSQL database
pytestmark = [pytest.mark.slow, pytest.mark.uses_db, pytest.mark.multiprocess]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A test CA, both agencies' keys (seal and XML signing) and A's signer's key."""
    from vanban.signing import TestPKI

    d = tmp_path_factory.mktemp("incoming-http-pki")
    ca = TestPKI.create(d / "ca")
    issued = {code: ca.issue_agency(code, name, "ec-p256") for code, name in AGENCIES}
    issued["lanhdao.snv"] = ca.issue_person("Trần Quang Minh", SNV, "Sở Nội vụ", "Giám đốc", "ec-p256")
    keys = {
        name: {"p12": str(c.write_pkcs12(d / f"{name}.p12")), "pem": c.cert_pem().decode()}
        for name, c in issued.items()
    }
    return {"root": str(d / "ca" / "root.pem"), "keys": keys}


SEED = """
import json
from vanban.directory import services
from vanban.directory.models import Agency
from vanban.registry.setup import ensure_registers, register_key_file
from vanban.signing import make_seal_image, make_signature_image

spec = json.loads({spec!r})
Agency.objects.filter(code=spec["code"]).update(short_name=spec["short_name"], place=spec["place"])
agency = Agency.objects.get(code=spec["code"])
unit = services.create_unit(None, agency, name=spec["unit"][0], suffix=spec["unit"][1])
for username, full_name, position, role in spec["people"]:
    person = services.create_person(None, username=username, password=spec["password"], full_name=full_name,
                                     agency=agency, unit=unit, position=position, roles=[role])
    key = spec["keys"].get(username)
    if key:
        register_key_file(person, key["p12"], key["pem"], make_signature_image(full_name))
ensure_registers(agency)
key = spec["keys"][spec["code"]]
register_key_file(agency, key["p12"], key["pem"], make_seal_image(agency.name, code=agency.code))
print("seeded", agency.code)
"""


def seed_office(node: testing.Node, code: str, pki: dict, hub_api: str, token: str) -> None:
    """The office's agency ready for documents (as the demo seeds one: a unit, a clerk, a
    leader and an officer, registers, signing keys and images), connected to the hub."""
    spec = {"code": code, "password": PASSWORD, "keys": pki["keys"], **OFFICES[code]}
    assert testing.django_shell(node, SEED.format(spec=json.dumps(spec))) == f"seeded {code}"
    node.cli("connector", "account", "set", code, "--hub", hub_api, "--token", token, "--key", pki["keys"][code]["p12"])


ISSUE = """
import json
from vanban.directory.models import DocumentType, Person
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData
from vanban.signing import make_sample_pdf

people = {{p.user.username: p for p in Person.objects.select_related("user")}}
officer, leader, clerk = people["chuyenvien.snv"], people["lanhdao.snv"], people["vanthu.snv"]
pdf = make_sample_pdf(title="CÔNG VĂN", agency_name="SỞ NỘI VỤ", number="Số:      /SNV-CCVC",
                      position="GIÁM ĐỐC", signer_name=leader.full_name).pdf
doc = services.create_draft(officer.user, DraftData(
    subject={subject!r}, document_type=DocumentType.objects.get(code="cong-van"), signer=leader,
    main_file=pdf, main_file_name="cong-van.pdf", recipients=[RecipientData(agency_code={to!r})]))
services.submit(officer.user, doc)
services.approve(leader.user, doc)
services.sign_document(leader.user, doc)
services.number_document(clerk.user, doc)
services.seal_document(clerk.user, doc)
doc = services.issue(clerk.user, doc)
print(json.dumps({{"pk": doc.pk, "state": doc.state, "so_ky_hieu": doc.so_ky_hieu}}))
"""

STATUSES = """
import json
from vanban.registry.models import Recipient
r = Recipient.objects.get(document_id={pk}, agency__code={to!r})
print(json.dumps({{"last": r.last_status, "statuses": [[s.code, s.at.isoformat()] for s in r.statuses.all()]}}))
"""


# --- a person's browser: cookies, CSRF, no automatic redirects --------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 comes back to the caller, who follows it like a browser


class Browser:
    """One person's browser on one office's site: a cookie jar with the Django session and
    CSRF cookies; POSTs carry the CSRF token as the pages' forms do."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and 4xx/5xx
            return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")

    def get(self, path: str) -> str:
        status, _, page = self._open(path)
        assert status == 200, f"GET {path}: HTTP {status}\n{page[:2000]}"
        return page

    def post(self, path: str, data: dict | None = None) -> str:
        """Submit a form; the answer must redirect (Post/Redirect/Get): the page it leads to."""
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        status, location, page = self._open(path, {**(data or {}), "csrfmiddlewaretoken": token})
        assert status == 302, f"POST {path}: HTTP {status}\n{page[:2000]}"
        return self.get(urllib.parse.urljoin(path, location))

    def login(self, username: str) -> str:
        self.get("/dang-nhap/")  # sets the CSRF cookie, as opening the login page does
        home = self.post("/dang-nhap/", {"username": username, "password": PASSWORD, "next": ""})
        assert "Xin chào" in home, home[:2000]
        return home


class _Element(HTMLParser):
    """The text of the element with a given id, and its table rows as lists of cell texts."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth = element_id, 0
        self.parts: list[str] = []
        self.rows: list[list[str]] = []

    def _text(self, text: str) -> None:
        self.parts.append(text)
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += text

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if self.depth and tag == "br":
                self._text("\n")
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1
        if self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self._text(data)


def _parse(page: str, element_id: str) -> _Element:
    parser = _Element(element_id)
    parser.feed(page)
    return parser


def text_of(page: str, element_id: str) -> str:
    return " ".join("".join(_parse(page, element_id).parts).split())


def table_of(page: str, element_id: str) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in _parse(page, element_id).rows]


def messages(page: str) -> str:
    found = re.search(r'<ul class="messages">(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def link_to(page: str, prefix: str, subject: str) -> str | None:
    """The href of the link whose text is ``subject`` (lists link documents by subject)."""
    for href, text in re.findall(rf'<a href="({re.escape(prefix)}\d+/)">([^<]*)</a>', page):
        if text.strip() == subject:
            return href
    return None


def option_value(page: str, select_name: str, label_start: str) -> str:
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select name={select_name}> on the page"
    for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)):
        if label.startswith(label_start):
            return value
    raise AssertionError(f"no option {label_start!r} in {select_name}")


# --- times --------------------------------------------------------------------------------------


def now_s() -> dt.datetime:
    """Now, to the second (edXML status times carry no fraction)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def shown(at: dt.datetime) -> dt.datetime:
    """A time as the pages show it: Vietnam time, to the minute."""
    return at.astimezone(VN).replace(second=0, microsecond=0, tzinfo=None)


STATUS_LINE = re.compile(r"(\d{2}) ([^,\n]+), (\d{2}/\d{2}/\d{4} \d{2}:\d{2})")


def recipient_statuses(page: str, recipient: str) -> list[tuple[str, str, dt.datetime]]:
    """(code, name, time) in the 'Tình trạng xử lý' cell of a recipient's row."""
    rows = table_of(page, "recipients")
    column = rows[0].index("Tình trạng xử lý")
    [row] = [r for r in rows[1:] if r and r[0] == recipient]
    return [
        (code, name.strip(), dt.datetime.strptime(when, "%d/%m/%Y %H:%M"))
        for code, name, when in STATUS_LINE.findall(row[column])
    ]


# --- the test -----------------------------------------------------------------------------------


def test_recipient_registers_assigns_processes_and_finishes_over_http_and_sender_sees_01_to_06(nodes, pki):
    office_env = {"VANBAN_TRUST_ROOTS": pki["root"], **FAST}
    hub = nodes("hub", "hub", {"VANBAN_TRUST_ROOTS": pki["root"]})
    a = nodes("office-a", "office", office_env)
    b = nodes("office-b", "office", office_env)
    with ThreadPoolExecutor(3) as pool:  # three migrations at once: the slowest part of the setup
        list(pool.map(lambda node: testing.prepare(node, AGENCIES), (hub, a, b)))
    tokens = {code: testing.issue_token(hub, code) for code, _ in AGENCIES}
    hub.start()
    with ThreadPoolExecutor(2) as pool:
        seeding = [
            pool.submit(seed_office, node, code, pki, hub.api, tokens[code]) for node, code in ((a, SNV), (b, SKHCN))
        ]
        for done in seeding:
            done.result()
    for office in (a, b):
        office.start()
        office.start_worker()

    # Office A issues the document to B's agency (the registry's own steps; issuing queues the envelope).
    issued_from = now_s()
    outgoing = json.loads(testing.django_shell(a, ISSUE.format(subject=SUBJECT, to=SKHCN)))
    assert outgoing["state"] == "da-phat-hanh" and outgoing["so_ky_hieu"] == "01/SNV-CCVC"
    windows: dict[str, tuple[dt.datetime, dt.datetime]] = {}

    # Office B's clerk finds it in "Văn bản đến" once B's worker has pulled it (01 sent back), and registers it.
    clerk = Browser(b.url)
    clerk.login("vanthu.skhcn")
    url = testing.wait_for(
        lambda: link_to(clerk.get("/van-ban-den/"), "/van-ban-den/", SUBJECT),
        what="the document in office B's incoming list",
    )
    windows["01"] = (issued_from, now_s())
    page = clerk.get(url)
    assert text_of(page, "state") == "Đã đến"
    assert f"Sở Nội vụ ({SNV})" in page and "01/SNV-CCVC" in page
    assert text_of(page, "package-signature") == "hợp lệ"

    started = now_s()
    page = clerk.post(url + "vao-so/")
    windows["03"] = (started, now_s())
    assert "Đã vào sổ văn bản đến." in messages(page)
    assert text_of(page, "state") == "Đã vào sổ" and "số đến 01" in page

    # The leader assigns it to the officer as lead, with a deadline.
    leader = Browser(b.url)
    leader.login("lanhdao.skhcn")
    page = leader.get(url)
    officer_id = option_value(page, "lead_person", "Lê Thị Hoa")
    deadline = (dt.datetime.now(VN).date() + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    started = now_s()
    page = leader.post(
        url + "phan-cong/",
        {"lead_person": officer_id, "deadline": deadline, "instructions": "Nghiên cứu, đề xuất phương án phối hợp."},
    )
    windows["04"] = (started, now_s())
    assert "Đã phân công xử lý." in messages(page)
    assert text_of(page, "state") == "Đã phân công"
    assert "Chủ trì: Lê Thị Hoa" in text_of(page, "assignments") and deadline in page

    # The officer finds it under "Việc của tôi", starts, records progress and finishes with a result.
    officer = Browser(b.url)
    officer.login("chuyenvien.skhcn")
    my_work = officer.get("/viec-cua-toi/")
    to_process = re.search(r'<h2 id="to_process">.*?</table>', my_work, re.S)
    assert to_process and link_to(to_process.group(0), "/van-ban-den/", SUBJECT) == url
    started = now_s()
    page = officer.post(url + "bat-dau/")
    windows["05"] = (started, now_s())
    assert "Đã chuyển sang đang xử lý." in messages(page) and text_of(page, "state") == "Đang xử lý"
    page = officer.post(url + "tien-do/", {"text": "Đã họp với Phòng Công chức, viên chức; đang dự thảo."})
    assert "Đã ghi tiến độ." in messages(page) and "đang dự thảo" in text_of(page, "notes")
    started = now_s()
    page = officer.post(url + "hoan-thanh/", {"result": "Đã thống nhất phương án phối hợp, báo cáo lãnh đạo."})
    windows["06"] = (started, now_s())
    assert "Đã hoàn thành xử lý." in messages(page) and text_of(page, "state") == "Hoàn thành"
    assert "Đã thống nhất phương án phối hợp" in page
    history = table_of(page, "history")
    assert [row[4] for row in history[1:]] == ["—", "03", "04", "05", "—", "06"]  # receive, …, progress, finish

    # Office A's clerk opens the outgoing document: B's statuses in order, each with its time.
    sender = Browser(a.url)
    sender.login("vanthu.snv")
    wanted = ["01", "03", "04", "05", "06"]

    def statuses_shown():
        got = recipient_statuses(sender.get(f"/van-ban-di/{outgoing['pk']}/"), "Sở Khoa học và Công nghệ")
        return got if "06" in [code for code, _, _ in got] else None

    got = testing.wait_for(statuses_shown, what="status 06 on office A's page")
    assert [(code, name) for code, name, _ in got] == [
        ("01", "Đã đến"),
        ("03", "Đã tiếp nhận"),
        ("04", "Phân công xử lý"),
        ("05", "Đang xử lý"),
        ("06", "Hoàn thành"),
    ]
    times = [when for _, _, when in got]
    assert times == sorted(times)
    for code, _, when in got:
        first, last = windows[code]
        assert shown(first) <= when <= shown(last), (code, when, windows[code])

    # The same in A's registry data, to the second: each status timed within its step at B.
    data = json.loads(testing.django_shell(a, STATUSES.format(pk=outgoing["pk"], to=SKHCN)))
    assert data["last"] == "06" and [code for code, _ in data["statuses"]] == wanted
    ats = [dt.datetime.fromisoformat(at) for _, at in data["statuses"]]
    assert ats == sorted(ats)
    for code, at in zip(wanted, ats):
        first, last = windows[code]
        assert first <= at <= last, (code, at, windows[code])

    # The hub's timeline on A's page keeps up to the end: B's 06 is on it too, after B's ack.
    def timeline_shown():
        rows = table_of(sender.get(f"/van-ban-di/{outgoing['pk']}/"), "recipients")
        column = rows[0].index("Tình trạng gửi")
        [row] = [r for r in rows[1:] if r and r[0] == "Sở Khoa học và Công nghệ"]
        return row[column] if "Trạng thái xử lý 06" in row[column] else None

    timeline = testing.wait_for(timeline_shown, what="status 06 on the hub timeline of office A's page")
    assert timeline.index("Nơi nhận xác nhận đã nhận") < timeline.index("Trạng thái xử lý 06")
