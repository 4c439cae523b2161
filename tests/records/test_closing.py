"""Closing a dossier when the work ends: its end date and retention set, then frozen —
every change refused with the reason, annotations still taken; each step a history row and
an audit event."""

import pytest

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.errors import DossierFrozen, DossierRefused

from .conftest import paper, retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(archive, sample_pdf):
    doc = paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số")
    records.file_document(archive.lan.user, archive.digital, doc)
    return records.close_dossier(archive.lan.user, archive.digital, retention_class=retention("20-nam"))


def test_closing_sets_the_end_date_and_the_retention_set_again(archive, closed):
    assert closed.state == "da-dong"
    assert closed.end_date == closed.start_date  # one document: its date
    assert (closed.retention_years, closed.maintenance) == (20, "05")
    event = AuditEvent.objects.filter(action="records.dossier.closed").get()
    assert (event.before["state"], event.after["state"], event.after["documents"]) == ("dang-mo", "da-dong", 1)


def test_an_empty_dossier_is_not_closed(archive):
    with pytest.raises(DossierRefused) as exc:
        records.close_dossier(archive.tuan.user, archive.personnel)
    assert exc.value.code == "empty_dossier"
    archive.personnel.refresh_from_db()
    assert archive.personnel.state == "dang-mo"


def test_a_closed_dossier_refuses_an_edit_with_the_reason(archive, closed):
    with pytest.raises(DossierFrozen) as exc:
        records.edit_dossier(archive.lan.user, closed, title="Tiêu đề mới")
    assert exc.value.code == "dossier_frozen"
    assert exc.value.message_vi.startswith("Hồ sơ “02.TH” đã đóng ngày ")
    assert exc.value.message_vi.endswith("không được sửa thông tin; chỉ được thêm ghi chú.")
    closed.refresh_from_db()
    assert closed.title == "Hồ sơ về chuyển đổi số của Sở"
    assert not AuditEvent.objects.filter(action="records.dossier.updated").exists()


def test_a_closed_dossier_takes_no_more_documents(archive, closed, sample_pdf):
    doc = paper(archive, sample_pdf, "Báo cáo chuyển đổi số quý IV")
    with pytest.raises(DossierFrozen) as exc:
        records.file_document(archive.lan.user, closed, doc)
    assert "không được đưa thêm văn bản" in exc.value.message_vi
    assert closed.items.count() == 1 and records.dossier_of(doc) is None


def test_a_closed_dossier_cannot_be_closed_again(archive, closed):
    with pytest.raises(DossierFrozen):
        records.close_dossier(archive.lan.user, closed)


def test_a_closed_dossier_takes_an_annotation(archive, closed):
    note = records.annotate(archive.minh.user, closed, "Đã rà soát, loại bỏ bản trùng.")
    assert (note.author, note.text) == (archive.minh, "Đã rà soát, loại bỏ bản trùng.")
    closed.refresh_from_db()
    assert closed.state == "da-dong"


def test_an_open_dossier_is_edited_and_the_change_audited(archive):
    records.edit_dossier(
        archive.lan.user, archive.digital, title="Hồ sơ chuyển đổi số", retention_class=retention("vinh-vien")
    )
    archive.digital.refresh_from_db()
    assert (archive.digital.title, archive.digital.maintenance, archive.digital.retention_label) == (
        "Hồ sơ chuyển đổi số",
        "01",
        "Vĩnh viễn",
    )
    event = AuditEvent.objects.filter(action="records.dossier.updated").get()
    assert event.after["before"]["title"] == "Hồ sơ về chuyển đổi số của Sở"


def test_the_steps_of_a_dossier_are_its_history_in_order(archive, closed):
    records.annotate(archive.lan.user, closed, "Ghi chú")
    assert [(h.action, h.old_state, h.new_state) for h in closed.history.all()] == [
        ("create", "", "dang-mo"),
        ("file", "dang-mo", "dang-mo"),
        ("close", "dang-mo", "da-dong"),
        ("annotate", "da-dong", "da-dong"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_id=str(closed.pk), action__startswith="records.dossier.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "records.dossier.created",
        "records.dossier.filed",
        "records.dossier.closed",
        "records.dossier.annotated",
    ]


def test_someone_of_another_agency_cannot_annotate(archive, closed):
    with pytest.raises(DossierRefused) as exc:
        records.annotate(archive.hoa.user, closed, "Không được")
    assert exc.value.code == "not_allowed"
    assert not closed.notes.exists()
