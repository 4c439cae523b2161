"""Background work of the hub: forwarding packages to other hubs, with retries.

``forward_package`` runs right after a package with remote recipients commits;
``forward_due`` (periodic) retries what is due and picks up anything whose task was lost.
Both are idempotent: the receiving hub answers a package it already has with its first id.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.exchange import conf, storage
from vanban.exchange.client import TransportError, api_url, request
from vanban.exchange.models import Delivery, DeliveryEvent, DeliveryState, Package, PackageKind, TimelineEvent

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=120)
BACKOFF_BASE = 2.0
BACKOFF_MAX = 600.0


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(BACKOFF_MAX, BACKOFF_BASE * (2 ** max(0, attempts - 1))))


def forward(package_id: str) -> int:
    """Forward the due deliveries of one package, one request per peer hub."""
    now = timezone.now()
    package = Package.objects.filter(pk=package_id).first()
    if package is None:
        return 0
    due = list(
        Delivery.objects.filter(package=package, state=DeliveryState.FORWARDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("peer")
    )
    by_peer: dict[int, list[Delivery]] = {}
    for d in due:
        assert d.peer_id is not None  # forwarding deliveries go to a peer hub
        by_peer.setdefault(d.peer_id, []).append(d)
    done = 0
    for group in by_peer.values():
        ids = [d.pk for d in group]
        # lease: another worker running the same sweep skips these for a while
        claimed = (
            Delivery.objects.filter(pk__in=ids, state=DeliveryState.FORWARDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .update(next_attempt_at=now + LEASE)
        )
        if not claimed:
            continue
        done += _forward_group(package, group)
    return done


def _forward_group(package: Package, group: list[Delivery]) -> int:
    peer = group[0].peer
    assert peer is not None  # grouped by peer
    path = "packages" if package.kind == PackageKind.ENVELOPE else "status"
    headers = {
        "X-Vanban-Trace": ",".join(package.trace),
        "X-Vanban-Recipients": ",".join(d.recipient_code for d in group),
    }
    try:
        answer = request(
            "POST", api_url(peer.base_url, path), token=peer.token, data=storage.load(package.sha256), headers=headers
        )
    except TransportError as exc:
        _retry(group, f"không kết nối được trục {peer.code}: {exc}")
        return 0
    body = answer.json() or {}
    if answer.status in (200, 202):
        with transaction.atomic():
            for d in group:
                Delivery.objects.filter(pk=d.pk).update(
                    state=DeliveryState.FORWARDED,
                    remote_id=str(body.get("id", ""))[:64],
                    next_attempt_at=None,
                    attempts=d.attempts + 1,
                )
                DeliveryEvent.objects.create(delivery=d, event=TimelineEvent.FORWARDED, detail=f"tới trục {peer.code}")
        return len(group)
    reason = f"{answer.status} {body.get('code', '')}: {body.get('message_vi', answer.body[:200])}"
    if 400 <= answer.status < 500 and answer.status not in (401, 408, 425, 429):
        _fail(package, group, reason)
    else:
        _retry(group, reason)
    return 0


def _retry(group: list[Delivery], reason: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        for d in group:
            attempts = d.attempts + 1
            if attempts >= conf.forward_max_attempts():
                _fail(d.package, [d], reason)
                continue
            Delivery.objects.filter(pk=d.pk).update(
                attempts=attempts, last_error=reason[:2000], next_attempt_at=now + backoff(attempts)
            )
            DeliveryEvent.objects.create(delivery=d, event=TimelineEvent.FORWARD_RETRY, detail=reason[:500])


def _fail(package: Package, group: list[Delivery], reason: str) -> None:
    with transaction.atomic():
        for d in group:
            Delivery.objects.filter(pk=d.pk).update(
                state=DeliveryState.FAILED, last_error=reason[:2000], attempts=d.attempts + 1, next_attempt_at=None
            )
            DeliveryEvent.objects.create(delivery=d, event=TimelineEvent.FORWARD_FAILED, detail=reason[:500])
        audit.record(
            None,
            AuditAction.HUB_FORWARD_FAILED,
            package,
            after={"recipients": [d.recipient_code for d in group], "reason": reason[:500]},
        )


@task()
def forward_package(package_id: str) -> int:
    return forward(package_id)


@task()
def forward_due() -> int:
    now = timezone.now()
    ids = (
        Delivery.objects.filter(state=DeliveryState.FORWARDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("package_id", flat=True)
        .distinct()[:500]
    )
    return sum(forward(str(pid)) for pid in list(ids))
