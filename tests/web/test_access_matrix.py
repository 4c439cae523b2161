"""The authorization matrix: every URL of the URLconf against its rule in vanban.web.access,
for every role (văn thư, lãnh đạo, chuyên viên, agency and provincial administrators, staff,
an account bound to no agency, an anonymous visitor) with objects of the person's own
agency and of another, the answer expected from the table (200, 302 to a login page, 404,
405); refused POSTs change nothing; the hub API and VDXP against their callers.

A URL without a rule, or without a case here saying how to build it, fails
:func:`test_every_url_has_a_rule` / :func:`test_every_url_is_tried`, naming it. The objects
are built once for the module (one transaction, rolled back at the end); each test runs in
a savepoint of it."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

import vanban.urls
from vanban.web import access
from vanban.web.access import (
    ANYONE,
    HUB_AGENCY,
    INVOLVED,
    MANAGED,
    OWN_AGENCY,
    PERSON,
    SIGNED_IN,
    STAFF,
    VDXP_SYSTEM,
)

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
SCAN = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
LOGIN, ADMIN_LOGIN = "/dang-nhap/", "/quan-tri/login/"


def _unlisted(request):
    return HttpResponse("không được tới đây")


# the URLconf of test_a_url_without_a_rule_is_refused: ours, and two URLs the table does not name
urlpatterns = [
    path("thu-nghiem/chua-khai-bao/", _unlisted, name="unlisted-page"),
    path("hub/v1/chua-khai-bao", _unlisted, name="unlisted-api"),
    *vanban.urls.urlpatterns,
]


# -- the URLconf, walked ------------------------------------------------------------------------


def _walk(resolver, namespaces=()) -> list[str]:
    names = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            names += _walk(p, namespaces + ((p.namespace,) if p.namespace else ()))
        elif isinstance(p, URLPattern):
            names.append(":".join((*namespaces, p.name or p.lookup_str)))
    return names


def url_names() -> list[str]:
    return sorted(set(_walk(get_resolver())))


# -- who asks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    label: str
    username: str | None  # None: anonymous


WHO = [
    Who("ẩn danh", None),
    Who("tài khoản không thuộc cơ quan nào", "ke.la"),
    Who("văn thư SNV", "lan"),
    Who("lãnh đạo SNV", "minh"),
    Who("chuyên viên SNV", "tuan"),
    Who("chuyên viên SKHCN", "hoa"),
    Who("quản trị cơ quan SKHCN", "son"),
    Who("quản trị tỉnh", "khoa"),
    Who("quản trị hệ thống (staff)", "root"),
]


@dataclass
class World:
    personas: object
    people: dict  # username -> Person (or None for accounts bound to no agency)
    users: dict  # username -> User
    docs: dict  # (kind, agency code) -> object
    involved: dict  # (kind, agency code) -> usernames who see it
    clients: dict = field(default_factory=dict)  # username or None -> Client
    tokens: dict = field(default_factory=dict)  # agency code -> hub token
    package_id: str = ""
    pki: dict = field(default_factory=dict)  # "snv", "skhcn" -> the agencies' certificates

    def client(self, who: Who) -> Client:
        return self.clients[who.username]


def _build(personas, sample_pdf, pki, keys_dir: Path) -> World:
    from django.contrib.auth import get_user_model

    from testkit import hub as testing
    from testkit.registry import digitized_scan
    from vanban import records
    from vanban.directory import services as directory
    from vanban.directory.models import DocumentType
    from vanban.exchange.auth import issue_credential
    from vanban.records.models import RetentionClass
    from vanban.registry import services
    from vanban.registry.models import Register
    from vanban.registry.services import DraftData, digitized, incoming
    from vanban.registry.setup import ensure_registers, register_key_file
    from vanban.scanning import services as scanning
    from vanban.scanning.models import ScanJob
    from vanban.signing import make_seal_image
    from vanban.storage import put_bytes

    p = personas
    skhcn_unit = p.hoa.unit

    def person(username, name, role):
        return directory.create_person(
            None,
            username=username,
            password=PASSWORD,
            full_name=name,
            agency=p.so_khcn,
            unit=skhcn_unit,
            position="",
            roles=[role],
        )

    thu = person("thu", "Ngô Thị Thu", "van-thu")  # the second agency's clerk and leader, who make its documents
    quang = person("quang", "Hồ Văn Quang", "lanh-dao")
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    for agency, issued in ((p.so_noi_vu, pki["snv"]), (p.so_khcn, pki["skhcn"])):
        ensure_registers(agency)
        register_key_file(
            agency,
            issued.write_pkcs12(keys_dir / f"{agency.code}.p12"),
            issued.cert_pem().decode(),
            make_seal_image(agency.name),
        )

    docs, involved = {}, {}
    cong_van = DocumentType.objects.get(code="cong-van")
    for code, clerk, leader, officer in ((SNV, p.lan, p.minh, p.tuan), (SKHCN, thu, quang, p.hoa)):
        draft = services.create_draft(
            officer.user,
            DraftData(
                subject="V/v thử quyền truy cập",
                document_type=cong_van,
                signer=leader,
                main_file=sample_pdf,
                main_file_name="du-thao.pdf",
                recipients=[],
            ),
        )
        scan = digitized_scan(sample_pdf, SCAN)
        arrived = incoming.upload_paper(
            clerk.user, sender_name="Sở Y tế", subject="V/v thử quyền truy cập", data=b"", name="", digitized=scan
        )
        arrived = incoming.register(clerk.user, arrived)
        arrived = incoming.assign(leader.user, arrived, incoming.AssignmentData(lead_person=officer))
        copy = digitized.certify_copy(clerk.user, arrived)
        job = scanning.submit_upload(clerk.user, SCAN, "ban-quet.png")
        ScanJob.objects.filter(pk=job.pk).update(pdf_sha256=put_bytes(sample_pdf), pdf_size=len(sample_pdf))
        docs["outgoing", code] = draft
        docs["incoming", code] = arrived
        docs["copy", code] = copy
        docs["scan", code] = job
        docs["dossier", code] = records.add_dossier(
            clerk.user,
            clerk.agency,
            2026,
            records.DossierData(
                title="Hồ sơ thử quyền truy cập",
                retention_class=RetentionClass.objects.get(agency=None, code="10-nam"),
                responsible=clerk,
            ),
        )
        expired = records.add_dossier(  # closed, its retention over by 2037: a destruction batch of it
            clerk.user,
            clerk.agency,
            2026,
            records.DossierData(
                title="Hồ sơ thử quyền hủy tài liệu",
                retention_class=RetentionClass.objects.get(agency=None, code="10-nam"),
            ),
        )
        filed = incoming.upload_paper(
            clerk.user, sender_name="Sở Y tế", subject="V/v thử hủy tài liệu", data=sample_pdf, name="a.pdf"
        )
        records.file_document(clerk.user, expired, filed)
        records.close_dossier(clerk.user, expired)
        docs["disposal", code] = records.start_disposal(
            clerk.user, clerk.agency, 2037, [expired], "Tài liệu hết thời hạn lưu trữ 10 năm."
        )
        outgoing_register = Register.objects.filter(agency=clerk.agency, kind=Register.KIND_OUTGOING, secret=False)
        docs["held", code] = services.reserve_numbers(clerk.user, outgoing_register.first(), 1, "Giữ số thử quyền")[0]
        docs["notification", code] = officer.notifications.get(kind="duoc-giao")  # from the assignment above
        docs["unit", code] = officer.unit  # the agency administrator's pages
        docs["person", code] = officer
        docs["register", code] = outgoing_register.first()
        involved["notification", code] = {officer.user.username}  # a notification is its person's alone
        involved["outgoing", code] = {leader.user.username, officer.user.username}  # the signer, the drafter
        involved["incoming", code] = {clerk.user.username, leader.user.username, officer.user.username}  # assigned
        involved["scan", code] = {clerk.user.username}
    people = {
        "ke.la": None,
        "root": None,
        **{x.user.username: x for x in (p.lan, p.minh, p.tuan, p.hoa, p.son, p.khoa, thu, quang)},
    }
    users = {u.username: u for u in get_user_model().objects.all()}
    world = World(p, people, users, docs, involved, pki=pki)
    for who in WHO:
        client = Client()
        if who.username:
            client.force_login(users[who.username])
        world.clients[who.username] = client
    for agency in (p.so_noi_vu, p.so_khcn, p.xa):
        world.tokens[agency.code] = issue_credential(None, agency=agency)[1]
    package = testing.signed(testing.envelope(SNV, [SKHCN], 1), pki["snv"])
    answer = Client().post(
        "/hub/v1/packages",
        data=package,
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens[SNV]}",
    )
    assert answer.status_code == 202, answer.content
    world.package_id = answer.json()["id"]
    return world


@pytest.fixture(autouse=True)
def _files_in_tmp():
    """The module's files stay in the module's folder (see ``world``), not one per test."""
    yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, sample_pdf):
    """Both agencies' people and documents, built once: one transaction rolled back at the end."""
    from tests.conftest import make_personas
    from vanban.signing import TestPKI

    base = tmp_path_factory.mktemp("access-matrix")
    ca = TestPKI.create(base / "ca")
    pki = {
        "snv": ca.issue_agency(SNV, "Sở Nội vụ", "ec-p256"),
        "skhcn": ca.issue_agency(SKHCN, "Sở Khoa học và Công nghệ", "ec-p256"),
    }
    files = base / "files"
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(files)}}
    }
    with (
        django_db_blocker.unblock(),
        override_settings(
            FILES_DIR=files,
            STORAGES={**django_settings.STORAGES, **storages},
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            VANBAN_TRUST_ROOTS=str(base / "ca" / "root.pem"),
            VANBAN_HUB_CODE="truc-tinh",
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build(make_personas(), sample_pdf, pki, base)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# -- how each URL is built, and what an allowed person gets when it is not 200 ----------------


def _pk(kind):
    return lambda w, code: [w.docs[kind, code].pk]


def _file(w, code):
    doc = w.docs["outgoing", code]
    return [doc.pk, doc.versions.get().file.sha256]


OBJECT_URLS = {  # name -> (kind of object, its URL's arguments for an agency's object)
    "web:agency": ("agency", lambda w, code: [code]),
    "web:outgoing": ("outgoing", _pk("outgoing")),
    "web:outgoing_compare": ("outgoing", _pk("outgoing")),
    "web:outgoing_edit": ("outgoing", _pk("outgoing")),
    "web:outgoing_file": ("outgoing", _file),
    "web:outgoing_slip": ("outgoing", _pk("outgoing")),
    "web:token_prepare": ("outgoing", _pk("outgoing")),
    "web:token_seal_prepare": ("outgoing", _pk("outgoing")),
    "web:outgoing_action": ("outgoing", lambda w, code: [w.docs["outgoing", code].pk, "trinh"]),
    "web:incoming": ("incoming", _pk("incoming")),
    "web:incoming_file": ("incoming", _pk("incoming")),
    "web:incoming_slip": ("incoming", _pk("incoming")),
    "web:incoming_action": ("incoming", lambda w, code: [w.docs["incoming", code].pk, "tien-do"]),
    "web:incoming_digitized": ("incoming", lambda w, code: [w.docs["incoming", code].pk, "ban-so-hoa"]),
    "web:incoming_copy": ("incoming", lambda w, code: [w.docs["incoming", code].pk, w.docs["copy", code].pk]),
    "web:scan": ("scan", _pk("scan")),
    "web:scan_progress": ("scan", _pk("scan")),
    "web:scan_file": ("scan", _pk("scan")),
    "web:scan_original": ("scan", _pk("scan")),
    "web:scan_register": ("scan", _pk("scan")),
    "web:scan_attach": ("scan", _pk("scan")),
    "web:dossier": ("dossier", _pk("dossier")),
    "web:dossier_action": ("dossier", lambda w, code: [w.docs["dossier", code].pk, "ghi-chu"]),
    "web:dossier_file": ("outgoing", lambda w, code: ["van-ban-di", w.docs["outgoing", code].pk]),
    "web:dossier_catalog_edit": ("dossier", _pk("dossier")),
    "web:disposal": ("disposal", _pk("disposal")),
    "web:disposal_action": ("disposal", lambda w, code: [w.docs["disposal", code].pk, "dung"]),
    "web:number_cancel": ("held", _pk("held")),
    "web:notification_open": ("notification", _pk("notification")),
    "web:agency_unit": ("unit", _pk("unit")),
    "web:agency_person": ("person", _pk("person")),
    "web:agency_person_action": ("person", lambda w, code: [w.docs["person", code].pk, "khoa"]),
    "web:agency_register_action": ("register", lambda w, code: [w.docs["register", code].pk, "ngung"]),
}
PLAIN_URLS = [
    "login",
    "logout",
    "web:home",
    "web:directory",
    "web:shortcuts",
    "web:reports",
    "web:agency_picker",
    "web:outgoing_list",
    "web:outgoing_new",
    "web:outgoing_register",
    "web:number_reservations",
    "web:batch_sign",
    "web:batch_token_prepare",
    "web:token_finish",
    "web:token_seal_finish",
    "web:incoming_list",
    "web:incoming_paper",
    "web:incoming_email",
    "web:incoming_register",
    "web:my_work",
    "web:notifications",
    "web:notification_settings",
    "web:delegate",
    "web:scan_list",
    "web:scan_table",
    "web:dossier_list",
    "web:dossier_transfer",
    "web:dossier_catalog",
    "web:dossier_catalog_add",
    "web:dossier_catalog_import",
    "web:dossier_catalog_copy",
    "web:disposal_list",
    "web:disposal_new",
    "search:page",
    "hub-operator",
    "web:agency_units",
    "web:agency_people",
    "web:agency_person_new",
    "web:agency_registers",
    "web:agency_keys",
    "web:agency_delegations",
]
# every admin screen shares the rule "admin:*"; these are tried (the rest differ only by model)
ADMIN_URLS = {
    "admin:index": lambda w: [],
    "admin:login": lambda w: [],
    "admin:password_change": lambda w: [],
    "admin:app_list": lambda w: ["directory"],
    "admin:directory_person_changelist": lambda w: [],
    "admin:directory_person_change": lambda w: [w.people["lan"].pk],
    "admin:registry_signingkey_changelist": lambda w: [],
    "admin:audit_auditevent_changelist": lambda w: [],
}
ALLOWED = {  # (name, username or "*" for any signed-in account) -> the answer when not 200
    ("login", "*"): 302,  # a signed-in person is sent home
    ("admin:login", "root"): 302,  # staff already signed in: to the admin's index
    ("web:notification_open", "*"): 302,  # marked read, then its document
}


def _answer_when_allowed(name: str, username: str | None) -> int:
    for key in ((name, username), (name, "*") if username else (name, None)):
        if key in ALLOWED:
            return ALLOWED[key]
    return 200


def expected(w: World, name: str, who: Who, code: str | None, method: str = "GET") -> tuple[int, str | None]:
    """The answer the table gives (status, and where a 302 goes), from the rule alone and the
    objects' facts (whose agency, who drafted, signed, was assigned)."""
    rule = access.rule_for(name)
    assert rule is not None, name
    user = who.username
    person = w.people.get(user) if user else None
    if rule.who == STAFF and user != "root":
        return 302, ADMIN_LOGIN
    if rule.who in (SIGNED_IN, PERSON) and user is None:
        return 302, LOGIN
    if rule.who == PERSON:
        if person is None:
            return 404, None
        if rule.roles and not any(person.has_role(r) for r in rule.roles):
            return 404, None
    if rule.methods is not None and method not in rule.methods:
        return 405, None  # the gate's last check; the object's scope is the view's, after it
    kind = OBJECT_URLS.get(name, (None,))[0]
    if kind and rule.scope == OWN_AGENCY and person.agency.code != code:
        return 404, None
    if kind and rule.scope == INVOLVED and user not in w.involved[kind, code]:
        return 404, None
    if kind and rule.scope == MANAGED and person.agency.code != code and not person.has_role("quan-tri-tinh"):
        return 404, None
    return _answer_when_allowed(name, user), None


def _url(w: World, name: str, code: str | None) -> str:
    if name in OBJECT_URLS:
        return reverse(name, args=OBJECT_URLS[name][1](w, code))
    if name in ADMIN_URLS:
        return reverse(name, args=ADMIN_URLS[name](w))
    return reverse(name)


def _codes(name: str) -> tuple:
    return (SNV, SKHCN) if name in OBJECT_URLS else (None,)


def _mismatch(response, want: tuple[int, str | None]) -> bool:
    status, where = want
    if response.status_code != status:
        return True
    return where is not None and not response["Location"].startswith(where)


# -- the table covers the URLconf, and the matrix covers the table ------------------------------


def test_every_url_has_a_rule():
    missing = [name for name in url_names() if access.rule_for(name) is None]
    assert not missing, "URLs without a rule in vanban.web.access.RULES (a new page must join the table): " + ", ".join(
        missing
    )


def test_every_rule_names_a_url():
    names = set(url_names())
    stale = [
        key
        for key in access.RULES
        if (key.endswith(":*") and not any(n.startswith(key[:-1]) for n in names))
        or (not key.endswith(":*") and key not in names)
    ]
    assert not stale, "rules for URLs that are gone: " + ", ".join(stale)


def test_every_url_is_tried():
    tried = set(OBJECT_URLS) | set(PLAIN_URLS) | {c[0] for c in HUB_CASES} | {"vdxp-operation"}
    untried = [n for n in url_names() if n not in tried and not n.startswith("admin:")]
    assert not untried, "URLs the matrix does not try (add a case to tests/web/test_access_matrix.py): " + ", ".join(
        untried
    )


def test_the_table_keeps_what_must_stay_closed():
    """The matrix checks the system against the table; this pins the table's closed doors."""
    rules = {name: access.rule_for(name) for name in url_names()}
    for name, rule in rules.items():
        if name.startswith("web:scan"):
            assert (rule.who, rule.roles, rule.scope) == (PERSON, access.CLERK, access.OWN_AGENCY), name
        if name.endswith("_register") and name.startswith("web:") and name != "web:scan_register":
            assert (rule.who, rule.roles) == (PERSON, access.REGISTER_ROLES), name
        if name.startswith("admin:") and name not in ("admin:login", "admin:logout"):
            assert rule.who == STAFF, name
        if name.startswith("hub-v1:") and name not in ("hub-v1:api-root", "hub-v1:openapi-json"):
            assert rule.who == HUB_AGENCY, name
        if OBJECT_URLS.get(name, ("",))[0] in ("outgoing", "incoming"):  # a document's pages and actions
            assert (rule.who, rule.scope) == (PERSON, INVOLVED), name
    assert [n for n, r in rules.items() if r.who == ANYONE] == sorted(
        ["admin:login", "admin:logout", "hub-v1:api-root", "hub-v1:openapi-json", "login", "logout"]
    )


def test_the_gate_is_in_the_middleware(settings):
    chain = settings.MIDDLEWARE
    gate = chain.index("vanban.web.authorize.AuthorizeByTable")
    assert gate > chain.index("django.contrib.auth.middleware.AuthenticationMiddleware")


def test_a_url_without_a_rule_is_refused(world, settings):
    settings.ROOT_URLCONF = __name__
    for who in (WHO[0], WHO[3]):  # anonymous, a leader
        page = world.client(who).get("/thu-nghiem/chua-khai-bao/")
        assert page.status_code == 403 and "chưa được khai báo quyền truy cập" in page.content.decode()
        api = world.client(who).get("/hub/v1/chua-khai-bao")
        assert api.status_code == 403 and api.json()["code"] == "no_access_rule"


# -- pages: every URL x everyone x an object of each agency -----------------------------------


# One test per kind of check, each looping over its URLs and naming every mismatch: few test
# items, so the parallel runner keeps the module on one worker and builds the objects once.


def test_each_page_answers_everyone_as_the_table_says(world):
    wrong, asked = [], 0
    for name in sorted([*PLAIN_URLS, *OBJECT_URLS, *ADMIN_URLS]):
        for who in WHO:
            for code in _codes(name):
                url = _url(world, name, code)
                want = expected(world, name, who, code)
                got = world.client(who).get(url)
                asked += 1
                if _mismatch(got, want):
                    wrong.append(f"{who.label} GET {url}: {got.status_code} {got.get('Location', '')}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert asked > 400


def test_a_refusal_is_a_vietnamese_page(world):
    page = world.client(WHO[4]).get(reverse("web:scan_list"))  # an officer is not a clerk
    assert page.status_code == 404 and "Chỉ văn thư số hóa văn bản giấy." in page.content.decode()
    page = world.client(WHO[1]).get(reverse("web:outgoing_list"))
    assert page.status_code == 404 and "Tài khoản chưa gắn với cơ quan nào." in page.content.decode()
    page = world.client(WHO[2]).get(reverse("web:delegate"))
    assert page.status_code == 405 and "không nhận yêu cầu" in page.content.decode()
    page = world.client(WHO[5]).get(reverse("web:outgoing", args=[world.docs["outgoing", SNV].pk]))
    assert page.status_code == 404 and "bạn không có quyền xem" in page.content.decode()  # another agency's


# -- POSTs: a refused one changes nothing ------------------------------------------------------


def _snapshot() -> tuple:
    from vanban.audit.models import AuditEvent
    from vanban.records.models import DisposalBatch, Dossier, DossierNote
    from vanban.registry.models import AssignmentStep, CertifiedCopy, Delegation, IncomingDocument, OutgoingDocument
    from vanban.scanning.models import ScanJob

    return (
        AuditEvent.objects.count(),
        AssignmentStep.objects.count(),
        list(OutgoingDocument.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        list(IncomingDocument.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        list(ScanJob.objects.order_by("pk").values_list("pk", "state", "outcome")),
        CertifiedCopy.objects.count(),
        Delegation.objects.count(),
        list(Dossier.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        DossierNote.objects.count(),
        list(DisposalBatch.objects.order_by("pk").values_list("pk", "state", "updated_at")),
    )


def _slugs(name: str) -> list[str]:
    from vanban.web import handover, incoming, outgoing

    return {
        "web:outgoing_action": list(outgoing.ACTIONS),
        "web:incoming_action": [*incoming.ACTIONS, *handover.STEPS],
    }.get(name, [""])


def _refusable_posts() -> list[str]:
    rules = {n: access.rule_for(n) for n in [*PLAIN_URLS, *OBJECT_URLS]}
    return sorted(n for n, r in rules.items() if r and r.who != ANYONE and "POST" in (r.methods or ()))


POST_URLS = _refusable_posts()


def test_a_post_the_table_refuses_changes_nothing(world):
    before = _snapshot()
    wrong, tried = [], set()
    for name in POST_URLS:
        for who in WHO:
            for code in _codes(name):
                want = expected(world, name, who, code, "POST")
                if want[0] == 200:
                    continue  # let in: the service decides (below, and the pages' own tests)
                for slug in _slugs(name):
                    args = OBJECT_URLS[name][1](world, code) if name in OBJECT_URLS else []
                    url = reverse(name, args=[*args[:-1], slug] if slug else args)
                    got = world.client(who).post(url, {"reason": "thử", "text": "thử"})
                    tried.add(name)
                    if _mismatch(got, want):
                        wrong.append(f"{who.label} POST {url}: {got.status_code}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert tried == set(POST_URLS)
    assert _snapshot() == before


def _eml() -> io.BytesIO:
    upload = io.BytesIO(b"From: a@b.vn\r\nTo: c@d.vn\r\nSubject: thu\r\n\r\nkhong co tep\r\n")
    upload.name = "thu.eml"
    return upload


WRONG_ROLE = [  # (who, name, object, slug, data): let in by the table, refused by the service
    ("tuan", "web:incoming_email", None, "", lambda w: {"eml": _eml()}),
    (
        "tuan",
        "web:delegate",
        None,
        "",
        lambda w: {
            "deputy": w.people["lan"].pk,
            "scope": "phan-cong",
            "starts_on": "01/12/2026",
            "ends_on": "31/12/2026",
        },
    ),
    ("tuan", "web:outgoing_action", "outgoing", "cap-so", lambda w: {}),
    ("tuan", "web:outgoing_action", "outgoing", "duyet", lambda w: {}),
    ("minh", "web:outgoing_action", "outgoing", "phat-hanh", lambda w: {}),
    ("tuan", "web:incoming_action", "incoming", "phan-cong", lambda w: {"lead_person": w.people["tuan"].pk}),
    ("lan", "web:incoming_action", "incoming", "hoan-thanh", lambda w: {"result": "xong"}),
    ("tuan", "web:dossier_action", "dossier", "dong", lambda w: {}),
    ("tuan", "web:dossier_action", "dossier", "ghi-chu", lambda w: {"text": "  "}),
    ("tuan", "web:dossier_action", "dossier", "giu-lai", lambda w: {"reason": "Đang thanh tra"}),
]
WRONG_ROLE_IN_PLACE = [  # let in by the table, refused by the service (role or step), on the page itself
    (
        "minh",
        "web:disposal_new",
        None,
        "",
        lambda w: {"nam": "2037", "explanation": "Hết thời hạn", "ho_so": [w.docs["dossier", SNV].pk]},
    ),
    ("minh", "web:disposal_action", "disposal", "xet", lambda w: {"minutes": "Hội đồng thống nhất hủy."}),
    ("lan", "web:disposal_action", "disposal", "huy", lambda w: {}),
    # the chain of assignment: the document waits on the officer it was given to
    ("lan", "web:incoming_action", "incoming", "giao-xu-ly", lambda w: {"person": w.people["tuan"].pk}),
    ("minh", "web:incoming_action", "incoming", "chuyen-tiep", lambda w: {"person": w.people["lan"].pk}),
    ("lan", "web:incoming_action", "incoming", "tra-lai", lambda w: {"reason": "Không đúng chức năng"}),
    (
        "minh",
        "web:incoming_action",
        "incoming",
        "xin-y-kien",
        lambda w: {"person": w.people["lan"].pk, "question": "?"},
    ),
    ("tuan", "web:incoming_action", "incoming", "cho-y-kien", lambda w: {"text": "Đồng ý"}),
]


def test_a_wrong_role_post_is_a_message_and_changes_nothing(world):
    before = _snapshot()
    for username, name, kind, slug, data in WRONG_ROLE:
        args = [world.docs[kind, SNV].pk, slug] if kind else []
        got = world.clients[username].post(reverse(name, args=args), data(world), follow=True)
        assert got.status_code == 200 and got.redirect_chain and got.redirect_chain[0][1] == 302, (username, name)
        assert '<li class="error">' in got.content.decode(), (username, name, slug)
        assert _snapshot() == before, (username, name, slug)


def test_a_wrong_role_post_answered_in_place_is_a_message_and_changes_nothing(world):
    before = _snapshot()
    for username, name, kind, slug, data in WRONG_ROLE_IN_PLACE:
        args = [world.docs[kind, SNV].pk, slug] if kind else []
        got = world.clients[username].post(reverse(name, args=args), data(world))
        assert got.status_code == 200 and '<li class="error">' in got.content.decode(), (username, name, slug)
        assert _snapshot() == before, (username, name, slug)


# -- the hub API and VDXP: their callers ------------------------------------------------------

NOT_FOUND = "not_found"
HUB_CASES = [  # (name, method, path after /hub/v1/, caller, status, code): caller None, "session" or an agency
    ("hub-v1:api-root", "GET", "", None, 404, None),
    ("hub-v1:openapi-json", "GET", "openapi.json", None, 200, None),
    ("hub-v1:get_me", "GET", "me", None, 401, "unauthenticated"),
    ("hub-v1:get_me", "GET", "me", "session", 401, "unauthenticated"),
    ("hub-v1:get_me", "GET", "me", XA, 200, None),
    ("hub-v1:get_inbox", "GET", "inbox", None, 401, "unauthenticated"),
    ("hub-v1:get_inbox", "GET", "inbox", "session", 401, "unauthenticated"),
    ("hub-v1:get_inbox", "GET", "inbox", SKHCN, 200, "+pid"),
    ("hub-v1:get_inbox", "GET", "inbox", XA, 200, "-pid"),
    ("hub-v1:get_inbox", "GET", "inbox", SNV, 200, "-pid"),
    ("hub-v1:get_inbox_content", "GET", "inbox/content", None, 401, "unauthenticated"),
    ("hub-v1:get_inbox_content", "GET", "inbox/content", SKHCN, 200, "+pid"),
    ("hub-v1:get_inbox_content", "GET", "inbox/content", XA, 200, "-pid"),
    ("hub-v1:get_package", "GET", "packages/{pid}", None, 401, "unauthenticated"),
    ("hub-v1:get_package", "GET", "packages/{pid}", "session", 401, "unauthenticated"),
    ("hub-v1:get_package", "GET", "packages/{pid}", SKHCN, 200, None),
    ("hub-v1:get_package", "GET", "packages/{pid}", XA, 404, NOT_FOUND),
    ("hub-v1:get_timeline", "GET", "packages/{pid}/timeline", None, 401, "unauthenticated"),
    ("hub-v1:get_timeline", "GET", "packages/{pid}/timeline", SNV, 200, None),
    ("hub-v1:get_timeline", "GET", "packages/{pid}/timeline", SKHCN, 404, NOT_FOUND),
    ("hub-v1:get_timeline", "GET", "packages/{pid}/timeline", XA, 404, NOT_FOUND),
    ("hub-v1:post_ack", "POST", "packages/{pid}/ack", None, 401, "unauthenticated"),
    ("hub-v1:post_ack", "POST", "packages/{pid}/ack", "session", 401, "unauthenticated"),
    ("hub-v1:post_ack", "POST", "packages/{pid}/ack", SNV, 404, NOT_FOUND),
    ("hub-v1:post_ack", "POST", "packages/{pid}/ack", XA, 404, NOT_FOUND),
    ("hub-v1:post_secret_report", "POST", "packages/{pid}/secret-report", None, 401, "unauthenticated"),
    ("hub-v1:post_secret_report", "POST", "packages/{pid}/secret-report", XA, 404, NOT_FOUND),
    ("hub-v1:post_refusal", "POST", "packages/{pid}/refusal", None, 401, "unauthenticated"),
    ("hub-v1:post_refusal", "POST", "packages/{pid}/refusal", SNV, 404, NOT_FOUND),
    ("hub-v1:post_refusal", "POST", "packages/{pid}/refusal", XA, 404, NOT_FOUND),
    ("hub-v1:post_acks", "POST", "acks", None, 401, "unauthenticated"),
    ("hub-v1:post_acks", "POST", "acks", XA, 200, "-acked"),
    ("hub-v1:post_package", "POST", "packages", None, 401, "unauthenticated"),
    ("hub-v1:post_package", "POST", "packages", XA, 403, "sender_not_caller"),
    ("hub-v1:post_status", "POST", "status", None, 401, "unauthenticated"),
    ("hub-v1:post_status", "POST", "status", XA, 403, "sender_not_caller"),
]


def _hub_body(world: World, name: str) -> tuple[bytes, str]:
    from testkit import hub as testing

    if name == "hub-v1:post_acks":
        return json.dumps({"ids": [world.package_id]}).encode(), "application/json"
    if name == "hub-v1:post_secret_report":
        return json.dumps({"level": "mat"}).encode(), "application/json"
    if name == "hub-v1:post_refusal":
        return json.dumps(
            {"code": "attachment_refused", "reason": "Tệp PDF giải nén quá lớn"}
        ).encode(), "application/json"
    if name == "hub-v1:post_package":  # Sở Nội vụ's package, sent with another agency's token
        return testing.signed(testing.envelope(SNV, [SKHCN], 2), world.pki["snv"]), "application/xml"
    if name == "hub-v1:post_status":  # Sở KH&CN's status, sent with another agency's token
        document = testing.envelope(SNV, [SKHCN], 1).document_id
        return testing.signed(testing.status(SKHCN, SNV, document, "03"), world.pki["skhcn"]), "application/xml"
    return b"", "application/xml"


def _hub_snapshot() -> tuple:
    from vanban.exchange.models import Delivery, DeliveryEvent

    return (
        tuple(Delivery.objects.order_by("pk").values_list("pk", "state")),
        tuple(DeliveryEvent.objects.order_by("pk").values_list("pk", "event")),
    )


def test_the_hub_api_answers_each_caller_as_the_table_says(world):
    hub_agency = {n for n in url_names() if (r := access.rule_for(n)) and r.who == HUB_AGENCY}
    assert {c[0] for c in HUB_CASES if c[3] is None and c[4] == 401} == hub_agency  # each refuses a stranger
    wrong = [f"{c[0]} as {c[3] or 'anonymous'}: {problem}" for c in HUB_CASES if (problem := _hub_case(world, *c))]
    assert not wrong, "\n".join(wrong)


def _hub_case(world: World, name, method, where, caller, status, code) -> str:
    """What differs from the case's expected answer ("" when nothing)."""
    assert access.rule_for(name).who in (HUB_AGENCY, ANYONE)
    client = world.clients["lan"] if caller == "session" else Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[caller]}"} if caller in world.tokens else {}
    url = "/hub/v1/" + where.format(pid=world.package_id)
    before = _hub_snapshot()
    if method == "GET":
        got = client.get(url, **headers)
    else:
        body, content_type = _hub_body(world, name)
        got = client.post(url, data=body, content_type=content_type, **headers)
    if got.status_code != status:
        return f"{got.status_code}, expected {status}: {got.content[:200]!r}"
    text = got.content.decode(errors="replace")
    if code in ("+pid", "-pid") and (world.package_id in text) != (code == "+pid"):
        return f"the package {'missing' if code == '+pid' else 'listed'}"
    if code == "-acked" and got.json()["acked"] != []:
        return "acked another agency's package"
    if code and code[0] not in "+-" and got.json().get("code") != code:
        return f"code {got.json().get('code')}, expected {code}"
    if method == "POST" and _hub_snapshot() != before:
        return "a refused POST changed a delivery"
    return ""


def test_vdxp_refuses_a_caller_without_signed_headers(world):
    from vanban.vdxp import OPERATIONS
    from vanban.vdxp import operations as ops

    assert access.rule_for("vdxp-operation").who == VDXP_SYSTEM
    for who in (WHO[0], WHO[3]):  # anonymous, a leader's browser session
        got = world.client(who).generic(OPERATIONS[ops.GET_AGENCIES_LIST].method, f"/vdxp/{ops.GET_AGENCIES_LIST}")
        body = got.json()
        assert got.status_code == 200 and body["status"] == "FAIL" and body["ErrorCode"].startswith("1"), body


def test_static_files_are_served_to_anyone(world):
    assert access.STATIC.who == ANYONE
    got = world.client(WHO[0]).get("/static/web/vanban.css")
    assert got.status_code == 200
