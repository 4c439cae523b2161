"""Destruction of records whose retention expired, over HTTP: the clerk starts a batch from
the year's expired dossiers, the batch goes through its steps in order (each page offering
only the next one), a destruction before the decision is refused with the reason and
destroys nothing, a dossier held from the dossier's page cannot be put in a batch, and a
destroyed dossier stays listed."""

import pytest
from django.utils import timezone

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.models import DisposalBatch, RetentionClass
from vanban.registry.services import incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
EXPLANATION = "Tài liệu hết thời hạn lưu trữ 10 năm, không còn giá trị."


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)


@pytest.fixture
def expired(office, sample_pdf):
    """A 10-year dossier of this year, closed: its retention is over in year + 11."""
    made = records.add_dossier(
        office.lan.user,
        office.so_noi_vu,
        timezone.localdate().year,
        records.DossierData(
            title="Hồ sơ về chuyển đổi số của Sở",
            retention_class=RetentionClass.objects.get(agency=None, code="10-nam"),
            heading_abbr="TH",
        ),
    )
    doc = incoming.upload_paper(
        office.lan.user, sender_name="Sở Tài chính", subject="Hướng dẫn chuyển đổi số", data=sample_pdf, name="a.pdf"
    )
    records.file_document(office.lan.user, made, doc)
    return records.close_dossier(office.lan.user, made)


def due() -> int:
    return timezone.localdate().year + 11


def start(client, dossier):
    return client.post(
        "/ho-so/tieu-huy/de-xuat/", {"nam": due(), "ho_so": [dossier.pk], "explanation": EXPLANATION}, follow=True
    )


def test_the_clerk_starts_a_batch_from_the_expired_dossiers(client, expired):
    login(client, "lan")
    listed = client.get("/ho-so/tieu-huy/de-xuat/", {"nam": due()}).content.decode()
    assert expired.code in listed and "Hồ sơ về chuyển đổi số của Sở" in listed
    not_yet = client.get("/ho-so/tieu-huy/de-xuat/", {"nam": due() - 1}).content.decode()
    assert expired.code not in not_yet and "Không có hồ sơ nào hết thời hạn lưu trữ" in not_yet
    page = start(client, expired)
    text = page.content.decode()
    batch = DisposalBatch.objects.get()
    assert page.redirect_chain[-1][0] == f"/ho-so/tieu-huy/{batch.pk}/"
    assert "Đã lập danh mục hủy tài liệu: 1 hồ sơ." in text and "Đã lập danh mục và thuyết minh" in text
    assert expired.code in text and EXPLANATION in text
    assert list(batch.dossiers.all()) == [expired] and batch.year == due()
    assert f"Đợt hủy số {batch.pk}" in client.get("/ho-so/tieu-huy/").content.decode()


def test_the_steps_go_in_order_each_page_offering_the_next_only(client, office, expired):
    login(client, "lan")
    start(client, expired)
    batch = DisposalBatch.objects.get()
    url = f"/ho-so/tieu-huy/{batch.pk}/"
    text = client.get(url).content.decode()
    assert "Ghi biên bản họp Hội đồng xét hủy</button>" in text and "Ghi quyết định hủy</button>" not in text
    text = client.post(url + "xet/", {"minutes": "Hội đồng thống nhất hủy."}, follow=True).content.decode()
    assert "Hội đồng đã xét" in text and "Ghi ý kiến thẩm định</button>" in text
    assert "Ghi biên bản họp Hội đồng xét hủy</button>" not in text
    text = client.post(url + "tham-dinh/", {"appraisal": "Đồng ý hủy."}, follow=True).content.decode()
    assert "Đã thẩm định" in text and "Ghi quyết định hủy</button>" in text
    login(client, "minh")  # the head records the decision
    text = client.post(
        url + "quyet-dinh/", {"number": "15/QĐ-SNV", "date": "01/03/2037", "signer": "Trần Quang Minh"}, follow=True
    ).content.decode()
    assert "Số 15/QĐ-SNV ngày 01/03/2037, Trần Quang Minh" in text and "Hủy tài liệu</button>" in text
    login(client, "lan")
    text = client.post(url + "huy/", follow=True).content.decode()
    assert "Đã hủy 1 hồ sơ; thông tin mô tả của các hồ sơ vẫn được giữ." in text
    assert "<h2>Bước tiếp theo</h2>" not in text
    expired.refresh_from_db()
    assert expired.state == "da-huy"
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
    history = text[text.index('<ul id="history">') :]
    labels = ["Lập danh mục tài liệu", "Ghi biên bản họp", "Ghi ý kiến thẩm định", "Ghi quyết định hủy", "Hủy tài liệu"]
    assert [history.index(label) for label in labels] == sorted(history.index(label) for label in labels)


def test_a_destruction_before_the_decision_is_refused_and_destroys_nothing(client, expired):
    login(client, "lan")
    start(client, expired)
    batch = DisposalBatch.objects.get()
    url = f"/ho-so/tieu-huy/{batch.pk}/"
    client.post(url + "xet/", {"minutes": "Hội đồng thống nhất hủy."})
    client.post(url + "tham-dinh/", {"appraisal": "Đồng ý hủy."})
    page = client.post(url + "huy/")
    text = page.content.decode()
    assert page.status_code == 200 and '<li class="error">' in text
    assert (
        "Chưa có quyết định hủy tài liệu của người có thẩm quyền: không được hủy. "
        "Đợt hủy đang ở bước “Đã thẩm định”." in text
    )
    expired.refresh_from_db()
    batch.refresh_from_db()
    assert (expired.state, batch.state) == ("da-dong", "da-tham-dinh")
    assert not AuditEvent.objects.filter(action="records.dossier.destroyed").exists()


def test_a_bad_decision_date_keeps_what_was_typed(client, expired):
    login(client, "lan")
    start(client, expired)
    batch = DisposalBatch.objects.get()
    url = f"/ho-so/tieu-huy/{batch.pk}/"
    client.post(url + "xet/", {"minutes": "Hội đồng thống nhất hủy."})
    client.post(url + "tham-dinh/", {"appraisal": "Đồng ý hủy."})
    login(client, "minh")
    page = client.post(url + "quyet-dinh/", {"number": "15/QĐ-SNV", "date": "2037/03/01", "signer": "Trần Quang Minh"})
    text = page.content.decode()
    assert "Ngày quyết định phải ghi dạng dd/mm/yyyy." in text and 'value="15/QĐ-SNV"' in text
    batch.refresh_from_db()
    assert (batch.state, batch.decision_number) == ("da-tham-dinh", "")


def test_a_held_dossier_cannot_be_put_in_a_batch(client, expired):
    login(client, "lan")
    assert expired.code in client.get("/ho-so/tieu-huy/de-xuat/", {"nam": due()}).content.decode()
    login(client, "minh")  # meanwhile the head holds it from the dossier's page
    page = client.post(f"/ho-so/{expired.pk}/giu-lai/", {"reason": "Đang thanh tra"}, follow=True)
    assert "Đã giữ lại hồ sơ" in page.content.decode() and "Giữ lại: Đang thanh tra" in page.content.decode()
    login(client, "lan")
    page = start(client, expired)
    text = page.content.decode()
    assert '<li class="error">Hồ sơ đang được giữ lại, không được hủy: “01.TH” (Đang thanh tra).</li>' in text
    assert EXPLANATION in text  # the explanation typed is kept
    assert not DisposalBatch.objects.exists()


def test_a_released_dossier_is_proposed_again(client, expired):
    login(client, "minh")
    client.post(f"/ho-so/{expired.pk}/giu-lai/", {"reason": "Đang thanh tra"})
    assert expired.code not in client.get("/ho-so/tieu-huy/de-xuat/", {"nam": due()}).content.decode()
    page = client.post(f"/ho-so/{expired.pk}/bo-giu-lai/", follow=True)
    assert "Đã bỏ giữ lại hồ sơ." in page.content.decode()
    assert expired.code in client.get("/ho-so/tieu-huy/de-xuat/", {"nam": due()}).content.decode()


def test_a_stopped_batch_shows_its_reason_and_no_next_step(client, expired):
    login(client, "lan")
    start(client, expired)
    batch = DisposalBatch.objects.get()
    text = client.post(
        f"/ho-so/tieu-huy/{batch.pk}/dung/", {"reason": "Cần xác minh lại giá trị tài liệu"}, follow=True
    ).content.decode()
    assert "Đã dừng việc hủy." in text and '<span class="state state-dung">Đã dừng</span>' in text
    assert "(Cần xác minh lại giá trị tài liệu)" in text
    assert "<h2>Bước tiếp theo</h2>" not in text
    assert expired.code in client.get("/ho-so/tieu-huy/de-xuat/", {"nam": due()}).content.decode()


def test_a_destroyed_dossier_stays_listed(client, office, expired):
    batch = records.start_disposal(office.lan.user, office.so_noi_vu, due(), [expired], EXPLANATION)
    records.review_disposal(office.lan.user, batch, "Hội đồng thống nhất hủy.")
    records.appraise_disposal(office.lan.user, batch, "Đồng ý hủy.")
    records.decide_disposal(
        office.minh.user, batch, number="15/QĐ-SNV", date=timezone.localdate(), signer="Trần Quang Minh"
    )
    records.destroy_disposal(office.lan.user, batch)
    login(client, "tuan")
    text = client.get("/ho-so/", {"nam": expired.year}).content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "Hồ sơ về chuyển đổi số của Sở" in text and "01.TH" in text
    assert f'<span class="state state-da-huy">Đã hủy</span> ngày {today}' in text
    detail = client.get(f"/ho-so/{expired.pk}/").content.decode()
    assert f"Hồ sơ đã bị hủy ngày {today}: chỉ còn thông tin mô tả" in detail and expired.code in detail


def test_someone_not_a_clerk_or_leader_is_refused(client, expired):
    login(client, "tuan")
    page = client.get("/ho-so/tieu-huy/")
    assert page.status_code == 404
    assert "Chỉ văn thư và lãnh đạo cơ quan làm việc hủy tài liệu hết thời hạn lưu trữ." in page.content.decode()
    assert start(client, expired).status_code == 404
    assert not DisposalBatch.objects.exists()
