"""The outgoing flow's transition table (``data/outgoing_transitions.json``) and its guard.

The table says, for each action, the states it may start from, the state it leads to and
who may take it; :func:`check` refuses anything else with a Vietnamese (and English)
message, before anything changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vanban.registry.errors import TransitionRefused
from vanban.registry.states import OutgoingState

TABLE_FILE = Path(__file__).with_name("data") / "outgoing_transitions.json"

WHO_VI = {"drafter": "người soạn thảo", "signer": "người ký được chỉ định"}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    who: tuple[str, ...]


@lru_cache(maxsize=1)
def table() -> dict[str, Transition]:
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    out = {}
    valid = {s.value for s in OutgoingState}
    for row in data["transitions"]:
        t = Transition(row["action"], row["label"], tuple(row["from"]), row["to"], tuple(row["who"]))
        bad = [s for s in (*t.sources, t.target) if s is not None and s not in valid]
        if bad:
            raise ValueError(f"unknown state(s) {bad} in {TABLE_FILE.name}, action {t.action}")
        out[t.action] = t
    return out


def _who_label(spec: str) -> str:
    if spec.startswith("role:"):
        from vanban.directory.models import Role

        role = Role.objects.filter(code=spec[5:]).first()
        return (role.name if role else spec[5:]).lower()
    return WHO_VI.get(spec, spec)


def allowed_by(document, person, spec: str) -> bool:
    if person is None or person.agency_id != document.agency_id:
        return False
    if spec == "drafter":
        return document.drafter_id == person.pk
    if spec == "signer":
        return document.signer_id == person.pk
    if spec.startswith("role:"):
        return person.has_role(spec[5:])
    return False


def can(document, person, action: str) -> bool:
    t = table()[action]
    return document.state in t.sources and any(allowed_by(document, person, w) for w in t.who)


def check(document, person, action: str) -> Transition:
    """The transition for ``action``, or :class:`TransitionRefused` saying why not."""
    t = table()[action]
    state_label = OutgoingState(document.state).label
    if document.state not in t.sources:
        raise TransitionRefused(
            f"Không thể “{t.label.lower()}” văn bản đang ở trạng thái “{state_label}”.",
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


def available_actions(document, person) -> list[Transition]:
    return [t for t in table().values() if can(document, person, t.action)]


def mermaid() -> str:
    """The state diagram (Mermaid) of the table, for docs/registry.md."""
    def ident(state: str) -> str:
        return state.replace("-", "_")

    lines = ["stateDiagram-v2"]
    lines += [f'    state "{s.label}" as {ident(s.value)}' for s in OutgoingState]
    lines.append(f"    [*] --> {ident(OutgoingState.DRAFT)}")
    for t in table().values():
        if t.target is None:
            continue
        for s in t.sources:
            lines.append(f"    {ident(s)} --> {ident(t.target)}: {t.label}")
    lines.append(f"    {ident(OutgoingState.ISSUED)} --> [*]")
    return "\n".join(lines)
