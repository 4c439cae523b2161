"""Shared test setup: personas across agencies (with an outsider), database markers, and
the CI rule that a skipped test is a failure.

- Tests that touch the database get the ``uses_db`` marker automatically; the PostgreSQL
  run (``DATABASE_URL=postgresql://...``) selects them with ``-m "uses_db or postgres"``
  (scripts/test leaves the ``browser`` tests to the SQLite run).
- With ``VANBAN_STRICT_SKIPS=1`` (set by .ci/run) any skipped test fails the run, so a
  missing PostgreSQL, Chromium, SoftHSM2 or interop folder cannot pass CI unnoticed.
- Tests that read the real interop samples take the ``interop`` fixture: the folder named by
  ``VANBAN_INTEROP_DIR`` (default ``../shared/interop`` beside the repository). When it is
  absent they skip saying so; collection never needs it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INTEROP_VARIABLE = "VANBAN_INTEROP_DIR"

DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "live_server",
    "client",
    "admin_client",
    "django_user_model",
    "personas",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.uses_db)


XDIST_GROUPS: dict[str, str] = {
    # tests/faults share one cluster of processes (a session fixture), started once
    "tests/faults/test_kills.py": "faults-cluster",
    "tests/faults/test_hub_outage.py": "faults-cluster",
    "tests/faults/test_database_cut.py": "faults-cluster",
    # the session fixtures OCR every page kind, which a second worker would do again
    "tests/digitize/test_ocr.py": "ocr-pages",
    "tests/digitize/test_fields.py": "ocr-documents",
}
"""Test files whose tests run on one xdist worker, by group (``--dist loadgroup``, as
scripts/test runs). A group is sent to a worker before the single tests, so it must hold no
test on a transactional database (``django_db(transaction=True)``): the flush after one
would empty the seeded rows of the tests that follow it there (pytest-django runs those
last, an order the scheduler does not keep for a group). A table here rather than ``xdist_group`` marks: with pytest 9,
pytest-xdist 3.8 no longer sees those marks (it renames ``item._nodeid``, which pytest 9
does not read), so the groups are given to its scheduler directly."""


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ByTable(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return XDIST_GROUPS.get(nodeid.split("::", 1)[0]) or super()._split_scope(nodeid)

    return ByTable(config, log)


CALL_FAILED = pytest.StashKey[bool]()
"""Set on an item once its call phase is reported: fixtures read it at teardown."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    if os.environ.get("VANBAN_STRICT_SKIPS") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in strict mode (VANBAN_STRICT_SKIPS=1): {reason}"


def interop_dir() -> Path:
    """The folder of real interop samples (edxml-samples/, vdxp-samples/): $VANBAN_INTEROP_DIR,
    default ../shared/interop; a relative path is taken from the repository root."""
    value = os.environ.get(INTEROP_VARIABLE, "").strip() or "../shared/interop"
    return (REPO / Path(value).expanduser()).resolve()


def interop_missing() -> str | None:
    """Why the interop samples cannot be read (the skip reason), or None when they can."""
    folder = interop_dir()
    if folder.is_dir():
        return None
    return (
        f"interop samples not found: no folder {folder} "
        f"(set {INTEROP_VARIABLE} to the folder holding edxml-samples/ and vdxp-samples/; "
        "default ../shared/interop beside the repository)"
    )


@pytest.fixture(scope="session")
def interop() -> Path:
    """The interop samples folder; the test skips, saying which folder and variable, when it is absent."""
    reason = interop_missing()
    if reason:
        pytest.skip(reason)
    return interop_dir()


def _interop_samples(folder: Path) -> list[Path]:
    return sorted(
        list(folder.glob("edxml-samples/**/*.edxml"))
        + list(folder.glob("vdxp-samples/**/*.edxml"))
        + list(folder.glob("vdxp-samples/**/*.xml"))
    )


@pytest.fixture(scope="session")
def interop_sample_paths(interop) -> list[Path]:
    """Every edXML package of the interop folder, in a stable order (the ``interop_sample`` values)."""
    return _interop_samples(interop)


def pytest_generate_tests(metafunc):
    """``interop_sample``: one test per real sample, or one skipped test saying why there is none."""
    if "interop_sample" not in metafunc.fixturenames:
        return
    reason = interop_missing()
    if reason:
        metafunc.parametrize("interop_sample", [pytest.param(None, marks=pytest.mark.skip(reason=reason))], ids=["-"])
        return
    folder = interop_dir()
    samples = _interop_samples(folder)
    metafunc.parametrize("interop_sample", samples, ids=[p.relative_to(folder).as_posix() for p in samples])


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Personas log in for real, but hashing 1M PBKDF2 rounds per user is not the test."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_tmp(request, tmp_path_factory):
    """Stored files and mail of database tests go to a temporary folder, not ./var."""
    if not request.node.get_closest_marker("uses_db"):
        yield
        return
    settings = request.getfixturevalue("settings")
    files = tmp_path_factory.mktemp("files")
    settings.FILES_DIR = files
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(files)}},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield


@dataclass
class Personas:
    """Named people in several agencies, and an outsider who must see nothing."""

    province: object  # UBND tỉnh
    so_noi_vu: object
    so_khcn: object
    xa: object
    lan: object  # văn thư, Sở Nội vụ
    minh: object  # lãnh đạo, Sở Nội vụ
    tuan: object  # chuyên viên, Sở Nội vụ
    hoa: object  # chuyên viên, Sở KH&CN
    son: object  # quản trị cơ quan, Sở KH&CN
    khoa: object  # quản trị tỉnh
    outsider: object  # a signed-in user bound to no agency of ours


PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


def make_personas() -> Personas:
    """The personas' agencies, units and people (for fixtures of a wider scope than ``personas``)."""
    from django.contrib.auth import get_user_model

    from vanban.directory import services
    from vanban.directory.models import Level

    tinh = Level.objects.get(code="tinh")
    xa = Level.objects.get(code="xa")
    province = services.create_agency(
        None, code="000.00.00.H99", name="Ủy ban nhân dân tỉnh Thử Nghiệm", short_name="UBND", level=tinh
    )
    snv = services.create_agency(
        None, code="000.00.02.H99", name="Sở Nội vụ", short_name="SNV", level=tinh, parent=province
    )
    skhcn = services.create_agency(
        None, code="000.00.03.H99", name="Sở Khoa học và Công nghệ", short_name="SKHCN", level=tinh, parent=province
    )
    commune = services.create_agency(
        None, code="000.00.20.H99", name="Ủy ban nhân dân xã Đông Hòa", short_name="UBND", level=xa, parent=province
    )
    vp = services.create_unit(None, snv, name="Văn phòng Sở", suffix="VP")
    ccvc = services.create_unit(None, snv, name="Phòng Công chức, viên chức", suffix="CCVC")
    cds = services.create_unit(None, skhcn, name="Phòng Chuyển đổi số", suffix="CĐS")

    def person(username, name, agency, unit, position, role):
        return services.create_person(
            None,
            username=username,
            password=PASSWORD,
            full_name=name,
            agency=agency,
            unit=unit,
            position=position,
            roles=[role],
        )

    outsider = get_user_model().objects.create_user("ke.la", password=PASSWORD)
    return Personas(
        province=province,
        so_noi_vu=snv,
        so_khcn=skhcn,
        xa=commune,
        lan=person("lan", "Nguyễn Thị Lan", snv, vp, "Văn thư", "van-thu"),
        minh=person("minh", "Trần Quang Minh", snv, ccvc, "Giám đốc", "lanh-dao"),
        tuan=person("tuan", "Vũ Anh Tuấn", snv, ccvc, "Chuyên viên", "chuyen-vien"),
        hoa=person("hoa", "Lê Thị Hoa", skhcn, cds, "Chuyên viên", "chuyen-vien"),
        son=person("son", "Phạm Văn Sơn", skhcn, cds, "Quản trị hệ thống", "quan-tri-co-quan"),
        khoa=person("khoa", "Đỗ Minh Khoa", province, None, "Quản trị tỉnh", "quan-tri-tinh"),
        outsider=outsider,
    )


# -- registry: a test PKI once per session and an office ready for documents --


@dataclass
class Keys:
    root_pem: Path
    files: dict  # name -> (p12 path, cert pem)


@pytest.fixture(scope="session")
def registry_pki(tmp_path_factory) -> Keys:
    from vanban.signing import TestPKI

    d = tmp_path_factory.mktemp("registry-pki")
    pki = TestPKI.create(d)
    files = {}
    for name, issue in {
        "snv": lambda: pki.issue_agency("000.00.02.H99", "Sở Nội vụ"),
        "skhcn": lambda: pki.issue_agency("000.00.03.H99", "Sở Khoa học và Công nghệ"),
        "minh": lambda: pki.issue_person("Trần Quang Minh", "000.00.02.H99", "Sở Nội vụ", "Giám đốc", "ec-p256"),
        "tuan": lambda: pki.issue_person("Vũ Anh Tuấn", "000.00.02.H99", "Sở Nội vụ", "Chuyên viên", "ec-p256"),
        "hoa": lambda: pki.issue_person("Lê Thị Hoa", "000.00.03.H99", "Sở Khoa học và Công nghệ", "", "ec-p256"),
    }.items():
        issued = issue()
        files[name] = (issued.write_pkcs12(d / f"{name}.p12"), issued.cert_pem().decode())
    return Keys(d / "root.pem", files)


@pytest.fixture
def office(personas, registry_pki, settings):
    """Sở Nội vụ ready for documents: registers, key files and images for its leader,
    officer and the agency itself."""
    from vanban.registry.setup import ensure_registers, register_key_file
    from vanban.signing import make_seal_image, make_signature_image

    settings.VANBAN_TRUST_ROOTS = str(registry_pki.root_pem)
    for agency in (personas.so_noi_vu, personas.so_khcn):
        ensure_registers(agency)
    p12, pem = registry_pki.files["snv"]
    register_key_file(personas.so_noi_vu, p12, pem, make_seal_image("Sở Nội vụ"))
    for key in ("minh", "tuan"):
        p12, pem = registry_pki.files[key]
        person = getattr(personas, key)
        register_key_file(person, p12, pem, make_signature_image(person.full_name))
    return personas


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    from vanban.signing import make_sample_pdf

    return make_sample_pdf(
        title="CÔNG VĂN",
        agency_name="SỞ NỘI VỤ",
        number="Số:      /SNV-CCVC",
        position="GIÁM ĐỐC",
        signer_name="Trần Quang Minh",
    ).pdf


@pytest.fixture
def nodes(tmp_path, request):
    """Make real installations (``testing.Node``: own database, files, processes), closed
    (processes stopped, PostgreSQL databases dropped) at the end of the test. When the test
    failed, the end of what each node's server and worker printed is shown with it."""
    from testkit import hub as testing

    made: list = []

    def make(name, role, env=None):
        node = testing.Node(name, tmp_path, role, env=env)
        made.append(node)
        return node

    yield make
    if request.node.stash.get(CALL_FAILED, False):
        print("\n".join(node.tail() for node in made))  # captured: pytest shows it with the failure
    for node in made:
        node.close()
