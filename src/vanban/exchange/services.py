"""The hub's state changes, one function each: checks, one transaction, audit/timeline,
side effects on commit. The API layer only authenticates and calls these."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vanban import audit, secrecy
from vanban.audit.actions import AuditAction
from vanban.edxml import (
    BusinessDocType,
    EdxmlError,
    Envelope,
    SizeLimitError,
    StatusCode,
    StatusMessage,
    check,
    identity_key,
)
from vanban.exchange import cache, conf, sql, storage, wakeup
from vanban.exchange.auth import Caller
from vanban.exchange.errors import Conflict, Forbidden, Gone, HubError, NotConfigured, NotFound, Refused, TooLarge
from vanban.exchange.models import (
    Delivery,
    DeliveryEvent,
    DeliveryState,
    Package,
    PackageKind,
    PeerHub,
    SecrecyReport,
    ServedPattern,
    TimelineEvent,
)
from vanban.exchange.routing import Router
from vanban.signing.identity import certificate_kind

logger = logging.getLogger(__name__)

ANSWER_CODES = (StatusCode.REJECTED.value, StatusCode.ACCEPTED.value)
RECALL_REQUEST = StatusCode.RECALL_REQUESTED.value


@dataclass(frozen=True)
class Accepted:
    package_id: uuid.UUID
    duplicate: bool


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        f"Gói tin vượt quá giới hạn {limit} byte.",
        f"The package exceeds the limit of {limit} bytes.",
        details={"limit": limit},
    )


def _check(data: bytes, kind: str) -> tuple[Envelope | StatusMessage, Any]:
    limit = conf.max_package_bytes()
    if len(data) > limit:
        raise _too_large(limit)
    trust = conf.trust_roots()
    if trust is None:
        raise NotConfigured(
            "Trục chưa được cấu hình kho chứng thư tin cậy (VANBAN_TRUST_ROOTS).",
            "The hub has no trust store configured (VANBAN_TRUST_ROOTS).",
        )
    try:
        # The hub relays files without opening them: their integrity is the signature's
        # (URI="" covers them); the recipient's connector decodes and checks each one.
        result = check(data, trust, max_size=limit, decode_attachments=False)
    except SizeLimitError:
        raise _too_large(limit) from None
    except EdxmlError as exc:
        raise Refused(
            f"Gói tin không đọc được: {exc.message_vi}",
            f"Unreadable package: {exc.message_en}",
            code="malformed_xml",
            http_status=400,
            details=exc.to_dict(),
        ) from None
    pkg = result.package
    if pkg is None or pkg.kind != kind:
        want_vi = "gói tin văn bản" if kind == "envelope" else "gói tin trạng thái"
        raise Refused(
            f"Địa chỉ này chỉ nhận {want_vi}.",
            f"This endpoint accepts only a {kind} package.",
            code="wrong_kind",
            http_status=400,
        )
    if result.errors:
        raise Refused(
            "Gói tin không đúng cấu trúc edXML.",
            "The package does not conform to edXML.",
            code="invalid_package",
            details=[p.to_dict() for p in result.errors[:50]],
        )
    sig = result.signature
    assert sig is not None  # checked with the trust store
    if sig.code == "unsigned":
        raise Refused("Gói tin chưa được ký số.", "The package is not signed.", code="unsigned")
    if not sig.valid:
        if sig.code == "untrusted-certificate":
            raise Refused(sig.message_vi, sig.message_en, code="untrusted_signer", http_status=403)
        raise Refused(sig.message_vi, sig.message_en, code="signature_invalid")
    if sig.agency_code != pkg.sender.organ_id:
        raise Forbidden(
            f"Chứng thư ký gói tin thuộc {sig.agency_code or 'không rõ'}, không phải cơ quan gửi "
            f"{pkg.sender.organ_id}.",
            f"The signing certificate belongs to {sig.agency_code or 'nobody known'}, not the sender "
            f"{pkg.sender.organ_id}.",
            code="signer_not_sender",
        )
    if sig.certificate is not None and certificate_kind(sig.certificate) != "agency":
        raise Forbidden(
            "Gói tin phải được ký bằng chứng thư số của cơ quan gửi, không phải chứng thư số cá nhân.",
            "A package must be signed with the sending agency's certificate, not a person's.",
            code="signer_not_agency",
        )
    return pkg, sig


def _targets(pkg: Envelope | StatusMessage, hint: list[str] | None) -> list[str]:
    if isinstance(pkg, Envelope):
        codes = [r.organ_id for r in pkg.recipients]
    elif pkg.status_code == RECALL_REQUEST and pkg.sender.organ_id == pkg.response_for.organ_id:
        original = _original(pkg.response_for.organ_id, pkg.response_for.document_id)
        if original is not None:
            codes = list(original.deliveries.values_list("addressed_code", flat=True))
        else:
            codes = list(hint or [])
        if not codes:
            raise Refused(
                "Không tìm thấy văn bản cần lấy lại trên trục.",
                "The document to take back is not known to this hub.",
                code="unknown_document",
            )
    else:
        codes = [pkg.response_for.organ_id or ""]
    if hint is not None:
        codes = [c for c in codes if c in set(hint)]
    return list(dict.fromkeys(c for c in codes if c))


def _original(sender: str | None, document_id: str | None) -> Package | None:
    return (
        Package.objects.filter(kind=PackageKind.ENVELOPE, sender_code=sender or "", document_id=document_id or "")
        .order_by("received_at")
        .first()
    )


def receive(
    caller: Caller,
    data: bytes,
    *,
    kind: str,
    trace: list[str] | None = None,
    recipients_hint: list[str] | None = None,
    sha256: str | None = None,
) -> Accepted:
    """Accept an envelope or status message: all checks, then row + file in one transaction, then 202.

    Nothing is stored when a check fails. The same package again answers the first id.
    ``sha256``: the hex SHA-256 of ``data`` when the caller computed it already (VDXP's
    ``hash-file`` check), so a package is hashed once.
    """
    pkg, sig = _check(data, kind)
    sender = pkg.sender.organ_id
    if caller.is_agency and caller.agency_code != sender:
        raise Forbidden(
            f"Cơ quan gửi trong gói tin ({sender}) không phải cơ quan đã xác thực ({caller.agency_code}).",
            f"The envelope's sender ({sender}) is not the authenticated agency ({caller.agency_code}).",
            code="sender_not_caller",
        )
    if isinstance(pkg, Envelope):
        _refuse_if_secret(caller, pkg)
    trace = list(trace or [])
    me = conf.hub_code()
    if me in trace:
        raise Conflict(
            f"Gói tin đã đi qua trục {me}: vòng lặp chuyển tiếp.",
            f"The package already passed through hub {me}: forwarding loop.",
            code="loop_detected",
            details={"trace": trace},
        )
    hint = recipients_hint if not caller.is_agency else None
    sha = sha256 or hashlib.sha256(data).hexdigest()
    key = identity_key(pkg, sha)  # the same function as the office's (vanban.edxml.identity)
    router = Router()
    plan: list[tuple[str, Any]] = []
    unknown: list[str] = []
    for code in _targets(pkg, hint):
        route = router.route(code)
        if route is None or (route.peer is not None and route.peer.code in trace):
            unknown.append(code)
        else:
            plan.append((code, route))
    if unknown or not plan:
        existing = _existing(key)  # accepted before: a duplicate, whatever the routes say now
        if existing:
            return Accepted(existing, True)
        raise Refused(
            f"Không xác định được nơi nhận: {', '.join(unknown) or '(trống)'}.",
            f"Unknown recipient(s): {', '.join(unknown) or '(none)'}.",
            code="unknown_recipient",
            details={"codes": unknown},
        )
    # No lookup first: a package seen before meets the unique key on its first INSERT, the
    # transaction rolls back (no file written, no event) and the first id is answered.
    try:
        with transaction.atomic():
            package_id = _create(caller, pkg, sig, key, sha, data, trace + [me], plan)
    except IntegrityError:
        existing = _existing(key)
        if existing:
            return Accepted(existing, True)
        raise
    return Accepted(package_id, False)


def _refuse_if_secret(caller: Caller, pkg: Envelope) -> None:
    """A package whose header shows a secrecy mark is refused: nothing of it is stored, and
    the hub operator gets a report row (who sent what, where the mark was seen)."""
    finding = secrecy.in_envelope(pkg)
    if finding is None:
        return
    with transaction.atomic():
        report = SecrecyReport.objects.create(
            source=SecrecyReport.SOURCE_INTAKE,
            sender_code=pkg.sender.organ_id,
            document_id=(pkg.document_id or "")[:300],
            code_notation=str(pkg.code)[:60] if pkg.code else "",
            reported_by=conf.hub_code(),
            level=finding.level_name,
            where=finding.where[:100],
        )
        audit.record(
            caller,
            AuditAction.HUB_SECRET_REFUSED,
            report,
            after={
                "sender": report.sender_code,
                "document_id": report.document_id,
                "level": finding.level,
                "where": finding.where,
            },
        )
    raise Refused(
        finding.message_vi(),
        finding.message_en(),
        code="secret_document",
        details={"level": finding.level, "where": finding.where},
    )


def report_secret(caller: Caller, package_id: str, *, level: str, where: str) -> SecrecyReport:
    """A recipient found a secrecy mark in a package it received (the PDF's stamp, say):
    the operator is told, the sender sees it on the timeline, and the hub deletes the
    package's content so no one else can fetch it (its rows and timeline stay)."""
    code = _agency_only(caller)
    pid = _package_id(package_id)
    known = {lvl["code"]: lvl["name"] for lvl in secrecy.levels()}
    if level not in known:
        raise HubError(
            f"Độ mật không hợp lệ: {level[:30]}.",
            f"Unknown secrecy level: {level[:30]}.",
            code="invalid_parameters",
            details={"levels": sorted(known)},
        )
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("package")
            .filter(package_id=pid, recipient_code=code, peer__isnull=True)
            .first()
        )
        if delivery is None or delivery.package.kind != PackageKind.ENVELOPE:
            raise NotFound()
        package = delivery.package
        report = SecrecyReport.objects.create(
            source=SecrecyReport.SOURCE_RECIPIENT,
            package=package,
            sender_code=package.sender_code,
            document_id=package.document_id,
            code_notation=package.code_notation,
            reported_by=code,
            level=known[level],
            where=where[:100],
        )
        DeliveryEvent.objects.create(
            delivery=delivery,
            event=TimelineEvent.SECRET,
            detail=f"Độ mật “{known[level]}” ({where[:80]}); nội dung đã xóa khỏi trục",
        )
        first = package.withdrawn_at is None
        if first:
            package.withdrawn_at = timezone.now()
            package.save(update_fields=["withdrawn_at"])
        audit.record(
            caller,
            AuditAction.HUB_SECRET_REPORTED,
            report,
            after={"package": str(package.id), "level": level, "where": where[:100]},
        )
        sha = package.sha256
        if first and not Package.objects.filter(sha256=sha, withdrawn_at__isnull=True).exists():
            transaction.on_commit(lambda: storage.remove(sha))
    return report


def _existing(key: str) -> uuid.UUID | None:
    return Package.objects.filter(idempotency_key=key).values_list("id", flat=True).first()


def _create(caller, pkg, sig, key, sha, data, trace, plan) -> uuid.UUID:
    """The package row with its deliveries and their first event, then its file (fsynced:
    the bytes are on disk before the row commits), and last the audit event, so that the
    audit chain head is locked only from there to the commit. Plain SQL (:mod:`sql`):
    this runs for every package."""
    is_env = isinstance(pkg, Envelope)
    now = timezone.now()
    package_id = uuid.uuid4()
    row = dict(
        id=package_id,
        kind=PackageKind.ENVELOPE.value if is_env else PackageKind.STATUS.value,
        idempotency_key=key,
        sender_code=pkg.sender.organ_id,
        document_id=(pkg.document_id if is_env else pkg.response_for.document_id) or "",
        business_type=(pkg.business.business_doc_type if pkg.business else BusinessDocType.NEW) if is_env else None,
        status_code="" if is_env else pkg.status_code,
        subject=((pkg.subject or "") if is_env else (pkg.description or ""))[:500],
        code_notation=str(pkg.code)[:60] if is_env and pkg.code else "",
        sha256=sha,
        size=len(data),
        received_from=caller.label,
        trace=trace,
        signer_subject=(sig.signer_subject or "")[:500],
    )
    seen: set[str] = set()
    deliveries, details = [], []
    for addressed, route in plan:
        if route.recipient_code in seen:
            continue
        seen.add(route.recipient_code)
        deliveries.append(
            dict(
                recipient_code=route.recipient_code,
                addressed_code=addressed,
                state=(DeliveryState.WAITING if route.local else DeliveryState.FORWARDING).value,
                peer_id=route.peer.pk if route.peer is not None else None,
                next_attempt_at=None if route.local else now,
            )
        )
        details.append(f"từ {caller.label}" + ("" if route.peer is None else f", qua trục {route.peer.code}"))
    sql.insert_package(row, deliveries, now, TimelineEvent.ACCEPTED.value, details)
    wakeup.notify_on_commit(d["recipient_code"] for d in deliveries if d["state"] == DeliveryState.WAITING)
    storage.store(data, sha256=sha)
    if not is_env:
        _note_status(pkg)
    if any(d["state"] == DeliveryState.FORWARDING for d in deliveries):
        from vanban.exchange.tasks import forward_package

        pid = str(package_id)
        transaction.on_commit(lambda: _enqueue(forward_package, pid))
    audit.record(
        caller,
        AuditAction.HUB_PACKAGE_ACCEPTED if is_env else AuditAction.HUB_STATUS_ACCEPTED,
        object_type="exchange.package",
        object_id=str(package_id),
        object_label=f"{row['kind']} {row['sender_code']} {row['document_id']}"[:255],
        after={
            "sender": row["sender_code"],
            "document_id": row["document_id"],
            "sha256": sha,
            "recipients": [d["recipient_code"] for d in deliveries],
            "status_code": row["status_code"],
        },
    )
    return package_id


def _enqueue(task, *args) -> None:
    try:
        task.enqueue(*args)
    except Exception:  # the periodic sweep picks it up
        logger.exception("could not enqueue %s", task)


def _note_status(status: StatusMessage) -> None:
    """Add a status to the timeline of the original package, if it passed through here."""
    rf = status.response_for
    original = _original(rf.organ_id, rf.document_id)
    if original is None:
        return
    deliveries = original.deliveries.all()
    if status.sender.organ_id != original.sender_code:
        deliveries = deliveries.filter(
            Q(recipient_code=status.sender.organ_id) | Q(addressed_code=status.sender.organ_id)
        )
    now = timezone.now()
    for d in deliveries:
        DeliveryEvent.objects.create(
            delivery=d,
            event=TimelineEvent.STATUS,
            status_code=status.status_code,
            detail=(status.description or "")[:500],
        )
        if status.status_code in ANSWER_CODES and d.answered_at is None:
            Delivery.objects.filter(pk=d.pk).update(answered_at=now)


# --- the recipient's side -----------------------------------------------------------------


def _agency_only(caller: Caller) -> str:
    if not caller.is_agency:
        raise NotFound()
    return caller.agency_code  # type: ignore[return-value]


def _package(package_id: str) -> Package:
    package = Package.objects.filter(pk=_package_id(package_id)).first()
    if package is None:
        raise NotFound()
    return package


def inbox(
    caller: Caller, after: int | None = None, limit: int = 100, wait: float = 0.0, *, kind: str | None = None
) -> list[sql.InboxRow]:
    """What waits for the caller, oldest first; un-acked packages stay listed. With
    ``wait`` (seconds, at most ``VANBAN_HUB_MAX_WAIT``) and nothing there, the answer
    waits until something arrives or the time is up (:mod:`wakeup`). ``kind``: only
    envelopes or only status messages (VDXP lists them apart)."""
    code = _agency_only(caller)
    limit = max(1, min(limit, 1000))
    rows = sql.inbox(code, after, limit, kind)
    if not rows and _waited(code, after, wait):
        rows = sql.inbox(code, after, limit, kind)
    return rows


def _waited(code: str, after: int | None, wait: float) -> bool:
    """Long polling: wait up to ``wait`` seconds (capped) for something after ``after``."""
    wait = min(wait, conf.max_wait()) if wait > 0 else 0.0  # also false for NaN
    return wait > 0 and wakeup.wait_for(code, lambda: bool(sql.inbox(code, after, 1)), wait)


def _package_id(package_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(package_id))
    except ValueError:
        raise NotFound() from None


@dataclass(frozen=True)
class Fetched:
    sha256: str
    trace: list[str]
    data: bytes


def fetch(caller: Caller, package_id: str) -> Fetched:
    """The bytes of a package the caller sent or receives; the first fetch is noted."""
    code = _agency_only(caller)
    found = sql.fetch_marking(_package_id(package_id), code, timezone.now(), TimelineEvent.FETCHED.value)  # atomic
    if found is None:
        raise NotFound()
    if found.withdrawn:
        raise Gone(
            "Nội dung gói tin đã bị xóa khỏi trục (văn bản có dấu độ mật).",
            "The package's content was withdrawn from the hub (a secret document).",
            code="withdrawn_secret",
        )
    return Fetched(found.sha256, found.trace, storage.load(found.sha256))


def ack(caller: Caller, package_id: str) -> str:
    """The caller has the package: it leaves the inbox (acking twice is fine). The state."""
    code = _agency_only(caller)
    pid = _package_id(package_id)
    state = sql.mark_acked(pid, code, timezone.now(), TimelineEvent.ACKED.value)  # atomic
    if state is None:
        raise NotFound()
    return state


def refuse(caller: Caller, package_id: str, *, code: str, reason: str) -> str:
    """The caller cannot take what it was delivered (a PDF bomb, a package it cannot read):
    the delivery leaves its inbox as acknowledged, so it is not delivered again, and the
    sender's timeline says ``recipient_failed`` with the reason, as VDXP's
    ``updateStatus fail`` does. Refusing twice adds nothing. The delivery's state."""
    recipient = _agency_only(caller)
    pid = _package_id(package_id)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(package_id=pid, recipient_code=recipient, peer__isnull=True)
            .first()
        )
        if delivery is None:
            raise NotFound()
        if delivery.events.filter(event=TimelineEvent.RECIPIENT_FAILED).exists():
            return delivery.state
        state = sql.mark_acked(pid, recipient, timezone.now(), TimelineEvent.ACKED.value) or delivery.state
        DeliveryEvent.objects.create(
            delivery=delivery, event=TimelineEvent.RECIPIENT_FAILED, detail=f"{reason[:400]} [{code[:64]}]"
        )
    return state


@dataclass(frozen=True)
class Taken:
    row: sql.InboxRow
    trace: list[str]
    data: bytes | None  # None: withdrawn (a secret document)


def take_inbox(
    caller: Caller, after: int | None = None, limit: int = 100, max_bytes: int = 8 * 1024 * 1024, wait: float = 0.0
) -> list[Taken]:
    """What waits for the caller with the packages' bytes, in one answer (fewer requests
    than inbox + fetch each); those waiting are marked fetched. Not acked: the caller acks
    them (:func:`ack_many`) once stored. ``wait``: as for :func:`inbox`."""
    code = _agency_only(caller)

    def take() -> list[sql.TakenRow]:
        with transaction.atomic():
            return sql.take(
                code, after, max(1, min(limit, 1000)), max(1, max_bytes), timezone.now(), TimelineEvent.FETCHED.value
            )

    rows = take()
    if not rows and _waited(code, after, wait):
        rows = take()
    return [Taken(t.row, t.trace, None if t.withdrawn else storage.load(t.row.sha256)) for t in rows]


def ack_many(caller: Caller, package_ids: list[str]) -> tuple[list[str], list[str]]:
    """Ack several packages at once: (acked, unknown). Acking twice is fine; an id the caller
    has no delivery of is listed as unknown, like a 404 of :func:`ack`."""
    code = _agency_only(caller)
    if len(package_ids) > 1000:
        raise HubError(
            "Mỗi lần xác nhận tối đa 1000 gói tin.",
            "At most 1000 packages per acknowledgement.",
            code="invalid_parameters",
        )
    parsed: dict[str, uuid.UUID] = {}
    unknown = []
    for raw in package_ids:
        try:
            parsed[raw] = uuid.UUID(str(raw))
        except ValueError:
            unknown.append(raw)
    with transaction.atomic():
        known = sql.ack_many(code, list(set(parsed.values())), timezone.now(), TimelineEvent.ACKED.value)
    acked = [raw for raw, pid in parsed.items() if pid in known]
    unknown += [raw for raw, pid in parsed.items() if pid not in known]
    return acked, unknown


def timeline(caller: Caller, package_id: str) -> tuple[Package, list[Delivery]]:
    """Per recipient, what happened; only the sender may read it."""
    code = _agency_only(caller)
    package = _package(package_id)
    if package.sender_code != code:
        raise NotFound()
    deliveries = list(package.deliveries.select_related("peer").prefetch_related("events").order_by("id"))
    return package, deliveries


# --- configuration ---------------------------------------------------------------------------


def set_served_patterns(actor, patterns: list[str]) -> list[str]:
    with transaction.atomic():
        before = list(ServedPattern.objects.values_list("pattern", flat=True))
        ServedPattern.objects.all().delete()
        ServedPattern.objects.bulk_create([ServedPattern(pattern=p) for p in dict.fromkeys(patterns)])
        audit.record(
            actor,
            AuditAction.HUB_ROUTING_CHANGED,
            object_type="exchange.servedpattern",
            before={"patterns": before},
            after={"patterns": patterns},
        )
        cache.routing.invalidate()
    return patterns


def set_peer(actor, code: str, base_url: str, token: str, patterns: list[str], is_parent: bool = False) -> PeerHub:
    if not base_url.startswith(("http://", "https://")):
        raise HubError("Địa chỉ trục phải là http(s)://.", "The hub URL must be http(s)://.", code="invalid_url")
    with transaction.atomic():
        peer, created = PeerHub.objects.update_or_create(
            code=code, defaults=dict(base_url=base_url, token=token, patterns=patterns, is_parent=is_parent)
        )
        if is_parent:
            PeerHub.objects.exclude(pk=peer.pk).update(is_parent=False)
        audit.record(
            actor,
            AuditAction.HUB_ROUTING_CHANGED,
            peer,
            after={
                "code": code,
                "base_url": base_url,
                "patterns": patterns,
                "is_parent": is_parent,
                "created": created,
            },
        )
        cache.routing.invalidate()
    return peer
