"""The document beside its actions: a document's page shows its PDF in a frame, and the
files it frames (and the two of the version comparison) may be framed by our own pages
only, shown in the browser rather than downloaded."""

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData, incoming
from vanban.signing import make_sample_pdf

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def draft(office, sample_pdf):
    doc = services.create_draft(
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
    services.add_version(office.tuan.user, doc, make_sample_pdf().pdf, "du-thao-2.pdf", "Sửa trích yếu")
    return doc


def frame_sources(page: str) -> list[str]:
    out, at = [], 0
    while (at := page.find("<iframe", at)) != -1:
        start = page.index('src="', at) + 5
        out.append(page[start : page.index('"', start)])
        at = start
    return out


def assert_framable_pdf(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Disposition"].startswith("inline")


def test_a_drafts_page_shows_its_latest_version_beside_the_actions(client, office, draft):
    page = login(client, "tuan").get(reverse("web:outgoing", args=[draft.pk])).content.decode()
    latest = draft.versions.order_by("-number").first()
    assert 'id="pdf-viewer"' in page
    assert frame_sources(page) == [reverse("web:outgoing_file", args=[draft.pk, latest.file.sha256])]
    assert_framable_pdf(client, frame_sources(page)[0])


def test_the_version_comparison_frames_show_both_versions(client, office, draft):
    page = login(client, "minh").get(reverse("web:outgoing_compare", args=[draft.pk])).content.decode()
    sources = frame_sources(page)
    assert len(sources) == 2 and sources[0] != sources[1]
    for url in sources:
        assert_framable_pdf(client, url)


def test_an_incoming_documents_page_shows_its_pdf(client, office, sample_pdf):
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Công ty Cổ phần Than Hà Lầm", subject="V/v hỗ trợ", data=sample_pdf, name="q.pdf"
    )
    page = login(client, "lan").get(reverse("web:incoming", args=[doc.pk])).content.decode()
    assert frame_sources(page) == [reverse("web:incoming_file", args=[doc.pk])]
    assert_framable_pdf(client, frame_sources(page)[0])


def test_the_framed_file_is_still_refused_to_another_agency(client, office, draft):
    url = reverse("web:outgoing_file", args=[draft.pk, draft.versions.first().file.sha256])
    assert login(client, "hoa").get(url).status_code == 404


def test_a_page_without_a_file_has_no_viewer(client, office):
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Bưu điện tỉnh", subject="Thư không kèm tệp", data=b"", name=""
    )
    page = login(client, "lan").get(reverse("web:incoming", args=[doc.pk])).content.decode()
    assert 'id="pdf-viewer"' not in page
