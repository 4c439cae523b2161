"""The outbox: what this office sends to its hub (documents and statuses), queued inside
the step that decides to send (it commits or rolls back with it), sent by a worker task
after the commit, with backoff while the hub is unreachable. A refusal that will not get
better by retrying (the hub refused the package, the agency has no signing key) is not
retried."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.connector import conf, transports
from vanban.connector.accounts import account_for, signing_identity
from vanban.connector.errors import ConnectorError, HubUnavailable
from vanban.connector.models import OutboxItem, OutboxKind, OutboxState
from vanban.edxml import Organization, ResponseFor, StatusCode, StatusMessage, build, sign
from vanban.transport import TransportError

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")

__all__ = ["enqueue_outgoing", "send_item", "send_due", "due_items", "backoff", "make_status", "send_status"]


def enqueue_outgoing(
    agency,
    document_ref: str,
    document_id: str,
    recipients: list[str],
    package_bytes: bytes,
    *,
    kind: str = OutboxKind.ENVELOPE,
    actor=None,
) -> OutboxItem:
    """Queue a signed package for the hub. Call it inside the issuing step's transaction:
    the row commits (or not) with it, and sending starts after the commit."""
    with transaction.atomic():
        item = OutboxItem.objects.create(
            agency=agency,
            kind=kind,
            document_ref=document_ref,
            document_id=document_id,
            recipients=list(recipients),
            package=package_bytes,
            sha256=hashlib.sha256(package_bytes).hexdigest(),
            next_attempt_at=timezone.now(),
        )
        audit.record(
            actor,
            AuditAction.CONNECTOR_OUTBOX_ENQUEUED,
            item,
            object_label=f"{kind} {document_id}"[:255],
            after={
                "document_ref": document_ref,
                "document_id": document_id,
                "recipients": list(recipients),
                "sha256": item.sha256,
            },
        )
        from vanban.connector.tasks import send_outbox_item

        item_id = item.pk
        transaction.on_commit(lambda: _enqueue(send_outbox_item, item_id))
    return item


def _enqueue(task, *args) -> None:
    try:
        task.enqueue(*args)
    except Exception:  # flush_outbox picks it up
        logger.exception("could not enqueue %s", task)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(conf.backoff_max(), 2.0 ** max(0, attempts - 1)))


def _due() -> Q:
    now = timezone.now()
    return (Q(state=OutboxState.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))) | (
        Q(state=OutboxState.SENDING) & Q(claimed_until__lt=now)
    )


def due_items(limit: int = 200) -> list[int]:
    return list(OutboxItem.objects.filter(_due()).order_by("id").values_list("id", flat=True)[:limit])


def send_due(limit: int = 200) -> int:
    """Send the due items, oldest first; returns how many were sent. Once one item of an
    agency could not be sent for a reason that may pass (hub down, slow, answering 500),
    that agency's other items wait for a later round: a down hub gets one try per agency
    per round, each item backing off on its own, instead of every item at once."""
    sent = 0
    held: set[int] = set()
    for item_id, agency_id in OutboxItem.objects.filter(_due()).order_by("id").values_list("id", "agency_id")[:limit]:
        if agency_id in held:
            continue
        state = send_item(item_id)
        if state == OutboxState.SENT:
            sent += 1
        elif state == OutboxState.PENDING:
            held.add(agency_id)
    return sent


def send_item(item_id: int) -> str:
    """Try to send one outbox item now; returns its state afterwards."""
    now = timezone.now()
    if (
        not OutboxItem.objects.filter(pk=item_id)
        .filter(_due())
        .update(state=OutboxState.SENDING, claimed_until=now + dt.timedelta(seconds=conf.lease_seconds()))
    ):
        return OutboxItem.objects.filter(pk=item_id).values_list("state", flat=True).first() or "missing"
    item = OutboxItem.objects.get(pk=item_id)
    try:
        hub = transports.for_account(account_for(item.agency_id))
        try:
            sent = (
                hub.send_package(bytes(item.package))
                if item.kind == OutboxKind.ENVELOPE
                else hub.send_status(bytes(item.package))
            )
        except TransportError as exc:
            raise HubUnavailable(str(exc)) from None
    except ConnectorError as exc:
        if not exc.retryable:
            return _fail(item, exc.code, exc.message_vi, exc.message_en, None)
        return _retry(item, exc.code, exc.message_vi, exc.message_en)
    if sent.accepted:
        with transaction.atomic():
            OutboxItem.objects.filter(pk=item.pk).update(
                state=OutboxState.SENT,
                hub_package_id=sent.package_id,
                sent_at=timezone.now(),
                attempts=item.attempts + 1,
                claimed_until=None,
                last_error_code="",
                last_error_vi="",
                last_error_en="",
            )
            audit.record(
                None,
                AuditAction.CONNECTOR_OUTBOX_SENT,
                item,
                object_label=item.document_id[:255],
                after={"hub_package_id": sent.package_id or None, "duplicate": sent.duplicate},
            )
        return OutboxState.SENT
    if sent.permanent:
        return _fail(item, sent.code, sent.message_vi, sent.message_en, sent.details)
    return _retry(item, sent.code, sent.message_vi, sent.message_en)


def _fail(item: OutboxItem, code: str, vi: str, en: str, details) -> str:
    with transaction.atomic():
        OutboxItem.objects.filter(pk=item.pk).update(
            state=OutboxState.FAILED,
            attempts=item.attempts + 1,
            claimed_until=None,
            last_error_code=code[:64],
            last_error_vi=vi,
            last_error_en=en,
        )
        audit.record(
            None,
            AuditAction.CONNECTOR_OUTBOX_FAILED,
            item,
            object_label=item.document_id[:255],
            after={"code": code, "message_vi": vi, "details": details},
        )
    return OutboxState.FAILED


def _retry(item: OutboxItem, code: str, vi: str, en: str) -> str:
    attempts = item.attempts + 1
    OutboxItem.objects.filter(pk=item.pk).update(
        state=OutboxState.PENDING,
        attempts=attempts,
        claimed_until=None,
        next_attempt_at=timezone.now() + backoff(attempts),
        last_error_code=code[:64],
        last_error_vi=vi,
        last_error_en=en,
    )
    logger.info("outbox item %s not sent (%s), attempt %s", item.pk, code, attempts)
    return OutboxState.PENDING


# --- statuses we send -------------------------------------------------------------------------


def make_status(
    agency,
    *,
    original_sender: str,
    document_id: str,
    status_code: StatusCode | str,
    description: str = "",
    code: str | None = None,
    promulgation_date: dt.date | None = None,
) -> StatusMessage:
    return StatusMessage(
        sender=Organization(organ_id=agency.code, organ_name=agency.name),
        response_for=ResponseFor(
            organ_id=original_sender, code=code, promulgation_date=promulgation_date, document_id=document_id
        ),
        status_code=StatusCode(status_code).value,
        description=description or None,
        timestamp=timezone.now().astimezone(VN).replace(tzinfo=None, microsecond=0),
    )


def send_status(agency, status_message: StatusMessage, *, actor=None) -> OutboxItem:
    """Sign a status message with the agency's key and queue it (document_ref ``status:<code>``)."""
    account = account_for(agency.pk)
    data = sign(build(status_message), signing_identity(account))
    rf = status_message.response_for
    return enqueue_outgoing(
        agency,
        f"status:{status_message.status_code}",
        rf.document_id or "",
        [rf.organ_id or ""],
        data,
        kind=OutboxKind.STATUS,
        actor=actor,
    )
