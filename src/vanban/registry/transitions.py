"""Transition tables of the registry's flows (data files under ``data/``) and their guard.

Each table says, for each action, the states it may start from, the state it leads to and
who may take it; :meth:`TransitionTable.check` refuses anything else with a Vietnamese (and
English) message, before anything changes. ``OUTGOING`` and ``INCOMING`` are the two flows;
the module-level functions are the outgoing table's, for brevity at the call sites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.db.models import TextChoices

from vanban.edxml import StatusCode
from vanban.registry.errors import TransitionRefused
from vanban.registry.states import IncomingState, OutgoingState

DATA = Path(__file__).with_name("data")
WHO_VI = {
    "drafter": "người soạn thảo",
    "signer": "người ký được chỉ định (hoặc người được ủy quyền ký)",
    "delegate:phan-cong": "người được ủy quyền phân công",
    "lead": "người đang được giao xử lý",
    "holder": "người đang được giao xử lý",
    "unit-head": "trưởng đơn vị được giao",
    "consulted": "người được xin ý kiến",
    "helper": "người hoặc đơn vị phối hợp",
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    who: tuple[str, ...]
    status: str = ""  # the edXML status sent back (incoming flow)


def _assigned(document, person, role: str) -> bool:
    return any(
        (a.person_id == person.pk) or (a.unit_id and a.unit_id == person.unit_id)
        for a in document.assignments.all()
        if a.role == role
    )


def holds(document, person) -> bool:
    """Whether the document waits on ``person`` now: the person it was given to; given to a
    unit (no person yet), the unit's head, or any member of a unit that has no head."""
    from vanban.directory.queries import is_unit_head, unit_heads

    if document.lead_person_id is not None:
        return document.lead_person_id == person.pk
    if document.lead_unit_id is None or person.unit_id != document.lead_unit_id:
        return False
    if is_unit_head(person, document.lead_unit_id):
        return True
    headless = document.__dict__.get("_lead_unit_headless")  # a guard asks several times a page
    if headless is None or headless[0] != document.lead_unit_id:
        headless = document.__dict__["_lead_unit_headless"] = (
            document.lead_unit_id,
            not unit_heads(document.lead_unit_id).exists(),
        )
    return headless[1]


def _consulted(document, person) -> bool:
    from vanban.registry.states import StepKind, StepState

    return document.steps.filter(kind=StepKind.CONSULT, state=StepState.OPEN, to_person=person).exists()


def delegation_for(person, scope: str, delegator_id: int | None = None):
    """The deputy's active delegation of ``scope`` (from ``delegator_id`` when given), or None."""
    from django.utils import timezone

    from vanban.registry.models import Delegation

    today = timezone.localdate()
    qs = Delegation.objects.filter(
        deputy=person, scope=scope, starts_on__lte=today, ends_on__gte=today, delegator__agency_id=person.agency_id
    ).select_related("delegator")
    if delegator_id is not None:
        qs = qs.filter(delegator_id=delegator_id)
    return qs.first()


def allowed_by(document, person, spec: str) -> bool:
    if person is None or person.agency_id != document.agency_id:
        return False
    if spec == "drafter":
        return document.drafter_id == person.pk
    if spec == "signer":
        return document.signer_id == person.pk or delegation_for(person, "ky", document.signer_id) is not None
    if spec.startswith("delegate:"):
        return delegation_for(person, spec[9:]) is not None
    if spec in ("lead", "holder"):
        return holds(document, person)
    if spec == "unit-head":
        from vanban.directory.queries import is_unit_head

        return is_unit_head(person, document.lead_unit_id)
    if spec == "consulted":
        return _consulted(document, person)
    if spec == "helper":
        return _assigned(document, person, "phoi-hop")
    if spec.startswith("role:"):
        return person.has_role(spec[5:])
    return False


class TransitionTable:
    def __init__(self, file: Path, states: type[TextChoices]) -> None:
        self.file = file
        self.states = states

    @cached_property
    def rows(self) -> dict[str, Transition]:
        data = json.loads(self.file.read_text(encoding="utf-8"))
        valid = {s.value for s in self.states}
        out = {}
        for row in data["transitions"]:
            t = Transition(
                row["action"], row["label"], tuple(row["from"]), row["to"], tuple(row["who"]), row.get("status", "")
            )
            bad = [s for s in (*t.sources, t.target) if s is not None and s not in valid]
            if bad:
                raise ValueError(f"unknown state(s) {bad} in {self.file.name}, action {t.action}")
            if t.status and t.status not in {c.value for c in StatusCode}:
                raise ValueError(f"unknown edXML status {t.status!r} in {self.file.name}, action {t.action}")
            out[t.action] = t
        return out

    def can(self, document, person, action: str) -> bool:
        t = self.rows[action]
        return document.state in t.sources and any(allowed_by(document, person, w) for w in t.who)

    def check(self, document, person, action: str) -> Transition:
        t = self.rows[action]
        if document.state not in t.sources:
            raise TransitionRefused(
                f"Không thể “{t.label.lower()}” văn bản đang ở trạng thái “{self.states(document.state).label}”.",
                f"Cannot {t.action} a document in state '{document.state}'.",
                code="illegal_transition",
            )
        if not any(allowed_by(document, person, w) for w in t.who):
            who = ", ".join(_who_label(w) for w in t.who)
            raise TransitionRefused(
                f"Bạn không được “{t.label.lower()}” văn bản này; chỉ {who} được làm việc này.",
                f"You may not {t.action} this document.",
                code="not_allowed",
            )
        return t

    def available(self, document, person) -> list[Transition]:
        return [t for t in self.rows.values() if self.can(document, person, t.action)]

    def mermaid(self, start: str, final: str) -> str:
        def ident(state: str) -> str:
            return state.replace("-", "_")

        lines = ["stateDiagram-v2"]
        lines += [f'    state "{s.label}" as {ident(s.value)}' for s in self.states]
        lines.append(f"    [*] --> {ident(start)}")
        for t in self.rows.values():
            if t.target is None:
                continue
            for s in t.sources:
                lines.append(f"    {ident(s)} --> {ident(t.target)}: {t.label}")
        lines.append(f"    {ident(final)} --> [*]")
        return "\n".join(lines)


def acting_name(document, person, action: str) -> str:
    """The person's name, and whose place they act in when under a delegation."""
    delegation = None
    if action == "sign" and getattr(document, "signer_id", None) not in (None, person.pk):
        delegation = delegation_for(person, "ky", document.signer_id)
    elif action == "assign" and not person.has_role("lanh-dao"):
        delegation = delegation_for(person, "phan-cong")
    if delegation is None:
        return person.full_name
    return f"{person.full_name} (thừa ủy quyền {delegation.delegator.full_name})"


def _who_label(spec: str) -> str:
    if spec.startswith("role:"):
        from vanban.directory.models import Role

        role = Role.objects.filter(code=spec[5:]).first()
        return (role.name if role else spec[5:]).lower()
    return WHO_VI.get(spec, spec)


OUTGOING = TransitionTable(DATA / "outgoing_transitions.json", OutgoingState)
INCOMING = TransitionTable(DATA / "incoming_transitions.json", IncomingState)


def table() -> dict[str, Transition]:
    return OUTGOING.rows


def can(document, person, action: str) -> bool:
    return OUTGOING.can(document, person, action)


def check(document, person, action: str) -> Transition:
    return OUTGOING.check(document, person, action)


def available_actions(document, person) -> list[Transition]:
    return OUTGOING.available(document, person)


def mermaid() -> str:
    """The outgoing state diagram (Mermaid), for docs/registry.md."""
    return OUTGOING.mermaid(OutgoingState.DRAFT, OutgoingState.ISSUED)
