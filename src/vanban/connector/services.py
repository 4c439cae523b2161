"""The connector's state changes: accounts, the outbox (enqueue, send with backoff), and
the inbox (pull, verify, store once, answer 01, ack). The hub is reached only over HTTP.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vanban import audit, secrecy
from vanban.audit.actions import AuditAction
from vanban.connector import conf, storage
from vanban.connector.client import TransportError, api_url, request
from vanban.connector.errors import ConnectorError, HubUnavailable, NoAccount
from vanban.connector.models import (
    HubAccount,
    OutboxItem,
    OutboxKind,
    OutboxState,
    ReceivedPackage,
    ReceivedState,
    ReceivedStatus,
)
from vanban.connector.secrets_box import seal, unseal
from vanban.edxml import (
    EdxmlError,
    Envelope,
    Organization,
    ResponseFor,
    StatusMessage,
    build,
    check,
    load_identity,
    sign,
)
from vanban.transport import multipart

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
LEASE = dt.timedelta(seconds=120)

__all__ = [
    "set_account",
    "enqueue_outgoing",
    "send_item",
    "due_items",
    "send_status",
    "make_status",
    "pull",
    "PullResult",
    "hub_token",
]


# --- accounts -------------------------------------------------------------------------------


def set_account(
    actor, agency, *, hub_url: str, token: str, signing_key_path: str = "", signing_cert_path: str = ""
) -> HubAccount:
    if not hub_url.startswith(("http://", "https://")):
        raise ConnectorError("Địa chỉ trục phải là http(s)://.", "The hub URL must be http(s)://.", code="invalid_url")
    with transaction.atomic():
        account, created = HubAccount.objects.update_or_create(
            agency=agency,
            defaults=dict(
                hub_url=hub_url,
                token_sealed=seal(token),
                active=True,
                signing_key_path=signing_key_path,
                signing_cert_path=signing_cert_path,
            ),
        )
        # the token itself is never written to the audit log
        audit.record(
            actor,
            AuditAction.CONNECTOR_ACCOUNT_SET,
            account,
            after={"agency": agency.code, "hub_url": hub_url, "created": created, "signing_key_path": signing_key_path},
        )
    return account


def hub_token(account: HubAccount) -> str:
    return unseal(account.token_sealed)


def _account(agency_id: int) -> HubAccount:
    account = HubAccount.objects.select_related("agency").filter(agency_id=agency_id, active=True).first()
    if account is None:
        raise NoAccount("Cơ quan chưa có tài khoản trục liên thông.", "The agency has no hub account.", retryable=True)
    return account


# --- outbox ---------------------------------------------------------------------------------


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


def send_item(item_id: int) -> str:
    """Try to send one outbox item now; returns its state afterwards."""
    now = timezone.now()
    if (
        not OutboxItem.objects.filter(pk=item_id)
        .filter(_due())
        .update(state=OutboxState.SENDING, claimed_until=now + LEASE)
    ):
        return OutboxItem.objects.filter(pk=item_id).values_list("state", flat=True).first() or "missing"
    item = OutboxItem.objects.get(pk=item_id)
    try:
        account = _account(item.agency_id)
        path = "packages" if item.kind == OutboxKind.ENVELOPE else "status"
        try:
            answer = request("POST", api_url(account.hub_url, path), token=hub_token(account), data=bytes(item.package))
        except TransportError as exc:
            raise HubUnavailable(str(exc)) from None
    except ConnectorError as exc:
        return _retry(item, exc.code, exc.message_vi, exc.message_en)
    body = answer.json() or {}
    if answer.status in (200, 202):
        with transaction.atomic():
            OutboxItem.objects.filter(pk=item.pk).update(
                state=OutboxState.SENT,
                hub_package_id=str(body.get("id", ""))[:64],
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
                after={"hub_package_id": body.get("id"), "duplicate": body.get("duplicate")},
            )
        return OutboxState.SENT
    code = str(body.get("code") or f"http_{answer.status}")
    vi = str(body.get("message_vi") or f"Trục trả lời HTTP {answer.status}.")
    en = str(body.get("message_en") or f"The hub answered HTTP {answer.status}.")
    if 400 <= answer.status < 500 and answer.status not in (401, 408, 425, 429):
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
                after={"code": code, "message_vi": vi, "details": body.get("details")},
            )
        return OutboxState.FAILED
    return _retry(item, code, vi, en)


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
    status_code: str,
    description: str = "",
    code: str | None = None,
    promulgation_date: dt.date | None = None,
) -> StatusMessage:
    return StatusMessage(
        sender=Organization(organ_id=agency.code, organ_name=agency.name),
        response_for=ResponseFor(
            organ_id=original_sender, code=code, promulgation_date=promulgation_date, document_id=document_id
        ),
        status_code=status_code,
        description=description or None,
        timestamp=timezone.now().astimezone(VN).replace(tzinfo=None, microsecond=0),
    )


def _identity(account: HubAccount):
    if not account.signing_key_path:
        raise NoAccount(
            "Tài khoản trục chưa có khóa ký XML.", "The hub account has no XML-signing key.", code="no_signing_key"
        )
    return load_identity(account.signing_key_path, account.signing_cert_path or None)


def sign_envelope(agency, data: bytes) -> bytes:
    """XML-sign an envelope with the key of ``agency``'s hub account (the transport
    signature the hub checks against the sender); :class:`NoAccount` when there is none."""
    try:
        account = HubAccount.objects.get(agency=agency, active=True)
    except HubAccount.DoesNotExist:
        raise NoAccount(
            f"{agency.name} chưa được kết nối với trục liên thông (chưa có tài khoản trục).",
            f"{agency.code} has no hub account.",
            code="no_account",
        ) from None
    return sign(data, _identity(account))


def fetch_timeline(item: OutboxItem) -> dict:
    """The hub's per-recipient timeline of a package we sent (``GET packages/{id}/timeline``)."""
    account = _account(item.agency_id)
    answer = request(
        "GET",
        api_url(account.hub_url, f"packages/{item.hub_package_id}/timeline"),
        token=hub_token(account),
        timeout=15,
    )
    if answer.status != 200:
        raise ConnectorError(
            f"Trục không trả về diễn biến gói tin (HTTP {answer.status}).",
            f"The hub gave no timeline (HTTP {answer.status}).",
            code="timeline_unavailable",
        )
    return json.loads(answer.body)


def send_status(agency, status_message: StatusMessage, *, actor=None) -> OutboxItem:
    """Sign a status message with the agency's key and queue it (document_ref ``status:<code>``)."""
    account = _account(agency.pk)
    data = sign(build(status_message), _identity(account))
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


# --- inbox ------------------------------------------------------------------------------------


@dataclass
class PullResult:
    received: int = 0
    duplicates: int = 0
    statuses: int = 0
    errors: list[str] = field(default_factory=list)
    hub_wait: float | None = None  # the first answer's X-Hub-Wait-Max: None when the hub does not wait


def pull(account: HubAccount, limit: int = 100, wait: float = 0.0) -> PullResult:
    """Take what waits at the hub with its bytes (``inbox/content``), store each package
    once, then ack what was stored in one request (``acks``). A package that fails here is
    not acked: the next pull meets it again. Safe to run concurrently. ``wait``: the first
    request asks the hub to wait that long for something to arrive (long polling)."""
    result = PullResult()
    token = hub_token(account)
    after: int | None = None
    while True:
        url = api_url(account.hub_url, "inbox/content") + f"?limit={limit}" + (f"&after={after}" if after else "")
        first = after is None
        try:
            answer = request(
                "GET",
                url + (f"&wait={wait:g}" if first and wait > 0 else ""),
                token=token,
                timeout=120 + (wait if first else 0),
                headers={"Accept": "multipart/mixed, application/json;q=0.5"},
            )
            if first:
                result.hub_wait = _wait_max(answer)
            items = _batch(answer)
        except (TransportError, ConnectorError) as exc:
            result.errors.append(str(exc))
            break
        done = []
        for item in items:
            try:
                _take(account, token, item, result)
                done.append(item["package_id"])
            except (TransportError, ConnectorError) as exc:
                result.errors.append(f"{item.get('package_id')}: {exc}")
        try:
            _ack(account, token, done)
        except (TransportError, ConnectorError) as exc:
            result.errors.append(str(exc))
            break
        if len(items) < limit:
            break
        after = items[-1]["cursor"]
    HubAccount.objects.filter(pk=account.pk).update(
        last_pull_at=timezone.now(), last_pull_error="\n".join(result.errors)[:2000]
    )
    return result


def _wait_max(answer) -> float | None:
    try:
        return float(answer.headers["x-hub-wait-max"]) if answer.status == 200 else None
    except (KeyError, ValueError):
        return None


def _ack(account: HubAccount, token: str, package_ids: list[str]) -> None:
    if not package_ids:
        return
    answer = request(
        "POST",
        api_url(account.hub_url, "acks"),
        token=token,
        headers={"Content-Type": "application/json"},
        data=json.dumps({"ids": package_ids}).encode(),
    )
    if answer.status != 200:
        raise ConnectorError(
            f"Không xác nhận được {len(package_ids)} gói tin (HTTP {answer.status}).",
            f"Cannot ack {len(package_ids)} packages: HTTP {answer.status}.",
        )


def _batch(answer) -> list[dict]:
    """The items of an ``inbox/content`` answer, each with its bytes under ``data``: from
    ``multipart/mixed`` (the bytes as they are) or from JSON (base64 ``content``)."""
    if answer.status != 200:
        raise ConnectorError(
            f"Trục trả lời HTTP {answer.status} khi lấy hộp thư đến.",
            f"inbox: HTTP {answer.status} {answer.body[:200]!r}",
        )
    try:
        if answer.headers.get("content-type", "").startswith("multipart/"):
            parts = multipart.decode(answer.headers["content-type"], answer.body)
            meta = json.loads(parts[0][1]) if parts else {}
            data = {h.get("content-id", "").strip("<>"): body for h, body in parts[1:]}
            items = meta.get("items", [])
            for item in items:
                item["data"] = data.get(item["package_id"])
            return items
        items = (answer.json() or {}).get("items", [])
    except (multipart.MultipartError, ValueError, KeyError, TypeError, AttributeError):
        raise ConnectorError(
            "Trục trả lời hộp thư đến không đúng định dạng.", "The hub's inbox answer is malformed."
        ) from None
    for item in items:
        try:
            item["data"] = base64.b64decode(item["content"], validate=True) if item.get("content") is not None else None
        except (binascii.Error, TypeError):
            item["data"] = b""  # fails the digest check in _take, alone
    return items


def _take(account: HubAccount, token: str, item: dict, result: PullResult) -> None:
    pid = item["package_id"]
    if item.get("withdrawn"):  # withdrawn by the hub (a secret document): nothing to take
        return
    data = item.get("data")
    if data is None:
        raise ConnectorError(f"Trục không gửi nội dung gói tin {pid}.", f"Package {pid}: no content.")
    if hashlib.sha256(data).hexdigest() != item.get("sha256"):
        raise ConnectorError("Gói tin tải về không khớp mã băm.", "The fetched package does not match its digest.")
    if item.get("kind") == "status":
        if receive_status(account.agency, data, hub_package_id=pid):
            result.statuses += 1
    else:
        row, created = receive_package(account.agency, data, hub_package_id=pid)
        if row.state == ReceivedState.SECRET and row.secret_reported_at is None and row.hub_package_id:
            report_secret(account, token, row)
        if created:
            result.received += 1
        else:
            result.duplicates += 1


def _verify(data: bytes) -> tuple[Any, bool, dict]:
    trust = conf.trust_roots()
    result = check(data, trust) if trust else check(data)
    report: dict[str, Any] = {
        "problems": [p.to_dict() for p in result.errors],
        "signature": result.signature.to_dict() if result.signature else None,
        "pdf": [],
    }
    ok = bool(result.signature and result.signature.valid and result.signature.sender_matches)
    pkg = result.package
    if isinstance(pkg, Envelope) and trust:
        from vanban.signing import load_trust_roots, validate_pdf

        roots = load_trust_roots([trust])
        for att in pkg.attachments:
            if att.content_type == "application/pdf" or att.name.lower().endswith(".pdf"):
                pdf = validate_pdf(att.content, roots)
                report["pdf"].append(
                    {"name": att.name, "verdict": pdf.verdict, "report": json.loads(pdf.to_json(indent=None))}
                )
    return pkg, ok, report


def business_key(pkg: Envelope) -> str:
    content = hashlib.sha256()
    content.update((pkg.subject or "").encode())
    for digest in sorted(a.sha256 for a in pkg.attachments):
        content.update(digest.encode())
    date = pkg.promulgation_info.promulgation_date if pkg.promulgation_info else None
    btype = pkg.business.business_doc_type if pkg.business else 0
    raw = f"{pkg.sender.organ_id}|{pkg.code or ''}|{date or ''}|{btype}|{content.hexdigest()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def receive_package(agency, data: bytes, *, hub_package_id: str = "") -> tuple[ReceivedPackage, bool]:
    """Verify and store an arrived envelope once; a new one is answered ``01``.

    Stored once per (sender, DocumentId, business type) and once per business key
    (sender, number/notation, date, content digest), so a document sent twice under two
    DocumentIds is stored once. Returns (row, created)."""
    try:
        pkg, ok, report = _verify(data)
    except EdxmlError as exc:
        raise ConnectorError(f"Gói tin không đọc được: {exc.message_vi}", exc.message_en) from None
    if not isinstance(pkg, Envelope):
        raise ConnectorError("Không phải gói tin văn bản.", "Not an envelope.")
    btype = pkg.business.business_doc_type if pkg.business else 0
    dedupe = f"{pkg.sender.organ_id}|{pkg.document_id}|{btype}"
    if btype:
        dedupe += "|" + hashlib.sha256(data).hexdigest()
    bkey = business_key(pkg)
    existing = _stored(agency, dedupe, bkey)
    if existing:
        return existing, False
    finding = _secrecy(pkg)
    if finding is not None:
        return _refuse_secret(agency, pkg, data, finding, dedupe, bkey, btype, report, hub_package_id)
    sha = storage.store(data)
    try:
        with transaction.atomic():
            row = ReceivedPackage.objects.create(
                agency=agency,
                sender_code=pkg.sender.organ_id,
                document_id=pkg.document_id or "",
                business_type=btype,
                dedupe_key=dedupe,
                business_key=bkey,
                subject=(pkg.subject or "")[:500],
                code_notation=str(pkg.code)[:60] if pkg.code else "",
                sha256=sha,
                size=len(data),
                verified=ok,
                verification=report,
                hub_package_id=hub_package_id,
                state=ReceivedState.NEW if ok else ReceivedState.QUARANTINED,
            )
            audit.record(
                None,
                AuditAction.CONNECTOR_PACKAGE_RECEIVED,
                row,
                object_label=f"{row.sender_code} {row.document_id}"[:255],
                after={"verified": ok, "sha256": sha, "hub_package_id": hub_package_id},
            )
            if ok:
                _answer(agency, pkg, "01", "Văn thư: hệ thống đã nhận văn bản")
    except IntegrityError:
        existing = _stored(agency, dedupe, bkey)
        if existing:
            return existing, False
        raise
    return row, True


def _stored(agency, dedupe: str, bkey: str) -> ReceivedPackage | None:
    return ReceivedPackage.objects.filter(agency=agency).filter(Q(dedupe_key=dedupe) | Q(business_key=bkey)).first()


def _answer(agency, pkg: Envelope, code: str, description: str) -> None:
    """Queue a status about ``pkg`` back to its sender (in the caller's transaction)."""
    send_status(
        agency,
        make_status(
            agency,
            original_sender=pkg.sender.organ_id,
            document_id=pkg.document_id or "",
            status_code=code,
            description=description[:500],
            code=str(pkg.code) if pkg.code else None,
            promulgation_date=pkg.promulgation_info.promulgation_date if pkg.promulgation_info else None,
        ),
    )


def _secrecy(pkg: Envelope) -> secrecy.Finding | None:
    found = secrecy.in_envelope(pkg)
    for att in pkg.attachments:
        if found is not None:
            break
        if att.content_type == "application/pdf" or att.name.lower().endswith(".pdf"):
            found = secrecy.in_pdf(att.content)
    return found


def _refuse_secret(
    agency,
    pkg: Envelope,
    data: bytes,
    finding: secrecy.Finding,
    dedupe: str,
    bkey: str,
    btype: int,
    report: dict,
    hub_package_id: str,
) -> tuple[ReceivedPackage, bool]:
    """A secret document arrived electronically: its content is not kept, the sender gets
    02 with the reason, and the hub is told (by :func:`pull`, after this commits)."""
    report = {
        **report,
        "secrecy": {
            "level": finding.level,
            "level_name": finding.level_name,
            "where": finding.where,
            "message_vi": finding.message_vi(),
        },
    }
    try:
        with transaction.atomic():
            row = ReceivedPackage.objects.create(
                agency=agency,
                sender_code=pkg.sender.organ_id,
                document_id=pkg.document_id or "",
                business_type=btype,
                dedupe_key=dedupe,
                business_key=bkey,
                subject=(pkg.subject or "")[:500],
                code_notation=str(pkg.code)[:60] if pkg.code else "",
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                verified=False,
                verification=report,
                hub_package_id=hub_package_id,
                state=ReceivedState.SECRET,
            )
            audit.record(
                None,
                AuditAction.CONNECTOR_PACKAGE_SECRET,
                row,
                object_label=f"{row.sender_code} {row.document_id}"[:255],
                after={"level": finding.level, "where": finding.where, "hub_package_id": hub_package_id},
            )
            _answer(agency, pkg, "02", finding.message_vi())
    except IntegrityError:
        existing = _stored(agency, dedupe, bkey)
        if existing:
            return existing, False
        raise
    return row, True


def report_secret(account: HubAccount, token: str, row: ReceivedPackage) -> None:
    """Tell the hub that a package it delivered carries a secrecy mark (the hub withdraws it)."""
    found = row.verification.get("secrecy") or {}
    answer = request(
        "POST",
        api_url(account.hub_url, f"packages/{row.hub_package_id}/secret-report"),
        token=token,
        headers={"Content-Type": "application/json"},
        data=json.dumps({"level": found.get("level", "mat"), "where": found.get("where", "")}).encode(),
    )
    if answer.status not in (200, 201, 404):
        raise ConnectorError(
            f"Chưa báo được trục về văn bản mật (HTTP {answer.status}).",
            f"Could not report the secret document to the hub (HTTP {answer.status}).",
        )
    ReceivedPackage.objects.filter(pk=row.pk).update(secret_reported_at=timezone.now())


def receive_status(agency, data: bytes, *, hub_package_id: str = "") -> bool:
    """Store a status about one of our documents once per (document, sender, code, time)."""
    try:
        pkg, ok, report = _verify(data)
    except EdxmlError as exc:
        raise ConnectorError(f"Gói tin không đọc được: {exc.message_vi}", exc.message_en) from None
    if not isinstance(pkg, StatusMessage):
        raise ConnectorError("Không phải gói tin trạng thái.", "Not a status message.")
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
                after={"verified": ok, "signature": report.get("signature", {}) and report["signature"].get("code")},
            )
    except IntegrityError:
        return False
    return True


def received_file(row: ReceivedPackage) -> Path:
    return storage.path_for(row.sha256)
