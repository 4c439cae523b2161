"""Retention and destruction: the yearly proposal of expired dossiers, the steps up to the
recorded decision, a destruction refused without it, a hold that stops it, and destroyed
dossiers that stay listed without their files."""

import datetime as dt

import pytest

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.errors import DisposalRefused, DossierRefused

from .conftest import paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired(archive, sample_pdf):
    """Both dossiers closed this year: the 10-year one expires after year + 10."""
    for dossier, subject in ((archive.digital, "Hướng dẫn chuyển đổi số"), (archive.personnel, "Thông báo tuyển dụng")):
        records.file_document(archive.lan.user, dossier, paper(archive, sample_pdf, subject))
        records.close_dossier(archive.lan.user, dossier)
    archive.digital.refresh_from_db()
    return archive.digital


def decided(archive, dossier):
    batch = records.start_disposal(
        archive.lan.user, archive.so_noi_vu, archive.year + 11, [dossier], "Tài liệu hết thời hạn lưu trữ 10 năm."
    )
    records.review_disposal(archive.lan.user, batch, "Hội đồng thống nhất hủy.")
    records.appraise_disposal(archive.lan.user, batch, "Đồng ý hủy.")
    return batch


def test_the_yearly_proposal_lists_the_dossiers_whose_retention_expired(archive, expired):
    assert records.expires_in(expired) == archive.year + 10
    assert records.expired_dossiers(archive.so_noi_vu, archive.year + 10) == []
    assert records.expired_dossiers(archive.so_noi_vu, archive.year + 11) == [expired]  # not the 70-year one


def test_a_dossier_not_yet_expired_is_not_listed_for_destruction(archive, expired):
    with pytest.raises(DisposalRefused) as exc:
        records.start_disposal(archive.lan.user, archive.so_noi_vu, archive.year + 11, [archive.personnel], "Hủy")
    assert exc.value.code == "not_expired" and "“01.TCCB” (70 năm)" in exc.value.message_vi


def test_a_destruction_without_its_decision_is_refused(archive, expired):
    batch = decided(archive, expired)
    with pytest.raises(DisposalRefused) as exc:
        records.destroy_disposal(archive.lan.user, batch)
    assert exc.value.code == "no_decision"
    assert exc.value.message_vi == (
        "Chưa có quyết định hủy tài liệu của người có thẩm quyền: không được hủy. Đợt hủy đang ở bước “Đã thẩm định”."
    )
    expired.refresh_from_db()
    assert expired.state == "da-dong"
    assert not AuditEvent.objects.filter(action="records.dossier.destroyed").exists()


def test_only_the_head_records_the_decision(archive, expired):
    batch = decided(archive, expired)
    with pytest.raises(DisposalRefused) as exc:
        records.decide_disposal(archive.lan.user, batch, number="15/QĐ-SNV", date=dt.date(2037, 3, 1), signer="X")
    assert exc.value.code == "not_allowed"


def test_a_hold_stops_the_destruction(archive, expired):
    batch = decided(archive, expired)
    records.decide_disposal(
        archive.minh.user, batch, number="15/QĐ-SNV", date=dt.date(2037, 3, 1), signer="Trần Quang Minh"
    )
    records.hold_dossier(archive.minh.user, expired, "Đang thanh tra")
    with pytest.raises(DisposalRefused) as exc:
        records.destroy_disposal(archive.lan.user, batch)
    assert exc.value.code == "dossier_held"
    assert exc.value.message_vi == "Hồ sơ đang được giữ lại, không được hủy: “02.TH” (Đang thanh tra)."
    expired.refresh_from_db()
    assert expired.state == "da-dong"


def test_a_held_dossier_is_not_proposed(archive, expired):
    records.hold_dossier(archive.lan.user, expired, "Đang thanh tra")
    assert records.expired_dossiers(archive.so_noi_vu, archive.year + 11) == []


def test_a_destroyed_dossier_stays_listed_without_its_files(archive, expired):
    batch = decided(archive, expired)
    records.decide_disposal(
        archive.minh.user, batch, number="15/QĐ-SNV", date=dt.date(2037, 3, 1), signer="Trần Quang Minh"
    )
    batch = records.destroy_disposal(archive.lan.user, batch)
    assert batch.state == "da-huy"
    page = records.dossier_page(archive.lan.user, archive.year)
    listed = {d.notation: d for d in page.dossiers}
    assert listed["02.TH"].state == "da-huy" and listed["02.TH"].title == "Hồ sơ về chuyển đổi số của Sở"
    assert page.counts["da-huy"] == 1 and page.counts["da-dong"] == 1
    (item,) = listed["02.TH"].items.all()
    with pytest.raises(DossierRefused) as exc:
        records.open_document(item)
    assert "đã bị hủy" in exc.value.message_vi
    event = AuditEvent.objects.filter(action="records.dossier.destroyed").get()
    assert (event.before["state"], event.after["state"], event.after["decision"]) == ("da-dong", "da-huy", "15/QĐ-SNV")
    steps = list(
        AuditEvent.objects.filter(action__startswith="records.disposal.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert steps == [
        "records.disposal.listed",
        "records.disposal.reviewed",
        "records.disposal.appraised",
        "records.disposal.decided",
        "records.disposal.destroyed",
    ]
    with pytest.raises(DossierRefused):
        list(records.transfer_entries([listed["02.TH"]]))
