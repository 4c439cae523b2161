"""The scanner's consume folder of an agency: files fully written are taken (and leave the
folder), one still being written is left alone, bad ones fail with the reason beside them."""

from __future__ import annotations

import pytest

from tests.scanning.conftest import drop, run_worker
from vanban import storage
from vanban.scanning.consume import sweep
from vanban.scanning.models import ScanJob
from vanban.scanning.tasks import watch_consume_folders

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_finished_file_becomes_a_job_and_leaves_the_folder(consume_dir, personas, cong_van_scan):
    folder = consume_dir / personas.so_noi_vu.code
    drop(folder, "may-quet-0001.jpg", cong_van_scan)
    assert watch_consume_folders.call() == 1
    job = ScanJob.objects.get()
    assert job.agency == personas.so_noi_vu and job.source == "thu-muc" and job.state == "cho-xu-ly"
    assert job.uploaded_by is None and storage.get_bytes(job.original_sha256) == cong_van_scan
    assert not (folder / "may-quet-0001.jpg").exists()
    (kept,) = (folder / "da-nhan").iterdir()
    assert kept.name.endswith("may-quet-0001.jpg") and kept.read_bytes() == cong_van_scan
    assert sweep() == []  # taken once


def test_a_file_still_being_written_is_left_alone(consume_dir, personas, cong_van_scan):
    folder = consume_dir / personas.so_noi_vu.code
    drop(folder, "dang-quet.jpg", cong_van_scan[: len(cong_van_scan) // 2], age=0)
    drop(folder, ".an.jpg", cong_van_scan)
    drop(folder, "tam.jpg.part", cong_van_scan)
    assert sweep() == []
    assert (folder / "dang-quet.jpg").exists() and not ScanJob.objects.exists()


def test_a_bad_file_fails_and_goes_to_the_error_folder_with_the_reason(consume_dir, personas):
    folder = consume_dir / personas.so_noi_vu.code
    drop(folder, "hong.pdf", b"%PDF-1.7\nkhong phai pdf that")
    (job,) = sweep()
    run_worker()
    job.refresh_from_db()
    assert job.state == "loi" and job.error_vi
    (moved,) = [p for p in (folder / "loi").iterdir() if p.name.endswith("hong.pdf")]
    assert moved.read_bytes() == b"%PDF-1.7\nkhong phai pdf that"  # nothing lost
    reason = moved.with_name(moved.name + ".ly-do.txt").read_text(encoding="utf-8")
    assert job.error_vi in reason and "Lý do không số hóa được" in reason
    assert not list((folder / "da-nhan").iterdir())


def test_an_empty_file_fails_at_once(consume_dir, personas):
    folder = consume_dir / personas.so_noi_vu.code
    drop(folder, "rong.tif", b"")
    (job,) = sweep()
    assert job.state == "loi" and job.error_code == "empty_file"
    assert (folder / "loi").is_dir() and any(p.name.endswith("rong.tif.ly-do.txt") for p in (folder / "loi").iterdir())


def test_a_folder_named_after_no_agency_is_left_alone(consume_dir, cong_van_scan):
    stray = consume_dir / "000.00.99.Z99"
    stray.mkdir()
    drop(stray, "la.jpg", cong_van_scan)
    assert sweep() == [] and (stray / "la.jpg").exists()


def test_the_folders_are_made_for_agencies_with_a_clerk(tmp_path, settings, personas):
    from vanban.scanning.consume import prepare_folders

    settings.VANBAN_CONSUME_DIR = str(tmp_path / "consume")
    assert [p.name for p in prepare_folders()] == [personas.so_noi_vu.code]  # Lan, văn thư of Sở Nội vụ
    assert (tmp_path / "consume" / personas.so_noi_vu.code).is_dir()
