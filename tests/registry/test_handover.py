"""Assignment at several levels through the service functions: the leader gives a document to
a unit, the unit's head gives it to a person, who forwards it, gives it back or asks an
opinion; each step's chain row, history row, audit event and notification, and each refusal
with its code."""

import datetime as dt

import pytest
from django.utils import timezone

from vanban.audit.models import AuditEvent
from vanban.directory import services as directory
from vanban.registry.errors import InvalidDocument, TransitionRefused
from vanban.registry.models import Notification
from vanban.registry.queries import my_work, visible_incoming
from vanban.registry.services import handover, incoming

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def team(office):
    """Sở Nội vụ's Phòng Công chức, viên chức: its head Hà, the officers Tuấn and Bình."""
    unit = office.tuan.unit

    def person(username, name, roles):
        return directory.create_person(
            None, username=username, password=PASSWORD, full_name=name, agency=office.so_noi_vu, unit=unit, roles=roles
        )

    office.ha = person("ha", "Ngô Thu Hà", ["chuyen-vien", "truong-don-vi"])
    office.binh = person("binh", "Đặng Văn Bình", ["chuyen-vien"])
    return office


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def doc(team, sample_pdf):
    """A paper document registered by Lan and given by Minh to the unit, due in 10 days."""
    d = incoming.upload_paper(
        team.lan.user, sender_name="Công ty A", subject="V/v đề nghị cấp phép", data=sample_pdf, name="scan.pdf"
    )
    incoming.register(team.lan.user, d)
    incoming.assign(
        team.minh.user,
        d,
        incoming.AssignmentData(lead_unit=team.tuan.unit, deadline=days(10), instructions="Đề xuất phương án."),
    )
    d.refresh_from_db()
    return d


def fresh(d):
    d.refresh_from_db()
    return d


def chain_of(d) -> list[tuple[int, str, str, str, str]]:
    return [(n.depth, n.step.kind, n.step.by_name, n.step.to_name, n.step.state) for n in handover.chain(fresh(d))]


def ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def test_given_to_a_unit_it_waits_on_the_units_head_not_its_officers(team, doc):
    assert doc.pk in ids(my_work(team.ha)["to_assign"])
    assert doc.pk not in ids(my_work(team.tuan)["to_process"])
    with pytest.raises(TransitionRefused) as exc:
        incoming.start(team.tuan.user, doc)
    assert exc.value.code == "not_allowed"


def test_the_head_gives_it_to_an_officer_with_an_earlier_deadline(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan, deadline=days(5), note="Tuấn dự thảo trả lời.")
    d = fresh(doc)
    assert (d.state, d.lead_person, d.lead_unit) == ("da-phan-cong", team.tuan, team.tuan.unit)
    assert chain_of(d) == [
        (0, "phan-cong", "Trần Quang Minh", "Phòng Công chức, viên chức", "da-giao-tiep"),
        (1, "giao-xu-ly", "Ngô Thu Hà", "Vũ Anh Tuấn", "cho-xu-ly"),
    ]
    assert handover.holder_deadline(d) == days(5) and d.deadline == days(10)
    assert doc.pk in ids(my_work(team.tuan)["to_process"]) and doc.pk not in ids(my_work(team.ha)["to_assign"])
    row = d.history.last()
    assert (row.action, row.actor_name, row.status_sent) == ("reassign", "Ngô Thu Hà", "")
    assert f"→ Vũ Anh Tuấn, hạn {days(5):%d/%m/%Y}: Tuấn dự thảo trả lời." == row.reason
    assert AuditEvent.objects.filter(action="registry.incoming.reassigned").count() == 1
    assert Notification.objects.filter(person=team.tuan, kind="duoc-giao").exists()


def test_the_heads_deadline_cannot_be_later_than_the_leaders(team, doc):
    with pytest.raises(InvalidDocument) as exc:
        handover.reassign(team.ha.user, doc, team.tuan, deadline=days(11))
    assert exc.value.code == "deadline_after_giver" and days(10).strftime("%d/%m/%Y") in exc.value.message_vi
    assert fresh(doc).lead_person is None and len(chain_of(doc)) == 1


def test_the_head_gives_only_to_a_person_of_the_unit(team, doc):
    with pytest.raises(InvalidDocument) as exc:
        handover.reassign(team.ha.user, doc, team.lan)
    assert exc.value.code == "not_in_unit"
    with pytest.raises(InvalidDocument) as exc:
        handover.reassign(team.ha.user, doc, team.hoa)
    assert exc.value.code == "foreign_assignee"


def test_only_the_head_of_the_unit_gives_it_out(team, doc):
    with pytest.raises(TransitionRefused) as exc:
        handover.reassign(team.tuan.user, doc, team.binh)
    assert exc.value.code == "not_allowed" and "trưởng đơn vị" in exc.value.message_vi
    with pytest.raises(TransitionRefused):
        handover.reassign(team.hoa.user, doc, team.binh)  # another agency


def test_the_officer_forwards_to_a_colleague_who_then_handles_it(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan, deadline=days(5))
    with pytest.raises(InvalidDocument) as exc:
        handover.forward(team.tuan.user, doc, team.binh, deadline=days(6))
    assert exc.value.code == "deadline_after_giver"
    handover.forward(team.tuan.user, doc, team.binh, note="Anh Bình phụ trách lĩnh vực này.")
    d = fresh(doc)
    assert d.lead_person == team.binh and handover.holder_deadline(d) == days(5)
    assert chain_of(d)[-1] == (2, "chuyen-tiep", "Vũ Anh Tuấn", "Đặng Văn Bình", "cho-xu-ly")
    with pytest.raises(TransitionRefused):
        incoming.start(team.tuan.user, d)  # no longer his
    incoming.start(team.binh.user, d)
    assert chain_of(d)[-1][-1] == "dang-xu-ly"


def test_a_forward_needs_someone_else_of_the_agency(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    for person, code in ((None, "person_required"), (team.tuan, "same_person"), (team.hoa, "foreign_assignee")):
        with pytest.raises(InvalidDocument) as exc:
            handover.forward(team.tuan.user, doc, person)
        assert exc.value.code == code


def test_giving_back_needs_a_reason(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    with pytest.raises(InvalidDocument) as exc:
        handover.hand_back(team.tuan.user, doc, "  ")
    assert exc.value.code == "reason_required"


def test_given_back_it_is_again_the_heads_to_give_out_and_returned_to_her(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    handover.hand_back(team.tuan.user, doc, "Không thuộc lĩnh vực tôi phụ trách")
    d = fresh(doc)
    assert (d.state, d.lead_person, d.lead_unit) == ("da-phan-cong", None, team.tuan.unit)
    assert doc.pk in ids(my_work(team.ha)["returned_to_me"]) and doc.pk in ids(my_work(team.ha)["to_assign"])
    assert chain_of(d)[1:] == [
        (1, "giao-xu-ly", "Ngô Thu Hà", "Vũ Anh Tuấn", "bi-tra-lai"),
        (2, "tra-lai", "Vũ Anh Tuấn", "Ngô Thu Hà", "cho-xu-ly"),
    ]
    assert d.history.last().action == "return" and "Không thuộc lĩnh vực" in d.history.last().reason
    assert Notification.objects.filter(person=team.ha, kind="tra-lai").exists()
    handover.reassign(team.ha.user, d, team.binh)
    assert doc.pk not in ids(my_work(team.ha)["returned_to_me"])
    assert fresh(d).lead_person == team.binh


def test_a_forwarded_document_given_back_goes_to_whoever_forwarded_it(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    handover.forward(team.tuan.user, doc, team.binh)
    handover.hand_back(team.binh.user, doc, "Cần anh Tuấn bổ sung hồ sơ")
    d = fresh(doc)
    assert d.lead_person == team.tuan and doc.pk in ids(my_work(team.tuan)["returned_to_me"])
    handover.hand_back(team.tuan.user, d, "Đề nghị giao người khác")  # and on up to the head
    d = fresh(d)
    assert d.lead_person is None and doc.pk in ids(my_work(team.ha)["returned_to_me"])


def test_the_head_gives_it_back_to_the_leader_and_it_waits_to_be_assigned(team, doc):
    handover.hand_back(team.ha.user, doc, "Đề nghị giao Văn phòng Sở")
    d = fresh(doc)
    assert (d.state, d.lead_unit, d.lead_person) == ("da-vao-so", None, None)
    assert doc.pk in ids(my_work(team.minh)["returned_to_me"]) and doc.pk in ids(my_work(team.minh)["to_assign"])
    assert d.history.last().action == "return_to_leader"
    incoming.assign(team.minh.user, d, incoming.AssignmentData(lead_person=team.lan, deadline=days(8)))
    d = fresh(d)
    assert doc.pk not in ids(my_work(team.minh)["returned_to_me"])
    assert [n.step.state for n in handover.chain(d) if n.depth == 0] == ["bi-tra-lai", "cho-xu-ly"]


def test_asked_for_an_opinion_a_colleague_answers_and_the_document_stays(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    with pytest.raises(InvalidDocument) as exc:
        handover.consult(team.tuan.user, doc, team.lan, "")
    assert exc.value.code == "question_required"
    handover.consult(team.tuan.user, doc, team.lan, "Văn phòng đã nhận hồ sơ gốc chưa?")
    assert doc.pk in ids(my_work(team.lan)["to_answer"])
    with pytest.raises(TransitionRefused):
        handover.answer(team.binh.user, doc, "Tôi không được hỏi")
    handover.answer(team.lan.user, doc, "Đã nhận bản gốc ngày 01/12.")
    d = fresh(doc)
    assert d.lead_person == team.tuan and doc.pk not in ids(my_work(team.lan)["to_answer"])
    assert chain_of(d)[-2:] == [
        (2, "xin-y-kien", "Vũ Anh Tuấn", "Nguyễn Thị Lan", "da-cho-y-kien"),
        (3, "cho-y-kien", "Nguyễn Thị Lan", "Vũ Anh Tuấn", "da-cho-y-kien"),
    ]
    assert Notification.objects.filter(person=team.tuan, kind="cho-y-kien").exists()


def test_a_forwarded_officer_sees_the_document_and_an_outsider_does_not(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    assert doc.pk not in ids(visible_incoming(team.hoa))
    other = directory.create_person(
        None, username="an", password=PASSWORD, full_name="Lý Văn An", agency=team.so_noi_vu, roles=["chuyen-vien"]
    )
    assert doc.pk not in ids(visible_incoming(other))
    handover.forward(team.tuan.user, doc, other)
    assert doc.pk in ids(visible_incoming(other))


def test_the_steps_are_audited_in_order(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    handover.consult(team.tuan.user, doc, team.binh, "Ý kiến của anh?")
    handover.answer(team.binh.user, doc, "Đồng ý phương án.")
    handover.forward(team.tuan.user, doc, team.binh)
    handover.hand_back(team.binh.user, doc, "Trả lại anh Tuấn")
    actions = list(
        AuditEvent.objects.filter(action__startswith="registry.incoming.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-5:] == [
        "registry.incoming.reassigned",
        "registry.incoming.consulted",
        "registry.incoming.answered",
        "registry.incoming.forwarded",
        "registry.incoming.returned",
    ]


def test_given_to_a_unit_with_a_head_only_the_head_is_notified(team, doc):
    told = set(Notification.objects.filter(kind="duoc-giao").values_list("person__full_name", flat=True))
    assert told == {"Ngô Thu Hà"}


def test_a_document_assigned_before_the_chain_existed_gets_its_first_step(team, doc):
    import importlib

    from django.apps import apps

    from vanban.registry.models import AssignmentStep, IncomingDocument

    AssignmentStep.objects.filter(document=doc).delete()  # as the migration finds it
    IncomingDocument.objects.filter(pk=doc.pk).update(current_step=None)
    importlib.import_module("vanban.registry.migrations.0006_assignment_steps").first_steps(apps, None)
    assert chain_of(doc) == [(0, "phan-cong", "Trần Quang Minh", "Phòng Công chức, viên chức", "cho-xu-ly")]
    handover.reassign(team.ha.user, fresh(doc), team.tuan, deadline=days(10))
    assert fresh(doc).lead_person == team.tuan


def test_an_answer_goes_only_to_a_question_asked_of_the_person(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    to_binh = handover.consult(team.tuan.user, doc, team.binh, "Ý kiến của anh?")
    handover.consult(team.tuan.user, doc, team.lan, "Ý kiến của chị?")
    with pytest.raises(InvalidDocument) as exc:
        handover.answer(team.lan.user, doc, "Đồng ý", to_binh)
    assert exc.value.code == "no_consultation"
    with pytest.raises(InvalidDocument) as exc:
        handover.answer(team.lan.user, doc, " ")
    assert exc.value.code == "answer_required"


def test_a_deadline_in_the_past_or_to_the_person_who_has_it_is_refused(team, doc):
    with pytest.raises(InvalidDocument) as exc:
        handover.reassign(team.ha.user, doc, team.tuan, deadline=days(-1))
    assert exc.value.code == "past_deadline"
    handover.reassign(team.ha.user, doc, team.tuan)
    with pytest.raises(InvalidDocument) as exc:
        handover.reassign(team.ha.user, doc, team.tuan)
    assert exc.value.code == "already_holder"


def test_the_head_takes_it_back_from_one_officer_and_gives_it_to_another(team, doc):
    handover.reassign(team.ha.user, doc, team.tuan)
    handover.forward(team.tuan.user, doc, team.lan)
    handover.reassign(team.ha.user, doc, team.binh)
    assert fresh(doc).lead_person == team.binh
    assert [row[1:] for row in chain_of(doc)] == [
        ("phan-cong", "Trần Quang Minh", "Phòng Công chức, viên chức", "da-giao-tiep"),
        ("giao-xu-ly", "Ngô Thu Hà", "Vũ Anh Tuấn", "da-giao-tiep"),  # he passed it on
        ("chuyen-tiep", "Vũ Anh Tuấn", "Nguyễn Thị Lan", "da-dong"),  # taken back from her
        ("giao-xu-ly", "Ngô Thu Hà", "Đặng Văn Bình", "cho-xu-ly"),
    ]
