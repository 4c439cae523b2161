"""The interface through which the connector talks to a hub, whatever its wire protocol:
send a package or a status, list what arrived (with its bytes), fetch one, acknowledge,
and the hub's per-recipient timeline of what we sent. The hub's own API
(:mod:`.native`) is the first implementation, the national hub's protocol (:mod:`.vdxp`)
the second, so nothing here assumes JSON, cursors as integers or a particular URL layout.

A transport raises :class:`~vanban.transport.TransportError` when the hub gave no answer
at all (always worth retrying) and :class:`~vanban.connector.errors.ConnectorError` for an
answer it cannot use; a refusal of a package is a :class:`Sent` with ``accepted=False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from vanban.errors import DomainError

__all__ = ["HubTransport", "Sent", "ArrivedItem", "Batch"]


@dataclass(frozen=True)
class Sent:
    """The hub's answer to a package or status we sent."""

    accepted: bool
    package_id: str = ""
    duplicate: bool = False
    code: str = ""
    message_vi: str = ""
    message_en: str = ""
    permanent: bool = False
    """A refusal that sending again will not change (the hub refused the package itself)."""
    details: object = None


@dataclass
class ArrivedItem:
    """One package waiting for us at the hub."""

    package_id: str
    kind: str  # "envelope" or "status"
    sha256: str  # "" when the protocol gives no digest (VDXP): nothing to compare the bytes with
    cursor: str
    data: bytes | None = None  # None: the hub did not send the bytes (fetch them)


@dataclass
class Batch:
    items: list[ArrivedItem] = field(default_factory=list)
    hub_wait: float | None = None
    """The longest wait the hub allows (``X-Hub-Wait-Max``); None when it cannot wait."""


class HubTransport(Protocol):
    """What the connector needs of a hub."""

    name: str

    def send_package(self, data: bytes) -> Sent: ...

    def send_status(self, data: bytes) -> Sent: ...

    def arrivals(self, *, after: str | None = None, limit: int = 100, wait: float = 0.0) -> Batch:
        """What waits for us after ``after`` (a cursor from an earlier item), with the bytes
        where the protocol allows; ``wait`` seconds to hold the request when nothing waits
        (a hub that cannot wait answers at once)."""
        ...

    def fetch(self, package_id: str) -> bytes: ...

    def ack(self, package_ids: list[str]) -> None: ...

    def report_secret(self, package_id: str, *, level: str, where: str) -> None: ...

    def refuse(self, package_id: str, reason: DomainError) -> None:
        """What the hub delivered cannot be read (fetching it again gives the same bytes):
        tell the hub, where the protocol has a way, so that it stops delivering it."""
        ...

    def timeline(self, package_id: str) -> dict: ...
