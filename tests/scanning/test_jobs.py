"""A scan job from the upload page to the PDF/A, through the real task backend (the
database worker): kept files, progress, fields, refusals, secrecy."""

from __future__ import annotations

import hashlib
import io
import threading

import pytest
from pikepdf import Pdf

from tests.scanning.conftest import doc_of, pages_tiff, run_worker
from vanban import storage
from vanban.audit.models import AuditEvent
from vanban.scanning.models import ScanJob

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_upload_waits_in_the_task_queue_until_the_worker_runs(office, upload, cong_van_scan):
    from django_tasks_db.models import DBTaskResult

    (job,) = upload(("cong-van.jpg", cong_van_scan))
    assert job.state == "cho-xu-ly" and job.uploaded_by == office.lan and job.source == "tai-len"
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "vanban.scanning.tasks.digitize_scan" and waiting.args_kwargs["args"] == [job.pk]
    assert waiting.queue_name == "so-hoa"  # its own queue: OCR never holds the hub's work


def test_the_worker_makes_a_pdfa_kept_beside_the_original(digitized, cong_van_scan):
    job = digitized("cong-van.jpg", cong_van_scan)
    assert job.state == "xong", job.error_vi
    assert storage.get_bytes(job.original_sha256) == cong_van_scan
    pdf = storage.get_bytes(job.pdf_sha256)
    with Pdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        assert doc.open_metadata().pdfa_status.startswith("2")
    assert job.pdfa_ok and job.ocr_done and job.page_count == 1
    assert job.pages_done == job.pages_total == 1
    assert "số hóa văn bản đến" in job.text
    events = list(AuditEvent.objects.filter(object_type="scanning.scanjob").values_list("action", flat=True))
    assert events == ["scanning.job.submitted", "scanning.job.finished"]


def test_progress_is_saved_page_by_page(office, upload, client, cong_van):
    tiff = pages_tiff([cong_van, doc_of("quyet-dinh")])
    (job,) = upload(("hai-trang.tif", tiff))
    seen: list[tuple[str, int, int]] = []

    def work() -> None:
        from django.db import connections

        try:
            run_worker()
        finally:
            connections.close_all()  # this thread's connection, so the test database can go

    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        row = ScanJob.objects.values_list("state", "pages_done", "pages_total").get(pk=job.pk)
        if not seen or seen[-1] != row:
            seen.append(row)
        worker.join(0.05)
    job.refresh_from_db()
    assert job.state == "xong" and job.page_count == 2, job.error_vi
    running = [r for r in seen if r[0] == "dang-so-hoa"]
    assert any(total == 2 for _, _, total in running), seen  # the total known while it ran
    done_counts = [done for _, done, _ in running]
    assert done_counts == sorted(done_counts)  # never backwards


def test_a_file_that_is_not_a_scan_fails_with_a_vietnamese_reason_and_is_kept(office, upload):
    (job,) = upload(("cong-van.pdf", b"Day khong phai tep PDF, chi la van ban thuong."))
    run_worker()
    job.refresh_from_db()
    assert job.state == "loi" and job.error_code and job.error_vi
    assert any(ch in job.error_vi for ch in "ệảđ")  # a Vietnamese sentence, not an exception
    assert storage.get_bytes(job.original_sha256).startswith(b"Day khong")  # nothing lost
    assert job.pdf_sha256 == ""


def test_an_empty_upload_is_refused_at_once(office, upload):
    (job,) = upload(("trong.pdf", b""))
    assert job.state == "loi" and job.error_code == "empty_file" and "trống" in job.error_vi


def test_a_secret_scan_keeps_no_file_and_no_text(digitized, secret_pdf):
    job = digitized("mat.pdf", secret_pdf)
    assert job.state == "xong" and job.secrecy == "MẬT"
    assert job.pdf_sha256 == "" and job.original_sha256 == "" and job.text == ""
    assert "chỉ được vào sổ và quản lý bản giấy" in job.message_vi
    assert not storage.exists(hashlib.sha256(secret_pdf).hexdigest())
