from pathlib import Path

from vanban.registry import transitions
from vanban.registry.states import OutgoingState

DOC = Path(__file__).resolve().parents[2] / "docs" / "registry.md"


def test_docs_diagram_is_the_table():
    assert transitions.mermaid() in DOC.read_text(encoding="utf-8")


def test_every_state_except_the_start_is_reached_by_some_action():
    targets = {t.target for t in transitions.table().values()}
    assert set(OutgoingState.values) - {OutgoingState.DRAFT} <= targets


def test_issued_and_cancelled_are_final():
    """Nothing moves a document out of issued or cancelled (a recall request keeps it issued)."""
    for t in transitions.table().values():
        if OutgoingState.ISSUED in t.sources or OutgoingState.CANCELLED in t.sources:
            assert t.target is None, t.action
