"""Similar documents and the lead unit suggested from the units that led them."""

import pytest

from vanban.search import process_queue, similar, suggest_lead_unit

pytestmark = pytest.mark.django_db


def test_a_document_sharing_several_word_groups_is_similar_and_one_sharing_one_is_not(office, paper):
    doc = paper("Về việc tuyển dụng công chức cấp xã năm 2026")
    close = paper("Kế hoạch tuyển dụng công chức cấp xã")
    paper("Thông báo tuyển dụng viên chức")  # one group in common only: not similar enough
    paper("Về việc sửa chữa Đường Lê Lợi")
    assert [s.doc_id for s in similar(office.lan, "den", doc.pk)] == [close.pk]


def test_a_person_of_another_agency_gets_no_similar_document(office, paper):
    doc = paper("Về việc tuyển dụng công chức cấp xã")
    paper("Kế hoạch tuyển dụng công chức cấp xã")
    assert similar(office.hoa, "den", doc.pk) == []


def test_the_lead_unit_of_similar_documents_is_suggested_with_the_reason(office, paper):
    from vanban.registry.services import incoming

    unit = office.tuan.unit
    for subject in ("Về việc tuyển dụng công chức đợt 1", "Về việc tuyển dụng công chức đợt 2"):
        earlier = paper(subject)
        incoming.register(office.lan.user, earlier)
        incoming.assign(office.minh.user, earlier, incoming.AssignmentData(lead_unit=unit))
    process_queue()
    new = paper("Về việc tuyển dụng công chức đợt 3")
    suggestion = suggest_lead_unit(office.minh, new.pk)
    assert suggestion is not None and suggestion.unit == unit
    assert suggestion.reason == "2 văn bản tương tự do Phòng Công chức, viên chức chủ trì"
