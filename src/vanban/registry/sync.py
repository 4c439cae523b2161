"""What the connector learnt from the hub, applied to outgoing documents: each recipient
agency's processing statuses (01 received … 06 done, 02 refused, 15/16 answers), and the
outbox's fate (sent to the hub, or refused by it with its reason, shown to the clerk).

Idempotent (a status is applied once, by its source row), so the periodic task may run in
several workers at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from vanban.connector.client import TransportError
from vanban.connector.errors import ConnectorError
from vanban.connector.models import OutboxItem, OutboxKind, OutboxState, ReceivedStatus
from vanban.connector.services import fetch_timeline
from vanban.registry.models import OutgoingDocument, Recipient, RecipientStatus
from vanban.registry.states import DeliveryState, RecipientKind


def apply_statuses(limit: int = 500) -> int:
    """Apply received statuses in arrival order, once: a recipient's status onto our
    outgoing document, or a sender's take-back request (13) onto our incoming document."""
    from vanban.registry.models import SyncCursor

    applied = 0
    with transaction.atomic():
        cursor, _ = SyncCursor.objects.get_or_create(name="received_status")
        cursor = SyncCursor.objects.select_for_update().get(pk=cursor.pk)
        rows = list(ReceivedStatus.objects.filter(id__gt=cursor.last_id).order_by("id")[:limit])
        for row in rows:
            at = row.status_time or row.received_at
            if row.status_code == "13":
                applied += _take_back_request(row, at)
            else:
                applied += _recipient_status(row, at)
            cursor.last_id = row.pk
        cursor.save(update_fields=["last_id"])
    return applied


def _recipient_status(row, at) -> int:
    recipient = (
        Recipient.objects.select_for_update(of=("self",))
        .filter(
            kind=RecipientKind.AGENCY,
            agency__code=row.from_code,
            document__agency_id=row.agency_id,
            document__document_id=row.document_id,
        )
        .first()
    )
    if recipient is None or RecipientStatus.objects.filter(source_id=row.pk).exists():
        return 0
    RecipientStatus.objects.create(
        recipient=recipient, code=row.status_code, description=row.description[:500], at=at, source_id=row.pk
    )
    if recipient.last_status_at is None or at >= recipient.last_status_at:
        recipient.last_status, recipient.last_status_at = row.status_code, at
        recipient.save(update_fields=["last_status", "last_status_at"])
    return 1


def _take_back_request(row, at) -> int:
    from vanban.audit import AuditAction, record
    from vanban.registry.models import IncomingDocument

    n = 0
    for doc in IncomingDocument.objects.select_for_update().filter(
        agency_id=row.agency_id,
        sender_code=row.from_code,
        document_id=row.document_id,
        take_back_requested_at__isnull=True,
    ):
        doc.take_back_requested_at, doc.take_back_reason = at, row.description[:500]
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
    refs = {f"registry.outgoing:{pk}": pk for pk in waiting}
    for item in OutboxItem.objects.filter(
        document_ref__in=list(refs), state__in=[OutboxState.SENT, OutboxState.FAILED]
    ):
        document = OutgoingDocument.objects.get(pk=refs[item.document_ref])
        rows = Recipient.objects.filter(
            document=document,
            kind=RecipientKind.AGENCY,
            delivery=DeliveryState.QUEUED,
            agency__code__in=item.recipients,
        )
        if item.state == OutboxState.SENT:
            changed += rows.update(delivery=DeliveryState.SENT, delivery_note="")
        else:
            reason = item.last_error_vi or "Trục liên thông từ chối gói tin."
            changed += rows.update(delivery=DeliveryState.FAILED, delivery_note=f"Trục từ chối: {reason}"[:500])
    return changed


logger = logging.getLogger(__name__)
HUB_EVENT_NAMES = {
    "accepted": "Trục đã nhận",
    "forwarded": "Đã chuyển tiếp sang trục khác",
    "forward_retry": "Chuyển tiếp lỗi, trục sẽ thử lại",
    "forward_failed": "Chuyển tiếp thất bại",
    "fetched": "Nơi nhận đã tải về",
    "acked": "Nơi nhận xác nhận đã nhận",
    "status": "Trạng thái xử lý",
}


def _local(iso: str) -> str:
    """``dd/mm/yyyy HH:MM:SS`` in Vietnam time, as pages show times."""
    try:
        return timezone.localtime(dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return iso


def refresh_timelines(limit: int = 100, max_age: dt.timedelta = dt.timedelta(days=14)) -> int:
    """Copy the hub's per-recipient timeline of recently sent packages onto the recipients,
    so the sender sees, recipient by recipient, what the hub saw (fetched, acked, ...)."""
    since = timezone.now() - max_age
    items = (
        OutboxItem.objects.filter(
            kind=OutboxKind.ENVELOPE,
            state=OutboxState.SENT,
            sent_at__gte=since,
            document_ref__startswith="registry.outgoing:",
        )
        .exclude(hub_package_id="")
        .order_by("-sent_at")[:limit]
    )
    updated = 0
    for item in items:
        document_pk = int(item.document_ref.split(":", 1)[1])
        recipients = {
            r.agency.code: r
            for r in Recipient.objects.filter(document_id=document_pk, kind=RecipientKind.AGENCY).select_related(
                "agency"
            )
        }
        if recipients and all(
            r.last_status in ("06", "02") and any(e.get("event") == "acked" for e in r.hub_events)
            for r in recipients.values()
        ):
            continue  # finished: nothing more will happen
        try:
            timeline = fetch_timeline(item)
        except (ConnectorError, TransportError, ValueError) as exc:
            logger.info("timeline of %s not available: %s", item.hub_package_id, type(exc).__name__)
            continue
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
