"""What the connector learnt from the hub, applied to outgoing documents: each recipient
agency's processing statuses (01 received … 06 done, 02 refused, 15/16 answers), and the
outbox's fate (sent to the hub, or refused by it with its reason, shown to the clerk).

Idempotent (a status is applied once, by its source row), so the periodic task may run in
several workers at once.
"""

from __future__ import annotations

from django.db import transaction

from vanban.connector.models import OutboxItem, OutboxState, ReceivedStatus
from vanban.registry.models import OutgoingDocument, Recipient, RecipientStatus
from vanban.registry.states import DeliveryState, RecipientKind



def apply_statuses(limit: int = 500) -> int:
    applied = 0
    done = RecipientStatus.objects.filter(source_id__isnull=False).values("source_id")
    for row in ReceivedStatus.objects.exclude(id__in=done).order_by("id")[:limit]:
        with transaction.atomic():
            recipient = (Recipient.objects.select_for_update(of=("self",))
                         .filter(kind=RecipientKind.AGENCY, agency__code=row.from_code,
                                 document__agency_id=row.agency_id, document__document_id=row.document_id)
                         .first())
            if recipient is None or RecipientStatus.objects.filter(source_id=row.pk).exists():
                continue
            at = row.status_time or row.received_at
            RecipientStatus.objects.create(recipient=recipient, code=row.status_code,
                                           description=row.description[:500], at=at, source_id=row.pk)
            if recipient.last_status_at is None or at >= recipient.last_status_at:
                recipient.last_status, recipient.last_status_at = row.status_code, at
                recipient.save(update_fields=["last_status", "last_status_at"])
            applied += 1
    return applied


def apply_outbox_states() -> int:
    """Recipients still 'being sent' learn whether the hub took or refused the package."""
    changed = 0
    waiting = (Recipient.objects.filter(kind=RecipientKind.AGENCY, delivery=DeliveryState.QUEUED)
               .values_list("document_id", flat=True).distinct())
    refs = {f"registry.outgoing:{pk}": pk for pk in waiting}
    for item in OutboxItem.objects.filter(document_ref__in=list(refs), state__in=[OutboxState.SENT, OutboxState.FAILED]):
        document = OutgoingDocument.objects.get(pk=refs[item.document_ref])
        rows = Recipient.objects.filter(document=document, kind=RecipientKind.AGENCY,
                                        delivery=DeliveryState.QUEUED, agency__code__in=item.recipients)
        if item.state == OutboxState.SENT:
            changed += rows.update(delivery=DeliveryState.SENT, delivery_note="")
        else:
            reason = item.last_error_vi or "Trục liên thông từ chối gói tin."
            changed += rows.update(delivery=DeliveryState.FAILED, delivery_note=f"Trục từ chối: {reason}"[:500])
    return changed
