"""The outgoing flow through its service functions: each step, its guard, its audit row."""

import pytest
from django.core import mail

from vanban.audit.models import AuditEvent
from vanban.directory.models import DocumentType, SecrecyLevel
from vanban.registry import services
from vanban.registry.errors import InvalidDocument, SigningFailed, TransitionRefused
from vanban.registry.models import OutgoingDocument, StateChange
from vanban.registry.services import DraftData, RecipientData
from vanban.signing import load_trust_roots, validate_pdf

pytestmark = pytest.mark.django_db


def draft(office, sample_pdf, type_code="cong-van", **extra):
    data = DraftData(
        subject="V/v báo cáo công tác chuyển đổi số năm 2026",
        document_type=DocumentType.objects.get(code=type_code),
        signer=office.minh,
        main_file=sample_pdf,
        main_file_name="du-thao.pdf",
        competence="",
        recipients=[
            RecipientData(unit_id=office.lan.unit.pk),
            RecipientData(email="phongtchc@example.gov.vn", name="Phòng TCHC Công ty X"),
        ],
        **extra,
    )
    return services.create_draft(office.tuan.user, data)


def to_signed(office, doc):
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    return services.sign_document(office.minh.user, doc)


def to_sealed(office, doc):
    to_signed(office, doc)
    services.number_document(office.lan.user, doc)
    return services.seal_document(office.lan.user, doc)


def test_officer_creates_a_draft_with_version_and_recipients(office, sample_pdf):
    doc = draft(office, sample_pdf)
    assert doc.state == "du-thao"
    assert doc.versions.count() == 1 and doc.current_version.author == office.tuan
    assert sorted(r.kind for r in doc.recipients.all()) == ["ben-ngoai", "don-vi"]
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_username) == ("registry.outgoing.created", "tuan")


def test_signer_must_be_a_leader_of_the_agency(office, sample_pdf):
    data = DraftData(
        subject="X",
        document_type=DocumentType.objects.get(code="cong-van"),
        signer=office.hoa,
        main_file=sample_pdf,
        main_file_name="a.pdf",
    )
    with pytest.raises(InvalidDocument) as exc:
        services.create_draft(office.tuan.user, data)
    assert "lãnh đạo của cơ quan bạn" in exc.value.message_vi


def test_outsider_cannot_draft(office, sample_pdf):
    data = DraftData(
        subject="X",
        document_type=DocumentType.objects.get(code="cong-van"),
        signer=office.minh,
        main_file=sample_pdf,
        main_file_name="a.pdf",
    )
    with pytest.raises(TransitionRefused):
        services.create_draft(office.outsider, data)


def test_a_file_that_is_not_a_pdf_is_refused(office):
    data = DraftData(
        subject="X",
        document_type=DocumentType.objects.get(code="cong-van"),
        signer=office.minh,
        main_file=b"hello",
        main_file_name="a.pdf",
    )
    with pytest.raises(InvalidDocument) as exc:
        services.create_draft(office.tuan.user, data)
    assert "không phải PDF" in exc.value.message_vi
    assert not OutgoingDocument.objects.exists()


def test_approving_a_draft_not_yet_submitted_is_refused_and_changes_nothing(office, sample_pdf):
    doc = draft(office, sample_pdf)
    events = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        services.approve(office.minh.user, doc)
    assert "“duyệt”" in exc.value.message_vi and "Dự thảo" in exc.value.message_vi
    doc.refresh_from_db()
    assert doc.state == "du-thao"
    assert AuditEvent.objects.count() == events


def test_only_the_drafter_submits(office, sample_pdf):
    doc = draft(office, sample_pdf)
    with pytest.raises(TransitionRefused) as exc:
        services.submit(office.lan.user, doc)
    assert "người soạn thảo" in exc.value.message_vi


def test_return_needs_a_reason_then_a_new_version_is_resubmitted(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    with pytest.raises(InvalidDocument):
        services.return_draft(office.minh.user, doc, "  ")
    services.comment(office.minh.user, doc, "Bổ sung số liệu quý III.")
    services.return_draft(office.minh.user, doc, "Chưa có số liệu quý III.")
    services.add_version(office.tuan.user, doc, sample_pdf, "du-thao-2.pdf", "Đã bổ sung số liệu")
    services.submit(office.tuan.user, doc)
    doc.refresh_from_db()
    assert doc.state == "dang-trinh"
    assert [v.number for v in doc.versions.all()] == [1, 2]
    assert doc.comments.get().text == "Bổ sung số liệu quý III."
    assert list(StateChange.objects.filter(document=doc).values_list("action", flat=True)) == [
        "submit",
        "comment",
        "return",
        "add_version",
        "submit",
    ]
    assert StateChange.objects.get(document=doc, action="return").reason == "Chưa có số liệu quý III."


def test_an_officer_cannot_sign(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    with pytest.raises(TransitionRefused) as exc:
        services.sign_document(office.tuan.user, doc)
    assert "người ký được chỉ định" in exc.value.message_vi


def test_signing_with_another_agencys_key_is_refused(office, sample_pdf, registry_pki):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    p12, _ = registry_pki.files["hoa"]
    with pytest.raises(SigningFailed) as exc:
        services.sign_document(office.minh.user, doc, key_file=p12.read_bytes())
    assert "không thuộc cơ quan 000.00.02.H99" in exc.value.message_vi
    doc.refresh_from_db()
    assert doc.state == "da-duyet" and doc.signed_file is None


def approved(office, sample_pdf):
    """A draft Tuấn submitted and Minh approved: ready for Minh's signature."""
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    return doc


def test_signing_with_a_colleagues_key_of_the_same_agency_is_refused(office, sample_pdf, registry_pki):
    doc = approved(office, sample_pdf)
    p12, _ = registry_pki.files["tuan"]  # Vũ Anh Tuấn's personal certificate, Sở Nội vụ too
    with pytest.raises(SigningFailed) as exc:
        services.sign_document(office.minh.user, doc, key_file=p12.read_bytes())
    assert exc.value.code == "certificate_not_holder"
    assert "cấp cho Vũ Anh Tuấn, không phải của Trần Quang Minh" in exc.value.message_vi
    doc.refresh_from_db()
    assert doc.state == "da-duyet" and doc.signed_file is None


def test_signing_with_ones_own_uploaded_key_is_accepted(office, sample_pdf, registry_pki):
    doc = approved(office, sample_pdf)
    p12, _ = registry_pki.files["minh"]
    services.sign_document(office.minh.user, doc, key_file=p12.read_bytes())
    doc.refresh_from_db()
    assert doc.signed_file is not None


def test_signer_signature_then_number_then_seal_gives_two_valid_signatures(office, sample_pdf, registry_pki):
    doc = to_sealed(office, draft(office, sample_pdf))
    doc.refresh_from_db()
    assert doc.state == "da-dong-dau"
    assert doc.so_ky_hieu == "01/SNV-CCVC"
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([registry_pki.root_pem]))
    assert result.valid, result.report_vi()
    assert [s.kind for s in result.signatures] == ["person", "agency"]
    assert result.signatures[0].agency_code == "000.00.02.H99"


def test_issue_delivers_to_units_at_once_and_e_mails_the_signed_pdf(
    office, sample_pdf, django_capture_on_commit_callbacks
):
    doc = to_sealed(office, draft(office, sample_pdf))
    with django_capture_on_commit_callbacks(execute=True):
        services.issue(office.lan.user, doc)
    doc.refresh_from_db()
    assert doc.state == "da-phat-hanh"
    deliveries = dict(doc.recipients.values_list("kind", "delivery"))
    assert deliveries == {"don-vi": "da-chuyen", "ben-ngoai": "da-gui-thu"}
    [message] = mail.outbox
    assert message.to == ["phongtchc@example.gov.vn"]
    assert "01/SNV-CCVC" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content == doc.signed_file.read()


def test_secret_document_is_never_issued_electronically(office, sample_pdf, django_capture_on_commit_callbacks):
    doc = to_sealed(office, draft(office, sample_pdf, secrecy=SecrecyLevel.objects.get(code="mat")))
    with django_capture_on_commit_callbacks(execute=True):
        services.issue(office.lan.user, doc)
    doc.refresh_from_db()
    assert doc.paper_issue and "Mật" in doc.paper_issue_reason
    assert set(doc.recipients.values_list("delivery", flat=True)) == {"ban-giay"}
    assert mail.outbox == []
    assert doc.register.secret  # numbered in the separate secret series


def test_normative_type_carries_the_year_and_needs_paper(office, sample_pdf):
    doc = to_signed(office, draft(office, sample_pdf, type_code="qppl-quyet-dinh"))
    services.number_document(office.lan.user, doc)
    doc.refresh_from_db()
    assert doc.paper_copy
    assert doc.so_ky_hieu == f"01/{doc.year}/QĐ-SNV"


def test_every_step_writes_one_audit_event_in_order(office, sample_pdf, django_capture_on_commit_callbacks):
    doc = to_sealed(office, draft(office, sample_pdf))
    with django_capture_on_commit_callbacks(execute=True):
        services.issue(office.lan.user, doc)
    actions = list(
        AuditEvent.objects.filter(object_type="registry.outgoingdocument", object_id=str(doc.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "registry.outgoing.created",
        "registry.outgoing.submitted",
        "registry.outgoing.approved",
        "registry.outgoing.signed",
        "registry.outgoing.numbered",
        "registry.outgoing.sealed",
        "registry.outgoing.issued",
    ]


def test_e_mail_reaches_a_real_smtp_server_with_the_signed_pdf(
    office, sample_pdf, settings, django_capture_on_commit_callbacks
):
    """Outside recipients get the signed PDF through SMTP (a local aiosmtpd server)."""
    import email

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        doc = to_sealed(office, draft(office, sample_pdf))
        with django_capture_on_commit_callbacks(execute=True):
            services.issue(office.lan.user, doc)
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["phongtchc@example.gov.vn"]
    message = email.message_from_bytes(envelope.content)
    parts = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    doc.refresh_from_db()
    assert parts[0].get_payload(decode=True) == doc.signed_file.read()
    assert doc.recipients.get(kind="ben-ngoai").delivery == "da-gui-thu"


def test_a_word_file_is_converted_or_refused_with_a_clear_message(office):
    import shutil

    from vanban.registry.files import libreoffice

    docx = b"PK\x03\x04 not really a docx"
    data = DraftData(
        subject="X",
        document_type=DocumentType.objects.get(code="cong-van"),
        signer=office.minh,
        main_file=docx,
        main_file_name="du-thao.docx",
    )
    if libreoffice() is None:
        with pytest.raises(InvalidDocument) as exc:
            services.create_draft(office.tuan.user, data)
        assert "chưa cài LibreOffice" in exc.value.message_vi
    else:  # a broken file is refused by the converter itself
        assert shutil.which("soffice") or shutil.which("libreoffice")
        with pytest.raises(InvalidDocument):
            services.create_draft(office.tuan.user, data)
    assert not OutgoingDocument.objects.exists()
