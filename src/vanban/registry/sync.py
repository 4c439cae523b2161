"""What the connector learnt from the hub, applied to outgoing documents: each recipient
agency's processing statuses (01 received … 06 done, 02 refused, 15/16 answers), and the
outbox's fate (sent to the hub, or refused by it with its reason, shown to the clerk).

Reads the connector only through its public names (:mod:`vanban.connector`). Idempotent
(a status is applied once, by its source id), so the periodic task may run in several
workers at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from vanban import connector
from vanban.audit import AuditAction, record
from vanban.edxml import StatusCode
from vanban.registry.models import IncomingDocument, OutgoingDocument, Recipient, RecipientStatus, SyncCursor
from vanban.registry.states import DeliveryState, OutgoingState, RecipientKind

logger = logging.getLogger(__name__)

__all__ = ["reference_for", "apply_statuses", "apply_outbox_states", "refresh_timelines", "HUB_EVENT_NAMES"]

FINISHED = (StatusCode.COMPLETED.value, StatusCode.REJECTED.value)


def reference_for(document: OutgoingDocument | int) -> str:
    """The reference under which an outgoing document is sent (opaque to the connector)."""
    pk = document if isinstance(document, int) else document.pk
    return f"registry.outgoing:{pk}"


def apply_statuses(limit: int = 500) -> int:
    """Apply received statuses in arrival order, once: a recipient's status onto our
    outgoing document, or a sender's take-back request (13) onto our incoming document."""
    applied = 0
    with transaction.atomic():
        cursor, _ = SyncCursor.objects.get_or_create(name="received_status")
        cursor = SyncCursor.objects.select_for_update().get(pk=cursor.pk)
        for status in connector.statuses(after=cursor.last_id, limit=limit):
            if status.status == StatusCode.RECALL_REQUESTED:
                applied += _take_back_request(status)
            else:
                applied += _recipient_status(status)
            cursor.last_id = status.id
        cursor.save(update_fields=["last_id"])
    return applied


def _recipient_status(status: connector.ArrivedStatus) -> int:
    recipient = (
        Recipient.objects.select_for_update(of=("self",))
        .filter(
            kind=RecipientKind.AGENCY,
            agency__code=status.from_code,
            document__agency_id=status.agency_id,
            document__document_id=status.document_id,
        )
        .first()
    )
    if recipient is None or RecipientStatus.objects.filter(source_id=status.id).exists():
        return 0
    RecipientStatus.objects.create(
        recipient=recipient,
        code=status.status.value,
        description=status.description[:500],
        at=status.at,
        source_id=status.id,
    )
    if recipient.last_status_at is None or status.at >= recipient.last_status_at:
        recipient.last_status, recipient.last_status_at = status.status.value, status.at
        recipient.save(update_fields=["last_status", "last_status_at"])
    return 1


def _take_back_request(status: connector.ArrivedStatus) -> int:
    n = 0
    for doc in IncomingDocument.objects.select_for_update().filter(
        agency_id=status.agency_id,
        sender_code=status.from_code,
        document_id=status.document_id,
        take_back_requested_at__isnull=True,
    ):
        doc.take_back_requested_at, doc.take_back_reason = status.at, status.description[:500]
        doc.save(update_fields=["take_back_requested_at", "take_back_reason", "updated_at"])
        record(None, AuditAction.INCOMING_TAKE_BACK_REQUESTED, doc, after={"reason": doc.take_back_reason})
        n += 1
    return n


def apply_outbox_states() -> int:
    """Recipients still 'being sent' learn whether the hub took or refused the package."""
    changed = 0
    waiting = (
        Recipient.objects.filter(kind=RecipientKind.AGENCY, delivery=DeliveryState.QUEUED)
        .values_list("document_id", flat=True)
        .distinct()
    )
    refs = {reference_for(pk): pk for pk in waiting}
    for ref, state in connector.delivery_states(refs).items():
        rows = Recipient.objects.filter(
            document_id=refs[ref],
            kind=RecipientKind.AGENCY,
            delivery=DeliveryState.QUEUED,
            agency__code__in=state.recipients,
        )
        if state.sent:
            changed += rows.update(delivery=DeliveryState.SENT, delivery_note="")
        else:
            changed += rows.update(
                delivery=DeliveryState.FAILED, delivery_note=f"Trục từ chối: {state.reason_vi}"[:500]
            )
    return changed


HUB_EVENT_NAMES = {
    "accepted": "Trục đã nhận",
    "forwarded": "Đã chuyển tiếp sang trục khác",
    "forward_retry": "Chuyển tiếp lỗi, trục sẽ thử lại",
    "forward_failed": "Chuyển tiếp thất bại",
    "fetched": "Nơi nhận đã tải về",
    "acked": "Nơi nhận xác nhận đã nhận",
    "status": "Trạng thái xử lý",
    "secret": "Nơi nhận báo văn bản mật",
    "recipient_failed": "Nơi nhận báo không nhận được",
    "processing": "Nơi nhận đang xử lý",
}


def _local(iso: str) -> str:
    """``dd/mm/yyyy HH:MM:SS`` in Vietnam time, as pages show times."""
    try:
        return timezone.localtime(dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return iso


def _timeline_complete(recipient: Recipient) -> bool:
    """Nothing more will happen on the hub for this recipient: it acknowledged the document,
    and its final status (06 done, or 02 refused) is on the copied timeline too. (The final
    status reaches the sender's registry through its own pull, often before the timeline is
    copied again: stopping at the status alone left the timeline without its last events.)"""
    events = recipient.hub_events
    return (
        recipient.last_status in FINISHED
        and any(e.get("event") == "acked" for e in events)
        and any(e.get("event") == "status" and e.get("status_code") == recipient.last_status for e in events)
    )


def refresh_timelines(limit: int = 100, max_age: dt.timedelta = dt.timedelta(days=14)) -> int:
    """Copy the hub's per-recipient timeline of recently sent packages onto the recipients,
    so the sender sees, recipient by recipient, what the hub saw (fetched, acked, ...)."""
    since = timezone.now() - max_age
    document_ids = list(
        OutgoingDocument.objects.filter(
            state=OutgoingState.ISSUED,
            recipients__kind=RecipientKind.AGENCY,
            recipients__delivery__in=[DeliveryState.QUEUED, DeliveryState.SENT],
        )
        .order_by("-id")
        .values_list("id", flat=True)
        .distinct()[:limit]
    )
    recipients_of: dict[int, dict[str, Recipient]] = {}
    for r in Recipient.objects.filter(document_id__in=document_ids, kind=RecipientKind.AGENCY).select_related("agency"):
        assert r.agency is not None  # an agency recipient always names its agency (drafting sets it, PROTECT keeps it)
        recipients_of.setdefault(r.document_id, {})[r.agency.code] = r
    unfinished = {
        reference_for(pk): recipients
        for pk, recipients in recipients_of.items()
        if not all(_timeline_complete(r) for r in recipients.values())
    }
    updated = 0
    for ref, timeline in connector.timelines(unfinished, since=since).items():
        recipients = unfinished[ref]
        for delivery in timeline.get("deliveries", []):
            recipient = recipients.get(delivery.get("addressed_code")) or recipients.get(delivery.get("recipient_code"))
            if recipient is None:
                continue
            events = [
                {
                    "event": e.get("event", ""),
                    "name": HUB_EVENT_NAMES.get(e.get("event", ""), e.get("event", "")),
                    "status_code": e.get("status_code", ""),
                    "detail": e.get("detail", ""),
                    "at": e.get("at", ""),
                    "when": _local(e.get("at", "")),
                }
                for e in delivery.get("events", [])
            ]
            if events != recipient.hub_events:
                Recipient.objects.filter(pk=recipient.pk).update(hub_events=events)
                updated += 1
    return updated
