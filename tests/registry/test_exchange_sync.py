"""Issuing to other agencies through the connector, and what comes back from the hub."""

import datetime as dt

import pytest
from django.utils import timezone

from vanban import edxml
from vanban.connector.accounts import set_account
from vanban.connector.models import OutboxItem, ReceivedStatus
from vanban.directory.models import DocumentType
from vanban.registry import services, sync
from vanban.registry.errors import RegistryError
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db


def sealed_to_agency(office, sample_pdf):
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v phối hợp chuyển đổi số",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(agency_code="000.00.03.H99")],
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    return services.seal_document(office.lan.user, doc)


@pytest.fixture
def account(office, registry_pki):
    p12, _ = registry_pki.files["snv"]
    return set_account(
        None, office.so_noi_vu, hub_url="http://127.0.0.1:9/hub/v1/", token="id.secret", signing_key_path=str(p12)
    )


def test_issue_to_an_agency_writes_a_signed_envelope_to_the_outbox(office, sample_pdf, account, registry_pki):
    doc = services.issue(office.lan.user, sealed_to_agency(office, sample_pdf))
    item = OutboxItem.objects.get()
    assert item.recipients == ["000.00.03.H99"] and item.document_id == doc.document_id
    result = edxml.check(bytes(item.package), edxml.TrustStore.from_path(registry_pki.root_pem))
    envelope = result.package
    assert result.signature.valid and result.signature.sender_matches
    assert envelope.sender.organ_id == "000.00.02.H99"
    assert [o.organ_id for o in envelope.recipients] == ["000.00.03.H99"]
    assert (envelope.code.code_number, envelope.code.code_notation) == ("01", "SNV-CCVC")
    assert envelope.business.business_doc_type == 0
    assert envelope.attachments[0].content == doc.signed_file.read()
    assert doc.recipients.get().delivery == "cho-truc"


def test_without_a_hub_account_issuing_to_agencies_is_refused_and_nothing_changes(office, sample_pdf):
    doc = sealed_to_agency(office, sample_pdf)
    with pytest.raises(RegistryError) as exc:
        services.issue(office.lan.user, doc)
    assert "chưa được kết nối với trục liên thông" in exc.value.message_vi
    doc.refresh_from_db()
    assert doc.state == "da-dong-dau" and not OutboxItem.objects.exists()


def test_statuses_from_the_recipient_show_on_the_document_in_order(office, sample_pdf, account):
    doc = services.issue(office.lan.user, sealed_to_agency(office, sample_pdf))
    t0 = timezone.now()
    for i, code in enumerate(["01", "03", "04"]):
        ReceivedStatus.objects.create(
            agency=office.so_noi_vu,
            document_id=doc.document_id,
            from_code="000.00.03.H99",
            status_code=code,
            status_time=t0 + dt.timedelta(minutes=i),
        )
    assert sync.apply_statuses() == 3
    assert sync.apply_statuses() == 0  # idempotent
    recipient = doc.recipients.get()
    assert list(recipient.statuses.values_list("code", flat=True)) == ["01", "03", "04"]
    assert recipient.last_status == "04"


def test_a_refusal_by_the_hub_is_shown_with_its_reason(office, sample_pdf, account):
    doc = services.issue(office.lan.user, sealed_to_agency(office, sample_pdf))
    OutboxItem.objects.update(state="failed", last_error_vi="Chữ ký số không thuộc cơ quan gửi.")
    assert sync.apply_outbox_states() == 1
    recipient = doc.recipients.get()
    assert recipient.delivery == "loi" and "Chữ ký số không thuộc cơ quan gửi." in recipient.delivery_note


def test_sender_is_told_when_a_recipient_has_not_fetched_in_time(office, sample_pdf, account):
    doc = services.issue(office.lan.user, sealed_to_agency(office, sample_pdf))
    recipient = doc.recipients.get()
    accepted = (timezone.now() - dt.timedelta(minutes=90)).isoformat()
    recipient.hub_events = [{"event": "accepted", "at": accepted}]
    assert "chưa tải văn bản về sau 90 phút" in recipient.late_notice
    recipient.hub_events = [
        {"event": "accepted", "at": accepted},
        {"event": "fetched", "at": (timezone.now() - dt.timedelta(days=5)).isoformat()},
    ]
    assert "sau một ngày làm việc" in recipient.late_notice
    recipient.save()
    ReceivedStatus.objects.create(
        agency=office.so_noi_vu,
        document_id=doc.document_id,
        from_code="000.00.03.H99",
        status_code="03",
        status_time=timezone.now(),
    )
    sync.apply_statuses()
    recipient.refresh_from_db()
    assert recipient.late_notice == ""


def test_the_timeline_is_copied_again_until_the_final_status_is_on_it(office, sample_pdf, account):
    """06 reaches the sender's registry by its own pull, often before the hub's timeline is
    copied again: the timeline is complete only once 06 is on it, after the ack."""
    doc = services.issue(office.lan.user, sealed_to_agency(office, sample_pdf))
    recipient = doc.recipients.get()
    recipient.last_status = "06"
    recipient.hub_events = [{"event": "accepted"}, {"event": "fetched"}, {"event": "acked"}]
    assert not sync._timeline_complete(recipient)
    recipient.hub_events.append({"event": "status", "status_code": "06"})
    assert sync._timeline_complete(recipient)
    recipient.last_status = "05"
    assert not sync._timeline_complete(recipient)
