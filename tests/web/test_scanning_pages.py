"""Digitizing pages (số hóa) as each person sees them: only the agency's clerks, everything
of another agency a 404, anonymous visitors sent to log in; the list's tabs and counts, and
the table that refreshes itself while a job runs."""

import io

import pytest
from django.urls import reverse

from vanban.directory import services
from vanban.scanning.models import ScanJob

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
SCAN = b"\x89PNG\r\n\x1a\n" + b"\0" * 64  # stored as given; never run (no worker here)


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def _upload(client, *names):
    files = []
    for name in names:
        handle = io.BytesIO(SCAN + name.encode())
        handle.name = name
        files.append(handle)
    return client.post(reverse("web:scan_list"), {"files": files}, follow=True)


@pytest.fixture
def job(client, office):
    login(client, "lan")
    _upload(client, "ban-quet.png")
    return ScanJob.objects.get()


def _job_pages(job):
    return [
        reverse("web:scan", args=[job.pk]),
        reverse("web:scan_progress", args=[job.pk]),
        reverse("web:scan_file", args=[job.pk]),
        reverse("web:scan_original", args=[job.pk]),
    ]


def _all_pages(job):
    return [reverse("web:scan_list"), reverse("web:scan_table"), *_job_pages(job)]


def test_anonymous_visitors_are_sent_to_login(client, job):
    client.logout()
    for url in _all_pages(job):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    posts = [reverse("web:scan_register", args=[job.pk]), reverse("web:scan_attach", args=[job.pk])]
    for url in posts:
        assert client.post(url).status_code == 302, url


def test_an_officer_who_is_not_a_clerk_gets_404(client, job):
    login(client, "tuan")
    for url in _all_pages(job):
        assert client.get(url).status_code == 404, url


def test_another_agencys_clerk_gets_404_on_the_job(client, job, personas):
    services.create_person(
        None,
        username="thu",
        password=PASSWORD,
        full_name="Hoàng Thị Thu",
        agency=personas.so_khcn,
        unit=None,
        position="Văn thư",
        roles=["van-thu"],
    )
    login(client, "thu")
    for url in _job_pages(job):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("web:scan_register", args=[job.pk]), {"sender_name": "x", "subject": "y"}).status_code
        == 404
    )
    assert "ban-quet.png" not in client.get(reverse("web:scan_list")).content.decode()


def test_an_outsider_gets_404(client, job, personas):
    login(client, "ke.la")
    for url in _all_pages(job):
        assert client.get(url).status_code == 404, url


def test_several_scans_in_one_upload_each_become_a_job(client, office):
    login(client, "lan")
    page = _upload(client, "a.png", "b.tif", "c.pdf").content.decode()
    assert "Đã nhận 3 bản quét; hệ thống đang số hóa." in page
    assert sorted(ScanJob.objects.values_list("file_name", flat=True)) == ["a.png", "b.tif", "c.pdf"]
    assert set(ScanJob.objects.values_list("uploaded_by", flat=True)) == {office.lan.pk}


def test_the_list_counts_jobs_by_tab_and_polls_while_one_waits(client, job):
    page = client.get(reverse("web:scan_list")).content.decode()
    assert 'Đang chờ<span class="count">(1)</span>' in page and 'Lỗi<span class="count">(0)</span>' in page
    assert 'hx-trigger="every 2s"' in page and "ban-quet.png" in page
    ScanJob.objects.filter(pk=job.pk).update(state="loi", error_vi="Tệp hỏng.")
    table = client.get(reverse("web:scan_table")).content.decode()
    assert "hx-trigger" not in table and "Tệp hỏng." in table


def test_the_progress_fragment_reloads_the_page_when_the_job_ends(client, job):
    running = client.get(reverse("web:scan_progress", args=[job.pk]))
    assert "HX-Refresh" not in running and 'hx-trigger="every 2s"' in running.content.decode()
    ScanJob.objects.filter(pk=job.pk).update(state="loi")
    assert client.get(reverse("web:scan_progress", args=[job.pk]))["HX-Refresh"] == "true"


@pytest.fixture
def digitized_doc(office, sample_pdf):
    """An incoming paper document entered from a digitized scan (files already in the store)."""
    from testkit.registry import digitized_scan
    from vanban.registry.services.incoming import upload_paper

    scan = digitized_scan(sample_pdf, SCAN)
    return upload_paper(
        office.lan.user, sender_name="Sở Y tế", subject="V/v tiêm chủng", data=b"", name="", digitized=scan
    )


def test_the_digitized_files_of_a_document_are_for_those_who_see_it(client, personas, digitized_doc, sample_pdf):
    urls = [
        reverse("web:incoming_digitized", args=[digitized_doc.pk, "ban-so-hoa"]),
        reverse("web:incoming_digitized", args=[digitized_doc.pk, "ban-quet"]),
    ]
    login(client, "lan")
    assert [client.get(u).content for u in urls] == [sample_pdf, SCAN]
    assert "02 số hóa" in client.get(reverse("web:incoming", args=[digitized_doc.pk])).content.decode()
    for username in ("hoa", "ke.la"):  # another agency, an outsider
        login(client, username)
        assert [client.get(u).status_code for u in urls] == [404, 404]
        assert (
            client.post(reverse("web:incoming_action", args=[digitized_doc.pk, "ban-sao-dien-tu"])).status_code == 404
        )
