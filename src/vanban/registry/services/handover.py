"""Assignment at several levels (giao việc nhiều cấp): after the leader's assignment
(:func:`vanban.registry.services.incoming.assign`), the head of the unit it went to gives it
to a person of the unit (:func:`reassign`); the person it waits on forwards it to another
(:func:`forward`), gives it back to whoever gave it to them with a reason (:func:`hand_back`),
or asks someone's opinion (:func:`consult`), who answers (:func:`answer`).

Each is one step of the incoming flow (guard, new state, history row, audit event,
notifications) and one row of the chain (:class:`~vanban.registry.models.AssignmentStep`),
written in one transaction. None sends a status back: edXML has 04 for the leader's
assignment and 05 for processing and nothing for what happens between people of the
receiving agency. A deadline given down the chain is never later than the giver's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from vanban.audit import AuditAction
from vanban.directory.models import Person
from vanban.registry import flow
from vanban.registry.errors import InvalidDocument
from vanban.registry.flow import person_of
from vanban.registry.models import AssignmentStep, IncomingDocument
from vanban.registry.states import StepKind, StepState
from vanban.registry.transitions import acting_name

__all__ = [
    "reassign",
    "forward",
    "hand_back",
    "consult",
    "answer",
    "start_root",
    "mark_current",
    "ChainNode",
    "chain",
    "holder_deadline",
    "giver",
    "open_consultations",
]

LIVE = (StepState.OPEN, StepState.STARTED)


def _locked(doc: IncomingDocument) -> IncomingDocument:
    return flow.locked(flow.INCOMING_FLOW, doc)


def _current(doc: IncomingDocument) -> AssignmentStep | None:
    if doc.current_step_id is None:
        return None
    return AssignmentStep.objects.select_related("reopens", "parent").get(pk=doc.current_step_id)


def _settle(step: AssignmentStep | None, state: str) -> None:
    """The step is over: passed on, returned or answered (nothing else of it changes)."""
    if step is not None:
        step.state = state
        step.save(update_fields=["state"])


def holder_deadline(doc: IncomingDocument) -> dt.date | None:
    """The deadline of whoever the document waits on now: their step's, else the document's."""
    cur = _current(doc)
    holding = cur.holding if cur is not None else None
    return (holding.deadline if holding is not None else None) or doc.deadline


def _deadline(doc: IncomingDocument, wanted: dt.date | None, limit: dt.date | None = None) -> dt.date | None:
    """The deadline of a step given down the chain: the one typed, at most the giver's own
    (``limit``, by default the deadline of whoever holds the document) and not in the past;
    none typed, the giver's own."""
    limit = limit or holder_deadline(doc)
    if wanted is None:
        return limit
    if wanted < timezone.localdate():
        raise InvalidDocument(
            "Hạn xử lý không được trước ngày hôm nay.", "The deadline is in the past.", code="past_deadline"
        )
    if limit is not None and wanted > limit:
        raise InvalidDocument(
            f"Hạn xử lý không được sau hạn của người giao ({limit:%d/%m/%Y}).",
            "The deadline is later than the giver's own.",
            code="deadline_after_giver",
        )
    return wanted


def _colleague(doc: IncomingDocument, person: Person | None, actor: Person, *, none: str) -> Person:
    if person is None:
        raise InvalidDocument(none, "Choose a person.", code="person_required")
    if person.agency_id != doc.agency_id or not person.user.is_active:
        raise InvalidDocument(
            "Người được giao phải là người đang làm việc trong cơ quan của bạn.",
            "The person must be an active member of your agency.",
            code="foreign_assignee",
        )
    if person.pk == actor.pk:
        raise InvalidDocument("Bạn không thể giao cho chính mình.", "Not to yourself.", code="same_person")
    return person


def _step(doc, actor: Person, kind: str, **fields) -> AssignmentStep:
    return AssignmentStep.objects.create(
        document=doc, kind=kind, by=actor, by_name=acting_name(doc, actor, "")[:150], **fields
    )


def _advance(user, doc, action: str, audit_action, step: AssignmentStep, reason: str) -> IncomingDocument:
    return flow.advance(
        flow.INCOMING_FLOW,
        doc,
        action,
        actor=user,
        audit_action=audit_action,
        reason=reason,
        after={
            "step": step.pk,
            "to": step.to_name,
            "deadline": step.deadline.isoformat() if step.deadline else None,
        },
        fields=("lead_person", "lead_unit", "current_step"),
    )


def _text(step: AssignmentStep) -> str:
    """The history row's words: to whom, by when, why."""
    out = f"→ {step.to_name}"
    if step.deadline:
        out += f", hạn {step.deadline:%d/%m/%Y}"
    return out + (f": {step.note}" if step.note else "")


def _close_below(step: AssignmentStep) -> None:
    """Close every live step under ``step`` (a unit head takes a document back)."""
    below = list(step.children.all())
    while below:
        ids = [s.pk for s in below]
        AssignmentStep.objects.filter(pk__in=ids, state__in=LIVE).update(state=StepState.CLOSED)
        below = list(AssignmentStep.objects.filter(parent_id__in=ids))


def _unit_step(doc: IncomingDocument) -> AssignmentStep | None:
    """The leader's latest assignment of the document to its lead unit."""
    return (
        AssignmentStep.objects.filter(document=doc, kind=StepKind.ASSIGN, to_unit_id=doc.lead_unit_id)
        .order_by("-pk")
        .first()
    )


def start_root(doc: IncomingDocument, actor: Person, *, to_person, to_unit, to_name: str, note: str) -> None:
    """The leader's assignment starts a new chain: the live steps of the earlier one close."""
    AssignmentStep.objects.filter(document=doc, state__in=LIVE).update(state=StepState.CLOSED)
    doc.current_step = _step(
        doc,
        actor,
        StepKind.ASSIGN,
        to_person=to_person,
        to_unit=to_unit,
        to_name=to_name[:255],
        deadline=doc.deadline,
        note=note,
    )


def mark_current(doc: IncomingDocument, state: str) -> None:
    """The holder started or finished: their step says so."""
    if doc.current_step_id is not None:
        AssignmentStep.objects.filter(pk=doc.current_step_id).update(state=state)


@transaction.atomic
def reassign(user, doc: IncomingDocument, person: Person | None, *, deadline=None, note: str = "") -> IncomingDocument:
    """The head of the lead unit gives the document to a person of the unit (or, when it is
    already with one, takes it back and gives it to another)."""
    doc = _locked(doc)
    actor = person_of(user)
    flow.guard(flow.INCOMING_FLOW, doc, "reassign", actor=user)
    person = _colleague(doc, person, actor, none="Chọn người xử lý trong đơn vị.")
    if person.unit_id != doc.lead_unit_id:
        raise InvalidDocument(
            "Người xử lý phải thuộc đơn vị được giao.", "The person must belong to the unit.", code="not_in_unit"
        )
    if person.pk == doc.lead_person_id:
        raise InvalidDocument(
            f"Văn bản đang ở {person.full_name}.", "The document is already with them.", code="already_holder"
        )
    unit_step = _unit_step(doc)
    due = _deadline(doc, deadline, (unit_step.deadline if unit_step is not None else None) or doc.deadline)
    cur = _current(doc)
    held_by_head = doc.lead_person_id is None  # else taken back from the person who has it
    if unit_step is not None:
        _settle(unit_step, StepState.PASSED)
        _close_below(unit_step)
    if cur is not None and held_by_head and cur.kind == StepKind.RETURN:
        _settle(cur, StepState.PASSED)
    step = _step(
        doc,
        actor,
        StepKind.REASSIGN,
        parent=cur if held_by_head else unit_step,
        to_person=person,
        to_name=person.full_name,
        deadline=due,
        note=note.strip()[:2000],
    )
    doc.lead_person, doc.current_step = person, step
    return _advance(user, doc, "reassign", AuditAction.INCOMING_REASSIGNED, step, _text(step))


@transaction.atomic
def forward(user, doc: IncomingDocument, person: Person | None, *, deadline=None, note: str = "") -> IncomingDocument:
    """The person the document waits on passes it to another person of the agency."""
    doc = _locked(doc)
    actor = person_of(user)
    flow.guard(flow.INCOMING_FLOW, doc, "forward", actor=user)
    person = _colleague(doc, person, actor, none="Chọn người nhận chuyển tiếp.")
    due = _deadline(doc, deadline)
    cur = _current(doc)
    _settle(cur, StepState.PASSED)
    step = _step(
        doc,
        actor,
        StepKind.FORWARD,
        parent=cur,
        to_person=person,
        to_name=person.full_name,
        deadline=due,
        note=note.strip()[:2000],
    )
    doc.lead_person, doc.current_step = person, step
    return _advance(user, doc, "forward", AuditAction.INCOMING_FORWARDED, step, _text(step))


def giver(doc: IncomingDocument) -> str:
    """Who the document goes back to if the person holding it gives it back."""
    cur = _current(doc)
    giving = cur.holding if cur is not None else None
    if giving is None:
        return "Lãnh đạo cơ quan"
    return giving.by_name


@transaction.atomic
def hand_back(user, doc: IncomingDocument, reason: str) -> IncomingDocument:
    """The person the document waits on gives it back, with the reason, to whoever gave it
    to them: the person who forwarded it, the unit's head, or the leader (then it waits to
    be assigned again)."""
    doc = _locked(doc)
    actor = person_of(user)
    cur = _current(doc)
    giving = cur.holding if cur is not None else None
    to_leader = giving is None or giving.kind == StepKind.ASSIGN
    action = "return_to_leader" if to_leader else "return"
    flow.guard(flow.INCOMING_FLOW, doc, action, actor=user)
    if not reason.strip():
        raise InvalidDocument(
            "Hãy ghi lý do trả lại (không đúng chức năng, thiếu hồ sơ...).",
            "A reason is required.",
            code="reason_required",
        )
    back_to = giving.by if giving is not None else None
    reopens = None if to_leader or giving is None or giving.parent is None else giving.parent.holding
    for returned in (cur, giving):
        _settle(returned, StepState.RETURNED)
    step = _step(
        doc,
        actor,
        StepKind.RETURN,
        parent=cur,
        reopens=reopens,
        to_person=back_to,
        to_name=back_to.full_name if back_to is not None else "Lãnh đạo cơ quan",
        deadline=reopens.deadline if reopens is not None else None,
        note=reason.strip()[:2000],
    )
    if to_leader:
        doc.lead_person = doc.lead_unit = None
    elif reopens is not None:
        doc.lead_person, doc.lead_unit = reopens.to_person, reopens.to_unit or doc.lead_unit
    doc.current_step = step
    return _advance(user, doc, action, AuditAction.INCOMING_RETURNED, step, _text(step))


@transaction.atomic
def consult(user, doc: IncomingDocument, person: Person | None, question: str, *, deadline=None) -> AssignmentStep:
    """The person the document waits on asks someone of the agency for an opinion; the
    document stays with them."""
    doc = _locked(doc)
    actor = person_of(user)
    flow.guard(flow.INCOMING_FLOW, doc, "consult", actor=user)
    person = _colleague(doc, person, actor, none="Chọn người được xin ý kiến.")
    if not question.strip():
        raise InvalidDocument("Hãy ghi nội dung xin ý kiến.", "A question is required.", code="question_required")
    step = _step(
        doc,
        actor,
        StepKind.CONSULT,
        parent=_current(doc),
        to_person=person,
        to_name=person.full_name,
        deadline=_deadline(doc, deadline) if deadline is not None else None,  # an opinion needs no deadline
        note=question.strip()[:2000],
    )
    _advance(user, doc, "consult", AuditAction.INCOMING_CONSULTED, step, _text(step))
    return step


def open_consultations(doc: IncomingDocument, person: Person):
    """The requests for an opinion on the document that wait on ``person``, oldest first."""
    return AssignmentStep.objects.filter(document=doc, kind=StepKind.CONSULT, state=StepState.OPEN, to_person=person)


@transaction.atomic
def answer(user, doc: IncomingDocument, text: str, consultation: AssignmentStep | None = None) -> AssignmentStep:
    """The person asked gives their opinion (to ``consultation``, else the oldest asked of them)."""
    doc = _locked(doc)
    actor = person_of(user)
    flow.guard(flow.INCOMING_FLOW, doc, "answer", actor=user)
    asked = open_consultations(doc, actor)
    target = asked.filter(pk=consultation.pk).first() if consultation is not None else asked.first()
    if target is None:
        raise InvalidDocument(
            "Không có đề nghị xin ý kiến nào đang chờ bạn.", "No request waits on you.", code="no_consultation"
        )
    if not text.strip():
        raise InvalidDocument("Hãy ghi ý kiến của bạn.", "An opinion is required.", code="answer_required")
    _settle(target, StepState.ANSWERED)
    step = _step(
        doc,
        actor,
        StepKind.ANSWER,
        parent=target,
        to_person=target.by,
        to_name=target.by_name,
        state=StepState.ANSWERED,
        note=text.strip()[:2000],
    )
    _advance(user, doc, "answer", AuditAction.INCOMING_ANSWERED, step, _text(step))
    return step


@dataclass
class ChainNode:
    """A step and the steps that continue it, for the document's page."""

    step: AssignmentStep
    depth: int
    current: bool
    children: list[ChainNode] = field(default_factory=list)


def chain(doc: IncomingDocument) -> list[ChainNode]:
    """The document's chain of assignment as a flat list in tree order (each node with its
    depth), the leader's assignments first, the latest last."""
    steps = list(AssignmentStep.objects.filter(document=doc).select_related("to_person", "to_unit"))
    nodes = {s.pk: ChainNode(s, 0, s.pk == doc.current_step_id) for s in steps}
    roots: list[ChainNode] = []
    for s in steps:
        parent = nodes.get(s.parent_id) if s.parent_id else None
        (parent.children if parent is not None else roots).append(nodes[s.pk])
    out: list[ChainNode] = []

    def walk(node: ChainNode, depth: int) -> None:
        node.depth = depth
        out.append(node)
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return out
