"""An :class:`Arrival` moving through the named steps of a :class:`Pipeline`.

Modelled on a document consumer's plugin chain: each step reads and fills the arrival,
and raises :class:`StopArrival` to end it early with an outcome (``duplicate``,
``secret``, ``refused``) and, where one was written, the row that records it. Whatever a
step raises besides that propagates: the source decides whether to retry (the hub's
package stays un-acknowledged, a clerk's upload shows the message).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vanban.errors import DomainError

__all__ = ["Arrival", "Step", "StopArrival", "Pipeline"]


@dataclass
class Arrival:
    """What arrived and what the steps learnt of it."""

    source: str
    """Where it came from: ``hub``, ``email`` or ``paper``."""
    data: bytes
    agency: Any = None
    """The receiving agency (an object the steps understand)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Source-specific facts (the hub's package id, the clerk who uploaded it, ...)."""
    package: Any = None
    """The parsed form (an edXML envelope, an e-mail message)."""
    key: str = ""
    """The identity key: the same document twice has the same key."""
    verification: dict[str, Any] = field(default_factory=dict)
    verified: bool = False
    secrecy: Any = None
    stored: dict[str, str] = field(default_factory=dict)
    """What was stored, by role, as SHA-256 digests."""
    result: Any = None
    """What the arrival became (the row or document the last step wrote)."""
    outcome: str = ""
    """``""`` while running, then ``created`` or the :class:`StopArrival` outcome."""
    steps: list[str] = field(default_factory=list)
    """The names of the steps that ran, in order."""


class StopArrival(DomainError):  # noqa: N818 - a control signal, like StopIteration
    """Ends an arrival early, cleanly: not an error of the pipeline. Its ``code`` is the
    outcome (``duplicate``, ``secret``, ``refused``), its message the reason."""

    def __init__(self, outcome: str, reason: str = "", *, result: Any = None) -> None:
        super().__init__(reason or outcome, code=outcome)
        self.outcome = outcome
        self.reason = reason
        self.result = result


Step = Callable[[Arrival], None]


class Pipeline:
    """Named steps run in order on one arrival."""

    def __init__(self, name: str, steps: Sequence[tuple[str, Step]]) -> None:
        self.name = name
        self.steps = tuple(steps)

    @property
    def step_names(self) -> list[str]:
        return [name for name, _ in self.steps]

    def run(self, arrival: Arrival) -> Arrival:
        for name, step in self.steps:
            arrival.steps.append(name)
            try:
                step(arrival)
            except StopArrival as stop:
                arrival.outcome = stop.outcome
                if stop.result is not None:
                    arrival.result = stop.result
                return arrival
        arrival.outcome = arrival.outcome or "created"
        return arrival
