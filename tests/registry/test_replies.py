"""Replies linked both ways: a draft answering an incoming document carries it as
``ResponseFor`` when it is sent, and an arriving document whose ``ResponseFor`` names one of
our outgoing documents is linked to it."""

import dataclasses

import pytest

from vanban import connector, edxml
from vanban.connector.accounts import set_account
from vanban.connector.arrival import receive_package
from vanban.connector.models import OutboxItem
from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.errors import InvalidDocument
from vanban.registry.models import IncomingDocument
from vanban.registry.services import DraftData, RecipientData, incoming
from vanban.registry.setup import ensure_registers

pytestmark = pytest.mark.django_db
SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"


def issue_to(office, sample_pdf, subject, to, reply_to=None):
    """Sở Nội vụ's công văn, drafted by Tuấn, signed by Minh, issued by Lan."""
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject=subject,
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(agency_code=to)],
            reply_to=reply_to,
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    services.seal_document(office.lan.user, doc)
    return services.issue(office.lan.user, doc)


def sent_envelope(doc) -> edxml.Envelope:
    package = bytes(OutboxItem.objects.get(document_ref=f"registry.outgoing:{doc.pk}").package)
    return edxml.parse(package)


@pytest.fixture
def accounts(office, registry_pki):
    for key, agency in (("snv", office.so_noi_vu), ("skhcn", office.so_khcn)):
        p12, _ = registry_pki.files[key]
        set_account(None, agency, hub_url="http://127.0.0.1:9/hub/v1/", token="id.secret", signing_key_path=str(p12))
    ensure_registers(office.so_noi_vu)
    ensure_registers(office.so_khcn)


def from_skhcn(office, template: edxml.Envelope, number: str, subject: str, response_for=()) -> IncomingDocument:
    """A công văn of Sở KH&CN to Sở Nội vụ arriving through the connector (its envelope made
    from ``template``, signed with Sở KH&CN's key)."""
    envelope = dataclasses.replace(
        template,
        sender=dataclasses.replace(template.recipients[0], organ_id=SKHCN, organ_name="Sở Khoa học và Công nghệ"),
        recipients=[dataclasses.replace(template.sender, organ_id=SNV, organ_name="Sở Nội vụ")],
        code=edxml.DocumentCode(code_number=number, code_notation="SKHCN-CĐS"),
        subject=subject,
        document_id=f"{SKHCN},2026/11/20,{number}/SKHCN-CĐS",
        response_for=list(response_for),
        trace_headers=[],
    )
    signed = connector.sign_envelope(office.so_khcn, edxml.build(envelope))
    receive_package(office.so_noi_vu, signed)
    assert incoming.take_received_packages() == 1
    return IncomingDocument.objects.filter(agency=office.so_noi_vu).latest("pk")


@pytest.fixture
def asked(office, sample_pdf, accounts):
    """Sở KH&CN asks Sở Nội vụ something (a document that came through the hub)."""
    template = sent_envelope(issue_to(office, sample_pdf, "V/v mẫu", SKHCN))
    return from_skhcn(office, template, "57", "V/v đề nghị cử cán bộ tham gia tổ công tác chuyển đổi số")


def assigned_to_tuan(office, doc):
    incoming.register(office.lan.user, doc)
    return incoming.assign(office.minh.user, doc, incoming.AssignmentData(lead_person=office.tuan))


def test_the_reply_names_the_document_it_answers_when_sent(office, sample_pdf, asked):
    assigned_to_tuan(office, asked)
    reply = issue_to(office, sample_pdf, "V/v cử cán bộ tham gia tổ công tác", SKHCN, reply_to=asked)
    [answered] = sent_envelope(reply).response_for
    assert (answered.organ_id, answered.code, answered.document_id) == (SKHCN, "57/SKHCN-CĐS", asked.document_id)


def test_an_arriving_answer_to_one_of_our_documents_is_linked_to_it(office, sample_pdf, asked):
    ours = issue_to(office, sample_pdf, "V/v xin ý kiến về đề án vị trí việc làm", SKHCN)
    answer = from_skhcn(
        office,
        sent_envelope(ours),
        "61",
        "V/v góp ý đề án vị trí việc làm",
        response_for=[edxml.ResponseFor(organ_id=SNV, code=ours.so_ky_hieu, document_id=ours.document_id)],
    )
    assert answer.response_to == ours
    assert list(ours.responses.all()) == [answer]


def test_an_arriving_document_answering_nothing_of_ours_is_linked_to_nothing(office, sample_pdf, asked):
    assert asked.response_to is None


def test_a_reply_to_a_document_the_drafter_may_not_see_is_refused(office, sample_pdf, asked):
    with pytest.raises(InvalidDocument) as refused:  # Tuấn: not assigned to it, so not his to see
        services.create_draft(
            office.tuan.user,
            DraftData(
                subject="V/v trả lời",
                document_type=DocumentType.objects.get(code="cong-van"),
                signer=office.minh,
                main_file=sample_pdf,
                main_file_name="a.pdf",
                reply_to=asked,
            ),
        )
    assert refused.value.code == "reply_to_not_visible"
