"""The inbox: pull what waits at the hub (with its bytes, through the account's
transport), run each package through the arrival pipeline, store each status once, then
acknowledge what was stored in one request. A package that fails here is not acknowledged:
the next pull meets it again, unless it cannot be read at all: that one is refused at the
hub where the protocol can say so (:meth:`HubTransport.refuse`). Safe to run concurrently."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.connector import storage, transports
from vanban.connector.arrival import receive_package, verify
from vanban.connector.errors import ConnectorError, PackageUnreadable
from vanban.connector.models import HubAccount, ReceivedPackage, ReceivedState, ReceivedStatus
from vanban.connector.transports import ArrivedItem, HubTransport
from vanban.edxml import EdxmlError, StatusMessage
from vanban.storage import BlobMissing
from vanban.transport import TransportError

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")

__all__ = ["PullResult", "pull", "receive_status", "report_secret", "package_bytes"]


@dataclass
class PullResult:
    received: int = 0
    duplicates: int = 0
    statuses: int = 0
    errors: list[str] = field(default_factory=list)
    hub_wait: float | None = None
    """The first answer's ``X-Hub-Wait-Max``: None when the hub does not wait (long polling)."""


def pull(account: HubAccount, limit: int = 100, *, wait: float = 0.0, hub: HubTransport | None = None) -> PullResult:
    """Take what waits at the hub, store each package once, then ack what was stored.
    ``wait``: seconds the first request may be held by the hub when nothing waits yet."""
    result = PullResult()
    hub = hub or transports.for_account(account)
    after: str | None = None
    first = True
    while True:
        try:
            batch = hub.arrivals(after=after, limit=limit, wait=wait if first else 0.0)
        except (TransportError, ConnectorError) as exc:
            result.errors.append(str(exc))
            break
        if first:
            result.hub_wait = batch.hub_wait
        first = False
        done = []
        for item in batch.items:
            try:
                _take(account, hub, item, result)
                done.append(item.package_id)
            except PackageUnreadable as exc:
                result.errors.append(f"{item.package_id}: {exc}")
                _refuse(hub, item, exc, result)
            except (TransportError, ConnectorError) as exc:
                result.errors.append(f"{item.package_id}: {exc}")
        try:
            hub.ack(done)
        except (TransportError, ConnectorError) as exc:
            result.errors.append(str(exc))
            break
        if len(batch.items) < limit:
            break
        after = batch.items[-1].cursor
    HubAccount.objects.filter(pk=account.pk).update(
        last_pull_at=timezone.now(), last_pull_error="\n".join(result.errors)[:2000]
    )
    return result


def _refuse(hub: HubTransport, item: ArrivedItem, reason: PackageUnreadable, result: PullResult) -> None:
    """Tell the hub we refuse what it delivered (where its protocol can say so)."""
    try:
        hub.refuse(item.package_id, reason)
    except (TransportError, ConnectorError) as exc:
        result.errors.append(f"{item.package_id}: {exc}")


def _take(account: HubAccount, hub: HubTransport, item: ArrivedItem, result: PullResult) -> None:
    data = item.data if item.data is not None else hub.fetch(item.package_id)
    if not data:
        raise ConnectorError(
            f"Trục không gửi nội dung gói tin {item.package_id}.", f"Package {item.package_id}: no content."
        )
    if item.sha256 and hashlib.sha256(data).hexdigest() != item.sha256:  # "": the protocol gives none (VDXP)
        raise ConnectorError("Gói tin tải về không khớp mã băm.", "The fetched package does not match its digest.")
    if item.kind == "status":
        if receive_status(account.agency, data, hub_package_id=item.package_id):
            result.statuses += 1
        return
    row, created = receive_package(account.agency, data, hub_package_id=item.package_id)
    if row.state == ReceivedState.SECRET and row.secret_reported_at is None and row.hub_package_id:
        report_secret(account, hub, row)
    if created:
        result.received += 1
    else:
        result.duplicates += 1


def report_secret(account: HubAccount, hub: HubTransport, row: ReceivedPackage) -> None:
    """Tell the hub that a package it delivered carries a secrecy mark (the hub withdraws it)."""
    found = row.verification.get("secrecy") or {}
    hub.report_secret(row.hub_package_id, level=found.get("level", "mat"), where=found.get("where", ""))
    ReceivedPackage.objects.filter(pk=row.pk).update(secret_reported_at=timezone.now())


def receive_status(agency, data: bytes, *, hub_package_id: str = "") -> bool:
    """Store a status about one of our documents once per (document, sender, code, time)."""
    try:
        pkg, ok, report = verify(data)
    except EdxmlError as exc:
        raise PackageUnreadable(f"Gói tin không đọc được: {exc.message_vi}", exc.message_en) from None
    if not isinstance(pkg, StatusMessage):
        raise PackageUnreadable("Không phải gói tin trạng thái.", "Not a status message.")
    when = timezone.make_aware(pkg.timestamp, VN) if pkg.timestamp else None
    key = dict(
        agency=agency,
        document_id=pkg.response_for.document_id or "",
        from_code=pkg.sender.organ_id,
        status_code=pkg.status_code,
        status_time=when,
    )
    if ReceivedStatus.objects.filter(**key).exists():
        return False
    try:
        with transaction.atomic():
            row = ReceivedStatus.objects.create(**key, description=pkg.description or "", hub_package_id=hub_package_id)
            audit.record(
                None,
                AuditAction.CONNECTOR_STATUS_RECEIVED,
                row,
                object_label=f"{row.from_code} {row.status_code} {row.document_id}"[:255],
                after={"verified": ok, "signature": (report.get("signature") or {}).get("code")},
            )
    except IntegrityError:
        return False
    return True


def package_bytes(row: ReceivedPackage) -> bytes | None:
    """The signed package as it arrived (None when it was not kept: a secret document)."""
    try:
        return storage.load(row.sha256)
    except BlobMissing:
        return None
