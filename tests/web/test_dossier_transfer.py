"""The transfer page over HTTP: the clerk ticks closed dossiers in the list, sees each one's
blockers or "Sẵn sàng nộp lưu", and gets the package as a ZIP that verifies; a blocked
selection gives no package."""

import io
import zipfile

import pytest

from tests.records.conftest import archival_pdf, archive, issue, paper  # noqa: F401 (fixtures)
from vanban import records
from vanban.archivepkg import verify_package

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def clerk(client, archive):  # noqa: F811
    assert client.login(username="lan", password=PASSWORD)
    return client


@pytest.fixture
def ready(archive, archival_pdf):  # noqa: F811
    records.file_document(archive.tuan.user, archive.personnel, issue(archive, archival_pdf, "Quyết định tuyển dụng"))
    return records.close_dossier(archive.tuan.user, archive.personnel)


@pytest.fixture
def blocked(archive, sample_pdf):  # noqa: F811
    records.file_document(archive.lan.user, archive.digital, paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số"))
    return records.close_dossier(archive.lan.user, archive.digital)


def test_the_list_lets_the_clerk_select_closed_dossiers(clerk, ready, archive):  # noqa: F811
    text = clerk.get("/ho-so/").content.decode()
    assert f'name="ho_so" value="{ready.pk}" form="transfer"' in text
    assert "Kiểm tra và nộp lưu các hồ sơ đã chọn" in text


def test_the_page_shows_each_dossiers_blockers_or_that_it_is_ready(clerk, ready, blocked):
    page = clerk.get(f"/ho-so/nop-luu/?ho_so={ready.pk}&ho_so={blocked.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sẵn sàng nộp lưu" in text
    assert "Văn bản 12/STC-NS – Hướng dẫn chuyển đổi số: chưa được ký số." in text
    assert 'id="build-package"' not in text


def test_the_clerk_builds_the_package_and_gets_a_zip(clerk, ready, settings):
    page = clerk.get(f"/ho-so/nop-luu/?ho_so={ready.pk}")
    assert 'id="build-package"' in page.content.decode()
    got = clerk.post("/ho-so/nop-luu/", {"ho_so": [ready.pk]})
    assert got.status_code == 200 and got["Content-Type"] == "application/zip"
    assert got["Content-Disposition"].startswith("attachment;")
    data = b"".join(got.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert verify_package(io.BytesIO(data), trust_roots=settings.VANBAN_TRUST_ROOTS).ok
    ready.refresh_from_db()
    assert ready.state == "da-nop-luu"


def test_a_blocked_selection_gives_no_package_and_says_why(clerk, blocked):
    got = clerk.post("/ho-so/nop-luu/", {"ho_so": [blocked.pk]}, follow=True)
    text = got.content.decode()
    assert got["Content-Type"].startswith("text/html") and "chưa được ký số" in text
    blocked.refresh_from_db()
    assert blocked.state == "da-dong"
