"""On a phone (390 px wide, as leaders approve and sign on phones): every main page fits the
width — nothing wider than the screen but the tables, which scroll inside themselves — and
the menu and the search box stay usable. Screenshots under test-output/e2e."""

import pytest

pytestmark = [pytest.mark.browser]

PAGES = [
    ("home", "/"),
    ("incoming-list", "/van-ban-den/"),
    ("incoming", None),  # the paper document made below
    ("outgoing-list", "/van-ban-di/"),
    ("outgoing-new", "/van-ban-di/moi/"),
    ("incoming-register", "/so-van-ban-den/"),
    ("outgoing-register", "/so-van-ban-di/"),
    ("dossiers", "/ho-so/"),
    ("search", "/tim-kiem/?q=ke+hoach"),
    ("directory", "/danh-ba/"),
]

# how much wider than the viewport the page itself is (0: it fits)
OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    if (el.closest('.scroll-x, table, pre')) return false;  // scroll inside themselves
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > doc.clientWidth + 1;
  }).slice(0, 5).map(el => el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''));
  return {over: doc.scrollWidth - doc.clientWidth, wide};
}"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_main_pages_fit_a_phone(live_server, journey_factory, browser_page, sample_pdf, settings, tmp_path):
    from vanban.demo import seed_demo
    from vanban.directory.models import Person
    from vanban.registry.services import incoming

    settings.VAR_DIR = tmp_path / "var"
    logins = seed_demo()
    clerk = Person.objects.get(user__username="vanthu.ubnd")
    doc = incoming.upload_paper(
        clerk.user,
        sender_name="Công ty Cổ phần Xây dựng và Phát triển hạ tầng đô thị Quảng Ninh",
        subject="V/v đề nghị hỗ trợ thủ tục giao đất, cho thuê đất để thực hiện dự án khu dân cư mới",
        data=sample_pdf,
        name="de-nghi.pdf",
        code_number="125",
        code_notation="XD-HT",
    )
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    j = journey_factory(live_server.url, logins.password, "narrow")
    j.page = page
    j.login("vanthu.ubnd")
    problems = {}
    for name, path in PAGES:
        page.goto(live_server.url + (path or f"/van-ban-den/{doc.pk}/"))
        j.shot(name)
        found = page.evaluate(OVERFLOW)
        if found["over"] > 0:
            problems[name] = found
    assert not problems, problems
    assert page.is_visible("#topsearch-q")
    page.goto(f"{live_server.url}/van-ban-den/{doc.pk}/")
    assert not page.is_visible("#pdf-viewer") and page.is_visible("text=Mở tệp PDF")  # the PDF opens by itself
    page.set_viewport_size({"width": 1200, "height": 900})
    assert page.is_visible("#pdf-viewer")  # beside the actions on a desk
