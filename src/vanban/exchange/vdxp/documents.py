"""The document operations of the VDXP protocol, on the hub's own store and services.

``sendEdoc`` is :func:`vanban.exchange.services.receive` (schema, XML signature, signer is
the sender, recipients known or routable, idempotency, durable before answering); listing,
fetching and acknowledging are the hub's inbox, fetch and ack. ``DocId`` is the package id,
the same one ``/hub/v1/`` shows, so a document sent through either API can be fetched through
either. Our value sets for ``sendStatus`` and ``receiveStatus`` are :data:`SEND_STATUSES`
and :data:`RECEIVE_STATUSES` (``docs/vdxp.md``).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.utils import timezone

from vanban.exchange import conf, services, sql
from vanban.exchange.errors import HubError, NotFound
from vanban.exchange.models import Delivery, DeliveryEvent, DeliveryState, Package, PackageKind, TimelineEvent
from vanban.exchange.vdxp.systems import System
from vanban.vdxp import (
    MESSAGE_TYPES,
    SERVICE_TYPE,
    UPDATE_STATUSES,
    SignedRequest,
    VdxpError,
    append_trace,
    body_content_digest,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T = TypeVar("T")

SEND_STATUSES = {
    "sent": "Đã chuyển đến nơi nhận",
    "forwarding": "Đang chuyển tiếp sang trục khác",
    "failed": "Chuyển tiếp thất bại",
}
RECEIVE_STATUSES = {
    "waiting": "Chờ nơi nhận tải",
    "fetched": "Nơi nhận đã tải, chưa xác nhận",
    "processing": "Nơi nhận đang xử lý",
    "done": "Nơi nhận đã nhận",
    "fail": "Nơi nhận báo không nhận được",
    "unknown": "Đã chuyển sang trục khác, không theo dõi được",
}

# the hub's refusal codes (vanban.exchange.errors) as VDXP error names
HUB_TO_VDXP = {
    "too_large": "body_too_large",
    "malformed_xml": "edxml_invalid",
    "wrong_kind": "edxml_invalid",
    "invalid_package": "edxml_invalid",
    "unsigned": "signature_invalid",
    "untrusted_signer": "signature_invalid",
    "signature_invalid": "signature_invalid",
    "signer_not_sender": "signer_not_sender",
    "sender_not_caller": "sender_mismatch",
    "unknown_recipient": "unknown_recipient",
    "unknown_document": "document_not_found",
    "not_found": "document_not_found",
    "gone": "document_not_found",
    "withdrawn_secret": "document_not_found",
    "conflict": "duplicate_conflict",
    "not_configured": "unavailable",
}


def as_vdxp(exc: HubError) -> VdxpError:
    """A hub refusal as the VDXP error the client reads (the hub's message as the detail)."""
    name = HUB_TO_VDXP.get(exc.code, "refused")
    return VdxpError(name, exc.message_vi, exc.message_en, details=exc.details)


def wire_time(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment, VN).strftime("%Y/%m/%d %H:%M:%S") if moment else ""


def _kind(signed: SignedRequest, *, required: bool = True) -> str:
    raw = signed.get("messagetype").strip().lower()
    if not raw and not required:
        return ""
    if raw not in MESSAGE_TYPES:
        raise VdxpError("bad_parameter", f"messagetype={raw[:20] or '(trống)'}; cần edoc hoặc status")
    return PackageKind.ENVELOPE.value if raw == "edoc" else PackageKind.STATUS.value


def _message_type(kind: str) -> str:
    return "edoc" if kind == PackageKind.ENVELOPE else "status"


def send(system: System, signed: SignedRequest, body: bytes) -> dict[str, Any]:
    """``sendEdoc``: the body (without the client's CRLF) through the hub's own intake."""
    sender = signed.get("from").strip()
    if not sender:
        raise VdxpError("missing_parameter", "from")
    if sender not in system.codes:
        raise VdxpError("sender_not_bound", sender)
    service = signed.get("servicetype").strip()
    if service and service.lower() != SERVICE_TYPE.lower():
        raise VdxpError("bad_parameter", f"servicetype={service[:20]}; cần {SERVICE_TYPE}")
    kind = _kind(signed)
    received = signed.get("hash-file").strip()
    if not received:
        raise VdxpError("missing_parameter", "hash-file")
    found = body_content_digest(body, received)
    if found is None:
        raise VdxpError("hash_file_mismatch")
    content, quirks, sha256 = found
    for quirk in quirks:
        signed.note(quirk)
    try:
        accepted = services.receive(system.caller(sender), content, kind=kind, sha256=sha256)
    except HubError as exc:
        raise as_vdxp(exc) from None
    return {"DocId": str(accepted.package_id)}


def _doc_id(signed: SignedRequest) -> uuid.UUID:
    raw = signed.get("docId").strip()
    if not raw:
        raise VdxpError("missing_parameter", "docId")
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise VdxpError("document_not_found", raw[:64]) from None


def _first(system: System, attempt: Callable[[Any], T], doc_id: uuid.UUID) -> T:
    """``attempt(caller)`` for the system's agency that receives ``doc_id`` here (else, for
    a fetch, one that sent it). A system of one agency (the usual case) tries that one: the
    hub's fetch and ack find the package by it; otherwise one lookup says which agency."""
    codes = list(dict.fromkeys(system.codes))
    for caller in (system.caller(code) for code in (codes if len(codes) == 1 else sql.holders(doc_id, codes))):
        try:
            return attempt(caller)
        except NotFound:
            continue
        except HubError as exc:
            raise as_vdxp(exc) from None
    raise VdxpError("document_not_found", str(doc_id))


def fetch(system: System, signed: SignedRequest) -> bytes:
    """The document's bytes with the hub's ``TraceHeader`` appended (``getEdoc``/``downloadEdoc``)."""
    doc_id = _doc_id(signed)
    fetched = _first(system, lambda caller: services.fetch(caller, str(doc_id)), doc_id)
    return append_trace(fetched.data, conf.hub_code(), timezone.localtime(timezone.now(), VN).replace(tzinfo=None))


def get_edoc(system: System, signed: SignedRequest) -> dict[str, Any]:
    return {"data": base64.b64encode(fetch(system, signed)).decode("ascii")}


def _marks(delivery_ids: list[int]) -> dict[int, str]:
    """The last ``updateStatus fail|processing`` each delivery had (``fail``/``processing``)."""
    out: dict[int, str] = {}
    events = [TimelineEvent.RECIPIENT_FAILED.value, TimelineEvent.PROCESSING.value]
    for delivery_id, event in sql.events_of(delivery_ids, events):  # none asked for no rows
        out[delivery_id] = "fail" if event == TimelineEvent.RECIPIENT_FAILED else "processing"
    return out


def _receive_status(state: str, mark: str | None) -> str:
    if state in (DeliveryState.FORWARDING, DeliveryState.FORWARDED, DeliveryState.FAILED):
        return "unknown"
    if state == DeliveryState.ACKED:
        return "fail" if mark == "fail" else "done"
    if mark == "processing":
        return "processing"
    return "fetched" if state == DeliveryState.FETCHED else "waiting"


def received_list(system: System, signed: SignedRequest) -> dict[str, Any]:
    """``getReceivedEdocList``: what waits for the system's agencies (until acknowledged).

    Only ``messagetype`` filters: ``from``, ``to``, ``status`` and the page and date
    parameters may be stale headers of an earlier call, so they are not used.
    """
    kind = _kind(signed, required=False) or PackageKind.ENVELOPE.value
    rows = []
    for caller in system.callers():
        rows += [(caller.agency_code, r) for r in services.inbox(caller, None, 1000, kind=kind)]
    marks = _marks([r.cursor for _, r in rows])
    data = [
        {
            "docId": str(r.package_id),
            "serviceType": SERVICE_TYPE,
            "messageType": _message_type(r.kind),
            "created_time": (received := wire_time(r.received_at)),
            "updated_time": received,
            "from": r.sender_code,
            "to": code,
            "status": (status := _receive_status(r.state, marks.get(r.cursor))),
            "status_desc": RECEIVE_STATUSES[status],
        }
        for code, r in rows
    ]
    return {"data": data}


def count(system: System, kind: str) -> dict[str, Any]:
    """``countReceiveEdoc`` / ``countReceiveStatus``: the type comes from the path."""
    total = Delivery.objects.filter(
        recipient_code__in=system.codes,
        peer__isnull=True,
        state__in=[DeliveryState.WAITING, DeliveryState.FETCHED],
        package__kind=kind,
    ).count()
    return {"count": total}


def _send_status(state: str) -> str:
    if state == DeliveryState.FORWARDING:
        return "forwarding"
    if state == DeliveryState.FAILED:
        return "failed"
    return "sent"


def sent_list(system: System, signed: SignedRequest) -> dict[str, Any]:
    """``getSentEdocList``: one row per package sent by the system's agencies and recipient."""
    qs = Delivery.objects.filter(package__sender_code__in=system.codes).select_related("package")
    kind = _kind(signed, required=False)
    if kind:
        qs = qs.filter(package__kind=kind)
    raw = signed.get("docId").strip()
    if raw:
        try:
            qs = qs.filter(package_id=uuid.UUID(raw))
        except ValueError:
            qs = qs.none()
    deliveries = list(qs.order_by("-id")[:1000])
    marks = _marks([d.pk for d in deliveries])
    data = []
    for d in deliveries:
        p: Package = d.package
        send_status = _send_status(d.state)
        receive_status = _receive_status(d.state, marks.get(d.pk))
        data.append(
            {
                "serviceType": SERVICE_TYPE,
                "senderDocId": str(p.id),
                "receiverDocId": str(p.id) if d.peer_id is None else (d.remote_id or ""),
                "fromCode": p.sender_code,
                "toCode": d.recipient_code,
                "sendStatus": send_status,
                "sendStatusDesc": SEND_STATUSES[send_status],
                "receiveStatus": receive_status,
                "receiveStatusDesc": RECEIVE_STATUSES[receive_status],
                "title": p.subject,
                "messageType": _message_type(p.kind),
                "notation": p.code_notation,
                "sentTime": wire_time(p.received_at),
                "receivedTime": wire_time(d.acked_at or d.fetched_at),
            }
        )
    return {"data": data}


def update_status(system: System, signed: SignedRequest) -> dict[str, Any]:
    """``updateStatus``: ``done`` acknowledges (the document leaves the list), ``fail``
    acknowledges and notes that the recipient could not take it, ``processing`` only notes."""
    doc_id = _doc_id(signed)
    status = signed.get("status").strip().lower()
    if status not in UPDATE_STATUSES:
        raise VdxpError("bad_parameter", f"status={status[:20] or '(trống)'}; cần done, fail hoặc processing")
    description = signed.get("description")[:400]
    if status == "done":
        _first(system, lambda caller: services.ack(caller, str(doc_id)), doc_id)
        return {}
    delivery = (
        Delivery.objects.filter(package_id=doc_id, recipient_code__in=system.codes, peer__isnull=True)
        .order_by("id")
        .first()
    )
    if delivery is None:
        raise VdxpError("document_not_found", str(doc_id))
    detail = description or f"updateStatus {status} (vdxp:{system.systemid})"
    if status == "fail":  # what the native API's refusal does, once however often it is sent
        services.refuse(system.caller(delivery.recipient_code), str(doc_id), code="vdxp_fail", reason=detail)
        return {}
    DeliveryEvent.objects.create(delivery=delivery, event=TimelineEvent.PROCESSING, detail=detail)
    return {}
