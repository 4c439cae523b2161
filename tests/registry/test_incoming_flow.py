"""The incoming flow through its service functions: arrival from the hub, register or
refuse, assign, process, finish — and the status each step sends back to the sender."""

import datetime as dt

import pytest
from django.utils import timezone

from vanban import edxml
from vanban.connector.accounts import set_account
from vanban.connector.arrival import receive_package
from vanban.connector.models import OutboxItem
from vanban.directory import services as directory
from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.errors import InvalidDocument, TransitionRefused
from vanban.registry.models import IncomingDocument
from vanban.registry.services import DraftData, RecipientData, incoming
from vanban.registry.setup import ensure_registers

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def exchange(office, sample_pdf, registry_pki, settings):
    """Sở Nội vụ issues a công văn to Sở KH&CN; the package reaches Sở KH&CN's connector."""
    for key, agency in (("snv", office.so_noi_vu), ("skhcn", office.so_khcn)):
        p12, _ = registry_pki.files[key]
        set_account(None, agency, hub_url="http://127.0.0.1:9/hub/v1/", token="id.secret", signing_key_path=str(p12))
    ensure_registers(office.so_khcn)
    people = {}
    for username, name, role in (
        ("vt.khcn", "Phan Thị Mai", "van-thu"),
        ("ld.khcn", "Hồ Đức Thắng", "lanh-dao"),
        ("cv2.khcn", "Dương Quang Huy", "chuyen-vien"),
    ):
        people[role] = directory.create_person(
            None,
            username=username,
            password=PASSWORD,
            full_name=name,
            agency=office.so_khcn,
            unit=office.hoa.unit,
            roles=[role],
        )
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v phối hợp triển khai nền tảng số",
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
    services.seal_document(office.lan.user, doc)
    services.issue(office.lan.user, doc)
    package = bytes(OutboxItem.objects.get(document_ref=f"registry.outgoing:{doc.pk}").package)
    receive_package(office.so_khcn, package)
    assert incoming.take_received_packages() == 1
    doc.refresh_from_db()
    return doc, IncomingDocument.objects.get(), people


def statuses_sent():
    out = []
    for item in OutboxItem.objects.filter(kind="status").order_by("id"):
        msg = edxml.parse(bytes(item.package))
        out.append((msg.status_code, msg.response_for.document_id, item.recipients))
    return out


def test_arrival_carries_the_senders_metadata_and_signed_pdf(exchange):
    outgoing, doc, _ = exchange
    assert (doc.state, doc.source, doc.sender_code) == ("da-den", "truc", "000.00.02.H99")
    assert doc.so_ky_hieu == "01/SNV-CCVC" and doc.document_id == outgoing.document_id
    assert doc.subject == "V/v phối hợp triển khai nền tảng số" and doc.signer_name == "Trần Quang Minh"
    assert doc.main_file.read() == outgoing.signed_file.read()
    assert incoming.take_received_packages() == 0  # not twice


def test_registering_gives_arrival_number_01_and_sends_03(exchange):
    outgoing, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    doc.refresh_from_db()
    assert (doc.state, doc.so_den, doc.year) == ("da-vao-so", "01", timezone.localdate().year)
    assert statuses_sent()[-1] == ("03", outgoing.document_id, ["000.00.02.H99"])


def test_refusing_needs_a_reason_and_sends_02(exchange):
    outgoing, doc, people = exchange
    with pytest.raises(InvalidDocument):
        incoming.refuse(people["van-thu"].user, doc, "")
    incoming.refuse(people["van-thu"].user, doc, "Gửi nhầm nơi nhận")
    doc.refresh_from_db()
    assert doc.state == "tu-choi" and doc.refused_reason == "Gửi nhầm nơi nhận"
    assert statuses_sent()[-1][0] == "02"


def test_only_a_clerk_registers(exchange):
    _, doc, people = exchange
    with pytest.raises(TransitionRefused) as exc:
        incoming.register(people["lanh-dao"].user, doc)
    assert "văn thư" in exc.value.message_vi


def test_assignment_needs_exactly_one_lead_of_the_agency(exchange, office):
    _, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    leader = people["lanh-dao"].user
    with pytest.raises(InvalidDocument):
        incoming.assign(leader, doc, incoming.AssignmentData())
    with pytest.raises(InvalidDocument) as exc:
        incoming.assign(leader, doc, incoming.AssignmentData(lead_person=office.tuan))  # another agency
    assert "thuộc cơ quan của bạn" in exc.value.message_vi


def test_assignment_sets_a_working_day_deadline_and_sends_04(exchange):
    from vanban.workdays import default_calendar

    _, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    incoming.assign(
        people["lanh-dao"].user,
        doc,
        incoming.AssignmentData(
            lead_person=people["chuyen-vien"], informed=[people["van-thu"]], instructions="Đề xuất phương án."
        ),
    )
    doc.refresh_from_db()
    assert doc.state == "da-phan-cong"
    assert doc.deadline == default_calendar().add_working_days(timezone.localdate(), 10)
    assert [a.role for a in doc.assignments.order_by("role")] == ["chu-tri", "de-biet"]
    assert statuses_sent()[-1][0] == "04"


def test_the_lead_processes_and_finishes_and_the_sender_gets_05_then_06(exchange):
    outgoing, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    incoming.assign(
        people["lanh-dao"].user,
        doc,
        incoming.AssignmentData(
            lead_person=people["chuyen-vien"], deadline=timezone.localdate() + dt.timedelta(days=7)
        ),
    )
    with pytest.raises(TransitionRefused):
        incoming.start(people["van-thu"].user, doc)  # not the lead
    incoming.start(people["chuyen-vien"].user, doc)
    incoming.note(people["chuyen-vien"].user, doc, "Đã họp với phòng chuyên môn.")
    with pytest.raises(InvalidDocument):
        incoming.finish(people["chuyen-vien"].user, doc, " ")
    incoming.finish(people["chuyen-vien"].user, doc, "Đã thống nhất phương án phối hợp.")
    doc.refresh_from_db()
    assert doc.state == "hoan-thanh" and doc.notes.count() == 1
    assert [s[0] for s in statuses_sent()] == ["01", "03", "04", "05", "06"]
    assert list(doc.history.values_list("action", flat=True)) == [
        "receive",
        "register",
        "assign",
        "start",
        "note",
        "finish",
    ]


def test_a_revocation_marks_the_document_recalled_keeping_its_history(exchange, registry_pki, office):
    outgoing, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    env = edxml.parse(bytes(OutboxItem.objects.filter(kind="envelope").get().package))
    env.business = edxml.Business(
        business_doc_type=edxml.BusinessDocType.REVOKE,
        document_id=env.document_id,
        business_doc_reason="Thu hồi văn bản điện tử",
    )
    env.document_id = env.document_id + ",thu-hoi"
    from vanban.connector.accounts import sign_envelope

    receive_package(office.so_khcn, sign_envelope(office.so_noi_vu, edxml.build(env)))
    incoming.take_received_packages()
    doc.refresh_from_db()
    assert doc.state == "da-thu-hoi" and doc.so_den == "01"
    assert list(doc.history.values_list("action", flat=True))[-1] == "recall"


def test_take_back_request_13_is_answered_15_and_the_sender_sees_it(exchange, office):
    from vanban.connector.inbox import receive_status
    from vanban.registry import sync

    outgoing, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    services.request_recall(office.lan.user, outgoing, "Văn bản có sai sót về số liệu")
    thirteen = OutboxItem.objects.filter(kind="status").order_by("-id").first()
    assert edxml.parse(bytes(thirteen.package)).status_code == "13"
    # the hub relays 13 to every recipient of the original
    receive_status(office.so_khcn, bytes(thirteen.package))
    sync.apply_statuses()
    doc.refresh_from_db()
    assert doc.take_back_reason == "Văn bản có sai sót về số liệu"
    with pytest.raises(TransitionRefused):
        incoming.agree_take_back(people["lanh-dao"].user, doc)
    incoming.agree_take_back(people["van-thu"].user, doc)
    doc.refresh_from_db()
    assert (doc.state, doc.so_den, doc.take_back_answer) == ("da-thu-hoi", "01", "15")
    fifteen = OutboxItem.objects.filter(kind="status").order_by("-id").first()
    assert edxml.parse(bytes(fifteen.package)).status_code == "15"
    receive_status(office.so_noi_vu, bytes(fifteen.package))
    sync.apply_statuses()
    assert "15" in list(outgoing.recipients.get().statuses.values_list("code", flat=True))


def test_a_take_back_cannot_be_answered_without_a_request(exchange):
    _, doc, people = exchange
    with pytest.raises(InvalidDocument):
        incoming.refuse_take_back(people["van-thu"].user, doc, "Đã xử lý xong")


def _eml(pdf: bytes, sender="Sở Nội vụ <vanthu@snv.example.gov.vn>", subject="V/v phối hợp") -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "vanthu@skhcn.example.gov.vn", subject
    msg.set_content("Kính gửi Sở KH&CN, gửi kèm văn bản.")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="01-SNV-CCVC.pdf")
    return msg.as_bytes()


def test_a_document_by_e_mail_enters_the_same_flow(office, sample_pdf):
    ensure_registers(office.so_noi_vu)
    doc = incoming.receive_email(office.lan.user, _eml(sample_pdf))
    assert (doc.source, doc.sender_name, doc.subject) == ("thu-dien-tu", "Sở Nội vụ", "V/v phối hợp")
    assert doc.main_file.read() == sample_pdf
    incoming.register(office.lan.user, doc)
    doc.refresh_from_db()
    assert doc.so_den == "01"


def test_the_same_document_by_hub_and_by_e_mail_is_registered_once(exchange):
    outgoing, doc, people = exchange
    with pytest.raises(InvalidDocument) as exc:
        incoming.receive_email(people["van-thu"].user, _eml(outgoing.signed_file.read()))
    assert "đã nhận rồi" in exc.value.message_vi
    assert IncomingDocument.objects.count() == 1


def test_a_message_without_pdf_is_refused(office):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["Subject"] = "a@b.vn", "Không đính kèm"
    msg.set_content("Nội dung")
    with pytest.raises(InvalidDocument) as exc:
        incoming.receive_email(office.lan.user, msg.as_bytes())
    assert "không có tệp PDF" in exc.value.message_vi


@pytest.mark.parametrize("depth", [40, 3000])
def test_a_message_nested_too_deep_is_refused_with_a_message(office, depth):
    body = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    body += "Content-Type: text/plain\n\nhello\n" + "".join(f"--b{i}--\n" for i in reversed(range(depth)))
    data = ("From: a@b.vn\nSubject: Lồng nhau\nMIME-Version: 1.0\n" + body).encode()
    with pytest.raises(InvalidDocument) as exc:
        incoming.receive_email(office.lan.user, data)
    assert exc.value.code == "nested_too_deep" and "lồng nhau quá sâu" in exc.value.message_vi


def test_e_mail_first_then_hub_keeps_one_document_linked_to_the_sender(exchange):
    from vanban.connector.models import ReceivedPackage

    outgoing, doc, people = exchange
    doc.history.all().delete()
    doc.delete()
    ReceivedPackage.objects.update(state="new")
    by_mail = incoming.receive_email(people["van-thu"].user, _eml(outgoing.signed_file.read()))
    assert incoming.take_received_packages() == 1
    by_mail.refresh_from_db()
    assert IncomingDocument.objects.count() == 1
    assert (by_mail.source, by_mail.sender_code, by_mail.document_id) == (
        "thu-dien-tu",
        "000.00.02.H99",
        outgoing.document_id,
    )
    incoming.register(people["van-thu"].user, by_mail)
    assert statuses_sent()[-1][0] == "03"  # the sender hears of it through the hub


def _resend(office, env):
    from vanban.connector.accounts import sign_envelope

    receive_package(office.so_khcn, sign_envelope(office.so_noi_vu, edxml.build(env)))
    return incoming.take_received_packages()


def test_an_update_changes_the_document_in_place_and_keeps_its_history(exchange, office):
    outgoing, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    env = edxml.parse(bytes(OutboxItem.objects.filter(kind="envelope").get().package))
    original_id = env.document_id
    env.business = edxml.Business(
        business_doc_type=2, document_id=original_id, business_doc_reason="Cập nhật văn bản điện tử"
    )
    env.document_id = original_id + ",cap-nhat"
    env.subject = "V/v phối hợp triển khai nền tảng số (sửa trích yếu)"
    _resend(office, env)
    assert IncomingDocument.objects.count() == 1
    doc.refresh_from_db()
    assert doc.subject.endswith("(sửa trích yếu)") and doc.so_den == "01" and doc.state == "da-vao-so"
    change = doc.history.get(action="update")
    assert "subject" in change.reason


def test_a_replacement_marks_the_old_document_replaced_and_arrives_as_new(exchange, office):
    outgoing, doc, people = exchange
    env = edxml.parse(bytes(OutboxItem.objects.filter(kind="envelope").get().package))
    env.business = edxml.Business(
        business_doc_type=3,
        business_doc_reason="Văn bản thay thế",
        replacements=[edxml.ReplacementInfo(document_id=env.document_id, organ_ids=["000.00.03.H99"])],
    )
    env.document_id = env.document_id.replace("01/SNV-CCVC", "02/SNV-CCVC")
    env.code = edxml.DocumentCode(code_number="02", code_notation="SNV-CCVC")
    _resend(office, env)
    doc.refresh_from_db()
    new = IncomingDocument.objects.exclude(pk=doc.pk).get()
    assert (doc.state, doc.replaced_by) == ("da-thu-hoi", new)
    assert new.state == "da-den" and new.so_ky_hieu == "02/SNV-CCVC"


def _unit_head(office):
    return directory.create_person(
        None,
        username="tp.khcn",
        password=PASSWORD,
        full_name="Trịnh Văn Phúc",
        agency=office.so_khcn,
        unit=office.hoa.unit,
        roles=["chuyen-vien", "truong-don-vi"],
    )


def test_passing_it_along_inside_the_agency_sends_nothing_and_05_goes_once(exchange, office):
    from vanban.registry.services import handover

    _, doc, people = exchange
    head = _unit_head(office)
    incoming.register(people["van-thu"].user, doc)
    incoming.assign(people["lanh-dao"].user, doc, incoming.AssignmentData(lead_unit=office.hoa.unit))
    handover.reassign(head.user, doc, people["chuyen-vien"])
    incoming.start(people["chuyen-vien"].user, doc)
    handover.forward(people["chuyen-vien"].user, doc, office.hoa)
    incoming.start(office.hoa.user, doc)
    incoming.finish(office.hoa.user, doc, "Đã trả lời nơi gửi.")
    assert [s[0] for s in statuses_sent()] == ["01", "03", "04", "05", "06"]
    assert list(doc.history.values_list("action", "status_sent"))[3:] == [
        ("reassign", ""),
        ("start", "05"),
        ("forward", ""),
        ("start", ""),
        ("finish", "06"),
    ]


def test_assigned_again_after_a_return_the_sender_is_not_told_04_twice(exchange, office):
    from vanban.registry.services import handover

    _, doc, people = exchange
    incoming.register(people["van-thu"].user, doc)
    leader = people["lanh-dao"].user
    incoming.assign(leader, doc, incoming.AssignmentData(lead_person=people["chuyen-vien"]))
    handover.hand_back(people["chuyen-vien"].user, doc, "Không thuộc chức năng của phòng")
    incoming.assign(leader, doc, incoming.AssignmentData(lead_person=office.hoa))
    assert [s[0] for s in statuses_sent()] == ["01", "03", "04"]
