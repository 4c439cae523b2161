"""Fixity on the local store: a file whose bytes changed on disk, or that is gone, is found,
audited on its agency's chain and mailed to that agency's administrator; an intact store
reports nothing; a big store is checked in batches that resume where the last one stopped."""

from __future__ import annotations

import pytest
from django.core import mail

from vanban.audit.actions import AuditAction
from vanban.audit.models import AuditEvent
from vanban.cli import main
from vanban.directory import services as directory
from vanban.directory.models import DocumentType
from vanban.fixity.models import FixityState
from vanban.fixity.services import check_all, check_batch
from vanban.fixity.tasks import check_fixity
from vanban.periodic import collect_jobs
from vanban.registry import services
from vanban.registry.files import store as store_file
from vanban.registry.services import DraftData
from vanban.storage import LocalStore, store

SNV_ADMIN = "quantri@snv.thunghiem.gov.vn"
PROVINCE_ADMIN = "khoa@thunghiem.gov.vn"
OTHER_AGENCY_ADMIN = "son@skhcn.thunghiem.gov.vn"


@pytest.fixture
def admins(personas):
    directory.create_person(
        None,
        username="an",
        password=None,
        full_name="Hồ Văn An",
        agency=personas.so_noi_vu,
        position="Quản trị hệ thống",
        roles=["quan-tri-co-quan"],
        email=SNV_ADMIN,
    )
    personas.khoa.user.email = PROVINCE_ADMIN
    personas.khoa.user.save()
    personas.son.user.email = OTHER_AGENCY_ADMIN  # Sở KH&CN's administrator: none of their files
    personas.son.user.save()
    return personas


def _draft(personas, pdf: bytes):
    return services.create_draft(
        personas.tuan.user,
        DraftData(
            subject="V/v rà soát kho lưu trữ điện tử năm 2026",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=personas.minh,
            main_file=pdf,
            main_file_name="ra-soat-kho.pdf",
            competence="",
            recipients=[],
        ),
    )


def _file_of(document) -> str:
    return document.current_version.file.sha256


def _local() -> LocalStore:
    local = store("files")
    assert isinstance(local, LocalStore)
    return local


def _fixity_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.FILE_FIXITY_FAILED).order_by("seq"))


def test_an_intact_store_reports_nothing(admins, sample_pdf):
    _draft(admins, sample_pdf)
    report = check_all()
    assert report.checked >= 1 and report.findings == [] and report.pass_finished
    assert _fixity_events() == []
    assert mail.outbox == []


def test_a_file_changed_on_disk_is_audited_and_mailed_to_its_agency_administrator(admins, sample_pdf):
    sha = _file_of(_draft(admins, sample_pdf))
    path = _local().path(sha)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))

    report = check_all()

    assert [(f.kind, f.sha256, f.agencies) for f in report.findings] == [("corrupt", sha, ["000.00.02.H99"])]
    [event] = _fixity_events()
    assert event.chain == "agency:000.00.02.H99"
    assert event.after["kind"] == "corrupt" and event.after["sha256"] == sha
    [message] = mail.outbox
    assert message.to == [SNV_ADMIN]
    assert "bị hỏng hoặc bị mất" in message.subject
    assert sha in message.body and "tệp bị hỏng" in message.body.lower()


def test_a_missing_file_is_audited_and_mailed(admins, sample_pdf):
    sha = _file_of(_draft(admins, sample_pdf))
    _local().path(sha).unlink()

    report = check_all()

    assert [(f.kind, f.sha256) for f in report.findings] == [("missing", sha)]
    assert [e.after["kind"] for e in _fixity_events()] == ["missing"]
    [message] = mail.outbox
    assert message.to == [SNV_ADMIN] and "bị mất" in message.body


def test_a_file_of_no_agency_goes_to_the_provincial_administrators(admins):
    row = store_file(b"%PDF-1.7 tep khong thuoc van ban nao", "mo-coi.pdf", "application/pdf")
    _local().path(row.sha256).write_bytes(b"hong")

    report = check_all()

    assert [(f.kind, f.agencies, f.label) for f in report.findings] == [("corrupt", [], "mo-coi.pdf")]
    [message] = mail.outbox
    assert message.to == [PROVINCE_ADMIN]


def test_batches_resume_where_the_last_one_stopped(admins):
    rows = [store_file(f"tệp số {i}".encode(), f"tep-{i}.txt", "text/plain") for i in range(5)]
    for victim in (rows[2], rows[4]):
        _local().path(victim.sha256).write_bytes(b"x")

    first, second, third = check_batch(2), check_batch(2), check_batch(2)

    assert (first.checked, first.findings, first.pass_finished) == (2, [], False)
    assert [f.sha256 for f in second.findings] == [rows[2].sha256] and not second.pass_finished
    assert [f.sha256 for f in third.findings] == [rows[4].sha256] and third.pass_finished
    state = FixityState.objects.get()
    assert (state.ref_index, state.last_pk) == (0, 0)  # the next run starts a new pass
    assert (state.last_pass_checked, state.last_pass_problems) == (5, 2)
    assert state.last_pass_finished_at is not None
    again = check_batch(2)
    assert again.checked == 2 and again.findings == []  # rows 0 and 1 again


def test_the_command_prints_the_result_in_vietnamese(admins, capsys):
    good = store_file(b"nguyen ven", "nguyen-ven.txt", "text/plain")
    bad = store_file(b"se bi sua", "bi-sua.txt", "text/plain")
    _local().path(bad.sha256).write_bytes(b"da bi sua")

    assert main(["storage", "fixity", "--all"]) == 1

    out = capsys.readouterr().out
    assert "Đã kiểm tra 2 tệp: 1 tệp có vấn đề." in out
    assert f"files/{bad.sha256[:2]}/{bad.sha256[2:4]}/{bad.sha256}" in out
    assert good.sha256 not in out
    assert "Đã kiểm tra hết kho tệp" in out


def test_the_command_reports_an_intact_store_with_status_0_and_json(admins, capsys):
    store_file(b"nguyen ven", "nguyen-ven.txt", "text/plain")
    assert main(["storage", "fixity", "--all", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"checked": 1' in out and '"findings": []' in out


def test_the_worker_runs_it_periodically_with_the_configured_period():
    jobs = {j.path: j.every for j in collect_jobs()}
    assert jobs["vanban.fixity.tasks.check_fixity"] == 86400.0


def test_the_periodic_task_checks_a_batch_and_counts_the_problems(admins, sample_pdf):
    sha = _file_of(_draft(admins, sample_pdf))
    _local().path(sha).write_bytes(b"hong")
    assert check_fixity.call() == 1
    assert [m.to for m in mail.outbox] == [[SNV_ADMIN]]


def test_a_run_while_another_holds_the_walk_checks_nothing(admins, capsys):
    from datetime import timedelta

    from django.utils import timezone

    store_file(b"nguyen ven", "nguyen-ven.txt", "text/plain")
    check_batch(1)  # the state row exists, the walk has moved on
    FixityState.objects.update(lease_until=timezone.now() + timedelta(minutes=30))
    before = FixityState.objects.values("ref_index", "last_pk").get()

    assert check_batch().busy
    assert main(["storage", "fixity"]) == 3
    assert "Một lần kiểm tra khác đang chạy" in capsys.readouterr().out
    assert FixityState.objects.values("ref_index", "last_pk").get() == before
