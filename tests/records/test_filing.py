"""Filing documents into dossiers: one dossier per document, the proposed dossier and its
reason, and work dossiers opened while handling a matter."""

import pytest

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.errors import DossierRefused, FilingRefused
from vanban.records.models import DossierStateChange

from .conftest import issue, paper, retention

pytestmark = pytest.mark.django_db


def test_an_issued_document_is_filed_as_the_dossiers_next_document(archive, sample_pdf):
    doc = issue(archive, sample_pdf, "Quyết định tuyển dụng công chức đợt 1")
    item = records.file_document(archive.tuan.user, archive.personnel, doc)
    assert (item.ordinal, item.document) == (1, doc)
    assert records.dossier_of(doc) == archive.personnel
    step = DossierStateChange.objects.filter(document=archive.personnel).last()
    assert (step.action, step.actor_name) == ("file", "Vũ Anh Tuấn")
    event = AuditEvent.objects.filter(action="records.dossier.filed").get()
    assert event.after["ordinal"] == 1 and event.after["document"] == f"di:{doc.pk}"


def test_a_document_goes_into_one_dossier_only(archive, sample_pdf):
    doc = paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số")
    records.file_document(archive.lan.user, archive.digital, doc)
    with pytest.raises(FilingRefused) as exc:
        records.file_document(archive.lan.user, archive.personnel, doc)
    assert exc.value.code == "already_filed"
    assert "đã được lập vào hồ sơ “02.TH – Hồ sơ về chuyển đổi số của Sở”" in exc.value.message_vi
    assert archive.personnel.items.count() == 0


def test_another_agencys_person_cannot_file_into_the_dossier(archive, sample_pdf):
    doc = paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số")
    with pytest.raises(DossierRefused) as exc:
        records.file_document(archive.hoa.user, archive.digital, doc)
    assert "Bạn không được “lập hồ sơ" in exc.value.message_vi
    assert archive.digital.items.count() == 0


def test_the_system_proposes_a_dossier_from_type_unit_and_subject_with_the_reason(archive, sample_pdf):
    doc = issue(archive, sample_pdf, "Quyết định tuyển dụng công chức năm nay", type_code="quyet-dinh")
    best, *rest = records.propose_dossiers(doc)
    assert best.dossier == archive.personnel
    assert best.reason == (
        "hồ sơ thường gồm văn bản loại “Quyết định (cá biệt)”; cùng đơn vị “Phòng Công chức, viên chức”; "
        "trích yếu trùng từ với tiêu đề hồ sơ: “tuyển”, “dụng”, “chức”"
    )
    assert best.score == 3 + 2 + 3
    assert all(p.score < best.score for p in rest)


def test_a_document_with_nothing_in_common_gets_no_proposal(archive, sample_pdf):
    doc = paper(archive, sample_pdf, "Giấy mời họp giao ban")
    assert records.propose_dossiers(doc) == []


def test_an_officer_opens_a_work_dossier_with_the_document_being_handled(archive, sample_pdf):
    doc = paper(archive, sample_pdf, "Đề nghị góp ý dự thảo quy chế làm việc")
    dossier = records.open_work_dossier(
        archive.tuan.user,
        title="Hồ sơ góp ý quy chế làm việc của Sở Tài chính",
        retention_class=retention("05-nam"),
        heading_abbr="TCCB",
        document=doc,
    )
    assert (dossier.kind, dossier.notation, dossier.responsible, dossier.unit) == (
        "cong-viec",
        "03.TCCB",
        archive.tuan,
        archive.tuan.unit,
    )
    assert dossier.maintenance == "07"  # 05 năm has no code of its own
    assert records.dossier_of(doc) == dossier
    assert [s.action for s in dossier.history.all()] == ["create", "file"]
