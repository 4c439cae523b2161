"""What other apps may ask of the connector, with typed results (re-exported by
:mod:`vanban.connector`): send a document or a status, the arrivals and statuses since a
cursor, the delivery state and the hub's timeline of what was sent, the secret documents
refused. Callers name what they send by an opaque ``reference`` of their own; the
connector stores it and answers by it, and never reads it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from vanban.connector import accounts, outbox, transports
from vanban.connector.errors import ConnectorError
from vanban.connector.models import OutboxItem, OutboxKind, OutboxState, ReceivedPackage, ReceivedState, ReceivedStatus
from vanban.edxml import Envelope, StaffInfo, StatusCode, from_dict
from vanban.transport import TransportError

logger = logging.getLogger(__name__)

__all__ = [
    "Queued",
    "ArrivedFile",
    "ArrivedDocument",
    "ArrivedStatus",
    "Delivery",
    "SecretRefusal",
    "send_document",
    "sign_envelope",
    "send_status",
    "arrivals",
    "mark_taken",
    "statuses",
    "delivery_states",
    "timelines",
    "secret_refusals",
]


@dataclass(frozen=True)
class Queued:
    """A package queued for the hub."""

    outbox_id: int
    reference: str


@dataclass(frozen=True)
class ArrivedFile:
    content_id: str
    name: str
    content_type: str
    sha256: str
    """In the one store (:mod:`vanban.storage`): read it with ``vanban.storage.get_bytes``."""
    size: int


@dataclass(frozen=True)
class ArrivedDocument:
    """An envelope that arrived from the hub, as read once on arrival."""

    id: int
    agency_id: int
    envelope: Envelope
    """The header (its ``attachments`` are in :attr:`files`)."""
    files: list[ArrivedFile]
    verified: bool
    verification: dict[str, Any]
    hub_package_id: str


@dataclass(frozen=True)
class ArrivedStatus:
    id: int
    agency_id: int
    document_id: str
    from_code: str
    status: StatusCode
    description: str
    at: dt.datetime


@dataclass(frozen=True)
class Delivery:
    """What became of a package sent under one reference."""

    reference: str
    sent: bool
    refused: bool
    recipients: list[str]
    hub_package_id: str = ""
    reason_vi: str = ""


@dataclass(frozen=True)
class SecretRefusal:
    """A secret document that arrived electronically and was refused (02 sent, nothing kept)."""

    sender_code: str
    document_id: str
    code_notation: str
    subject: str
    received_at: dt.datetime
    verification: dict[str, Any] = field(default_factory=dict)


def sign_envelope(agency, envelope: bytes) -> bytes:
    """``envelope`` XML-signed with the key of the agency's hub account (slow: do it before
    taking locks). :class:`ConnectorError` when the agency cannot send (no hub account, no
    signing key)."""
    return accounts.sign_envelope(agency, envelope)


def send_document(
    agency,
    *,
    reference: str,
    document_id: str,
    recipients: list[str],
    envelope: bytes,
    signed: bool = False,
    actor=None,
) -> Queued:
    """Queue ``envelope`` for the hub inside the caller's transaction (sending starts after
    the commit), signing it first unless ``signed`` (from :func:`sign_envelope`).
    :class:`ConnectorError` when the agency cannot send (no hub account, no signing key)."""
    package = envelope if signed else accounts.sign_envelope(agency, envelope)
    item = outbox.enqueue_outgoing(agency, reference, document_id, recipients, package, actor=actor)
    return Queued(item.pk, reference)


def send_status(
    agency,
    *,
    to: str,
    document_id: str,
    status: StatusCode,
    description: str = "",
    code: str | None = None,
    promulgation_date: dt.date | None = None,
    staff: StaffInfo | None = None,
    actor=None,
) -> Queued:
    """Sign and queue a status about document ``document_id`` of agency ``to``."""
    message = outbox.make_status(
        agency,
        original_sender=to,
        document_id=document_id,
        status_code=status,
        description=description[:500],
        code=code,
        promulgation_date=promulgation_date,
    )
    if staff is not None:
        message.staff_info = staff
    item = outbox.send_status(agency, message, actor=actor)
    return Queued(item.pk, item.document_ref)


def _arrived(row: ReceivedPackage) -> ArrivedDocument | None:
    if not row.header:
        return None
    try:
        envelope = from_dict({**row.header, "attachments": []})
    except Exception:  # noqa: BLE001 - a header this version cannot read is skipped, not fatal
        logger.warning("arrival %s: header unreadable", row.pk)
        return None
    if not isinstance(envelope, Envelope):
        return None
    files = [
        ArrivedFile(a["content_id"], a["name"], a["content_type"], a["sha256"], int(a.get("size") or 0))
        for a in row.attachments
    ]
    return ArrivedDocument(row.pk, row.agency_id, envelope, files, row.verified, row.verification, row.hub_package_id)


def arrivals(after: int = 0, limit: int = 100) -> list[ArrivedDocument]:
    """Envelopes that arrived and are not yet taken (:func:`mark_taken`), after cursor
    ``after`` (an earlier :attr:`ArrivedDocument.id`), in arrival order: verified ones and
    those whose signature failed (:attr:`ArrivedDocument.verified` says which), not the
    secret ones, which were refused."""
    rows = ReceivedPackage.objects.filter(
        id__gt=after, state__in=[ReceivedState.NEW, ReceivedState.QUARANTINED]
    ).order_by("id")[:limit]
    return [a for a in (_arrived(r) for r in rows) if a is not None]


def mark_taken(arrival_ids: Iterable[int]) -> None:
    """The caller has made documents of these arrivals: :func:`arrivals` no longer lists them
    (whether their signature held stays on the row)."""
    ReceivedPackage.objects.filter(
        id__in=list(arrival_ids), state__in=[ReceivedState.NEW, ReceivedState.QUARANTINED]
    ).update(state=ReceivedState.TAKEN)


def statuses(after: int = 0, limit: int = 500) -> list[ArrivedStatus]:
    """Statuses received after cursor ``after``, in arrival order."""
    out = []
    for row in ReceivedStatus.objects.filter(id__gt=after).order_by("id")[:limit]:
        try:
            code = StatusCode(row.status_code)
        except ValueError:  # the hub checked it; a code this version does not know is skipped
            logger.warning("status %s: unknown code %r skipped", row.pk, row.status_code)
            continue
        at = row.status_time or row.received_at
        out.append(ArrivedStatus(row.pk, row.agency_id, row.document_id, row.from_code, code, row.description, at))
    return out


def delivery_states(references: Iterable[str]) -> dict[str, Delivery]:
    """For each reference with a package the hub took or refused, what became of it."""
    out: dict[str, Delivery] = {}
    items = OutboxItem.objects.filter(
        kind=OutboxKind.ENVELOPE, document_ref__in=list(references), state__in=[OutboxState.SENT, OutboxState.FAILED]
    ).order_by("id")
    for item in items:
        out[item.document_ref] = Delivery(
            item.document_ref,
            sent=item.state == OutboxState.SENT,
            refused=item.state == OutboxState.FAILED,
            recipients=list(item.recipients),
            hub_package_id=item.hub_package_id,
            reason_vi=item.last_error_vi
            or ("Trục liên thông từ chối gói tin." if item.state == OutboxState.FAILED else ""),
        )
    return out


def timelines(references: Iterable[str], *, since: dt.datetime | None = None) -> dict[str, dict]:
    """The hub's per-recipient timeline of each package sent under these references (those
    the hub could not give are left out)."""
    items = OutboxItem.objects.filter(
        kind=OutboxKind.ENVELOPE, state=OutboxState.SENT, document_ref__in=list(references)
    ).exclude(hub_package_id="")
    if since is not None:
        items = items.filter(sent_at__gte=since)
    out: dict[str, dict] = {}
    hubs: dict[int, transports.HubTransport] = {}
    for item in items.order_by("-sent_at"):
        try:
            if item.agency_id not in hubs:
                hubs[item.agency_id] = transports.for_account(accounts.account_for(item.agency_id))
            out[item.document_ref] = hubs[item.agency_id].timeline(item.hub_package_id)
        except (ConnectorError, TransportError, ValueError) as exc:
            logger.info("timeline of %s not available: %s", item.hub_package_id, type(exc).__name__)
    return out


def secret_refusals(agency_id: int, *, days: int = 90, limit: int = 50) -> list[SecretRefusal]:
    since = timezone.now() - dt.timedelta(days=days)
    rows = ReceivedPackage.objects.filter(
        agency_id=agency_id, state=ReceivedState.SECRET, received_at__gte=since
    ).order_by("-received_at")[:limit]
    return [
        SecretRefusal(r.sender_code, r.document_id, r.code_notation, r.subject, r.received_at, r.verification)
        for r in rows
    ]
