"""The dossier and destruction flows on the registry's flow engine: their transition tables
(data files under ``data/``), who may take each step, and the refusals in the words of a
dossier (the registry's table speaks of documents)."""

from __future__ import annotations

from pathlib import Path

from vanban.records.errors import DisposalRefused, DossierRefused
from vanban.records.states import DisposalState, DossierState
from vanban.registry.flow import Flow
from vanban.registry.transitions import Transition, TransitionTable, allowed_by

__all__ = ["DOSSIER_FLOW", "DISPOSAL_FLOW", "DOSSIERS", "DISPOSALS"]

DATA = Path(__file__).with_name("data")
WHO_VI = {"responsible": "người lập hồ sơ"}


def _allowed(record, person, spec: str) -> bool:
    if person is None or person.agency_id != record.agency_id:
        return False
    if spec == "responsible":
        return getattr(record, "responsible_id", None) == person.pk
    return allowed_by(record, person, spec)


def _who_label(spec: str) -> str:
    if spec.startswith("role:"):
        from vanban.directory.models import Role

        role = Role.objects.filter(code=spec[5:]).first()
        return (role.name if role else spec[5:]).lower()
    return WHO_VI.get(spec, spec)


class RecordsTable(TransitionTable):
    """A transition table whose refusals name what it moves (``noun``: "hồ sơ")."""

    def __init__(self, file: Path, states, noun: str, error: type) -> None:
        super().__init__(file, states)
        self.noun = noun
        self.error = error

    def can(self, document, person, action: str) -> bool:
        t = self.rows[action]
        return document.state in t.sources and any(_allowed(document, person, w) for w in t.who)

    def check(self, document, person, action: str) -> Transition:
        t = self.rows[action]
        if document.state not in t.sources:
            raise self.error(
                f"Không thể “{t.label.lower()}”: {self.noun} đang ở trạng thái “{self.states(document.state).label}”.",
                f"Cannot {t.action} in state {document.state!r}.",
                code="illegal_transition",
            )
        if not any(_allowed(document, person, w) for w in t.who):
            who = ", ".join(_who_label(w) for w in t.who)
            raise self.error(
                f"Bạn không được “{t.label.lower()}” {self.noun} này; chỉ {who} được làm việc này.",
                f"You may not {t.action} this record.",
                code="not_allowed",
            )
        return t


DOSSIERS = RecordsTable(DATA / "dossier_transitions.json", DossierState, "hồ sơ", DossierRefused)
DISPOSALS = RecordsTable(DATA / "disposal_transitions.json", DisposalState, "đợt hủy tài liệu", DisposalRefused)

DOSSIER_FLOW = Flow(
    "dossier",
    DOSSIERS,
    "records.Dossier",
    "records.DossierStateChange",
    related=("agency",),
    indexed=False,
)
DISPOSAL_FLOW = Flow(
    "disposal",
    DISPOSALS,
    "records.DisposalBatch",
    "records.DisposalStateChange",
    related=("agency",),
    indexed=False,
)
