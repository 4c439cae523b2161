"""The hub API, version 1 (JSON + edXML over HTTPS), mounted at ``/hub/v1/``.

Handlers authenticate (bearer token, or a client certificate passed by a TLS proxy) and
call one service function; :class:`~vanban.exchange.errors.HubError` becomes HTTP here
and only here: ``{"code", "message_vi", "message_en", "details"?}``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from vanban.exchange import conf, services, wakeup
from vanban.exchange.auth import Caller, authenticate_client_certificate, authenticate_token
from vanban.exchange.errors import HubError, TooLarge, Unauthenticated
from vanban.transport import multipart

# the waiting slots' threads must not each keep a database connection (see wakeup)
request_finished.connect(wakeup.keep_few_connections, dispatch_uid="vanban-hub-keep-few-connections")

XML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class HubAuth(HttpBearer):
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Caller | None:
        caller = authenticate_client_certificate(request)
        if caller is not None:
            return caller
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return authenticate_token(token)


api = NinjaAPI(
    title="vanban hub API",
    version="1",
    description="Trục liên thông văn bản: gửi, nhận gói tin edXML và trạng thái. "
    "Interconnection hub: send and receive edXML packages and status messages.",
    urls_namespace="hub-v1",
    auth=HubAuth(),
    docs_url=None,
)


class ErrorOut(Schema):
    code: str
    message_vi: str
    message_en: str
    details: Any = None


class AcceptedOut(Schema):
    id: uuid.UUID
    duplicate: bool


class InboxItem(Schema):
    cursor: int
    package_id: uuid.UUID
    kind: str
    sender_code: str
    document_id: str
    business_type: int | None
    status_code: str
    sha256: str
    size: int
    received_at: dt.datetime
    state: str


class InboxOut(Schema):
    items: list[InboxItem]
    next_cursor: int | None


class TakenItem(InboxItem):
    trace: list[str]
    withdrawn: bool
    content: str | None  # base64 of the package bytes; null when withdrawn


class TakenOut(Schema):
    items: list[TakenItem]
    next_cursor: int | None


class AcksIn(Schema):
    ids: list[str]


class AcksOut(Schema):
    acked: list[str]
    unknown: list[str]


class AckOut(Schema):
    id: uuid.UUID
    state: str


class EventOut(Schema):
    event: str
    status_code: str
    detail: str
    at: dt.datetime


class DeliveryOut(Schema):
    recipient_code: str
    addressed_code: str
    state: str
    via_hub: str | None
    events: list[EventOut]


class TimelineOut(Schema):
    id: uuid.UUID
    kind: str
    document_id: str
    received_at: dt.datetime
    trace: list[str]
    deliveries: list[DeliveryOut]


class RefusalIn(Schema):
    code: str = Field(min_length=1, max_length=64, description="mã lỗi của nơi nhận / the recipient's error code")
    reason: str = Field(min_length=1, max_length=400, description="lý do (tiếng Việt) / the reason, in Vietnamese")


class SecretReportIn(Schema):
    level: str
    where: str = ""


class SecretReportOut(Schema):
    id: int
    package_id: uuid.UUID
    withdrawn: bool


class MeOut(Schema):
    agency_code: str | None
    peer_code: str | None
    hub_code: str


def _error(request: HttpRequest, exc: HubError) -> HttpResponse:
    return api.create_response(request, exc.to_dict(), status=exc.http_status)


@api.exception_handler(HubError)
def _hub_error(request, exc: HubError):
    return _error(request, exc)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _error(
        request, Unauthenticated("Chưa xác thực hoặc khóa truy cập không hợp lệ.", "Missing or invalid credentials.")
    )


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return _error(
        request, HubError("Tham số không hợp lệ.", "Invalid parameters.", code="invalid_parameters", details=exc.errors)
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, HubError(str(exc), str(exc), code="http_error", http_status=exc.status_code))


def read_body(request: HttpRequest) -> bytes:
    """The request body, at most ``VANBAN_HUB_MAX_PACKAGE_BYTES`` (:class:`TooLarge` beyond)."""
    limit = conf.max_package_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise TooLarge(
            f"Gói tin vượt quá giới hạn {limit} byte.",
            f"The package exceeds the limit of {limit} bytes.",
            details={"limit": limit},
        )
    data = request.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(
            f"Gói tin vượt quá giới hạn {limit} byte.",
            f"The package exceeds the limit of {limit} bytes.",
            details={"limit": limit},
        )
    return data


def _list_header(request: HttpRequest, name: str) -> list[str] | None:
    raw = request.headers.get(name)
    if raw is None:
        return None
    return [c.strip() for c in raw.split(",") if c.strip()]


def _receive(request: Any, kind: str):  # django-ninja sets request.auth (the Caller)
    accepted = services.receive(
        request.auth,
        read_body(request),
        kind=kind,
        trace=_list_header(request, "X-Vanban-Trace") or [],
        recipients_hint=_list_header(request, "X-Vanban-Recipients"),
    )
    return Status(202, {"id": accepted.package_id, "duplicate": accepted.duplicate})


REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut, 503: ErrorOut}


@api.post(
    "/packages",
    response={202: AcceptedOut, **REFUSALS},
    openapi_extra=XML_BODY,
    summary="Gửi gói tin văn bản edXML đã ký / send a signed edXML envelope",
)
def post_package(request):
    return _receive(request, "envelope")


@api.post(
    "/status",
    response={202: AcceptedOut, **REFUSALS},
    openapi_extra=XML_BODY,
    summary="Gửi gói tin trạng thái / send a status message",
)
def post_status(request):
    return _receive(request, "status")


WAIT = Query(
    0.0,
    description="Long polling: with nothing to answer, wait up to this many seconds for something to arrive "
    "(at most the hub's `X-Hub-Wait-Max`; a hub without that header answers at once).",
)
WAIT_HEADERS = {
    "X-Hub-Wait-Max": {
        "description": "The hub honours `wait`, up to this many seconds (absent: it never waits).",
        "schema": {"type": "number"},
    }
}


@api.get(
    "/inbox",
    response={200: InboxOut, 400: ErrorOut, 401: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "OK",
                "headers": WAIT_HEADERS,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InboxOut"}}},
            }
        }
    },
    summary="Gói tin đang chờ cơ quan / what waits for the caller",
)
def get_inbox(request, after: int | None = None, limit: int = 100, wait: float = WAIT):
    rows = services.inbox(request.auth, after, limit, wait=wait)
    items = [_item(r) for r in rows]
    # built here rather than validated item by item: the rows come typed from the database
    return _may_wait(JsonResponse({"items": items, "next_cursor": rows[-1].cursor if rows else None}))


WAIT_HEADER = "X-Hub-Wait-Max"


def _may_wait(response: HttpResponse) -> HttpResponse:
    """Tell the client this hub honours ``wait`` (long polling), and up to how long."""
    longest = conf.max_wait()
    if longest > 0:
        response[WAIT_HEADER] = f"{longest:g}"
    return response


def _item(r) -> dict:
    return {
        "cursor": r.cursor,
        "package_id": str(r.package_id),
        "kind": r.kind,
        "sender_code": r.sender_code,
        "document_id": r.document_id,
        "business_type": r.business_type,
        "status_code": r.status_code,
        "sha256": r.sha256,
        "size": r.size,
        "received_at": r.received_at.isoformat(),
        "state": r.state,
    }


INBOX_CONTENT_200 = {
    "description": "JSON (`content`: base64), or with `Accept: multipart/mixed` a first part "
    "`application/json` (the items without `content`, and `next_cursor`), then one part "
    "`application/xml` per package not withdrawn, its bytes as they are, "
    "`Content-ID: <package_id>`.",
    "headers": WAIT_HEADERS,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/TakenOut"}},
        "multipart/mixed": {"schema": {"type": "string", "format": "binary"}},
    },
}


@api.get(
    "/inbox/content",
    response={200: TakenOut, 400: ErrorOut, 401: ErrorOut},
    openapi_extra={"responses": {"200": INBOX_CONTENT_200}},
    summary="Gói tin đang chờ kèm nội dung, đánh dấu đã tải / what waits, with the packages' bytes "
    "(base64 in JSON, or multipart/mixed), marked fetched",
)
def get_inbox_content(
    request, after: int | None = None, limit: int = 100, max_bytes: int = 8 * 1024 * 1024, wait: float = WAIT
):
    taken = services.take_inbox(request.auth, after, limit, max_bytes, wait=wait)
    next_cursor = taken[-1].row.cursor if taken else None
    if "multipart/mixed" in request.headers.get("Accept", ""):
        items = [{**_item(t.row), "trace": t.trace, "withdrawn": t.data is None} for t in taken]
        content_type, body = multipart.encode(
            [({"Content-Type": "application/json"}, json.dumps({"items": items, "next_cursor": next_cursor}).encode())]
            + [
                ({"Content-Type": "application/xml", "Content-ID": f"<{t.row.package_id}>"}, t.data)
                for t in taken
                if t.data is not None
            ]
        )
        return _may_wait(HttpResponse(body, content_type=content_type))
    # Written piece by piece: base64 needs no JSON escaping, and running megabytes of it
    # through the JSON encoder cost more than the rest of the request.
    parts = [b'{"items": [']
    for i, t in enumerate(taken):
        meta = json.dumps({**_item(t.row), "trace": t.trace, "withdrawn": t.data is None}).encode()
        content = b'"' + base64.b64encode(t.data) + b'"' if t.data is not None else b"null"
        parts += [b", " if i else b"", meta[:-1], b', "content": ', content, b"}"]
    parts.append(b'], "next_cursor": ' + json.dumps(next_cursor).encode() + b"}")
    return _may_wait(HttpResponse(b"".join(parts), content_type="application/json"))


@api.post(
    "/acks",
    response={200: AcksOut, 400: ErrorOut, 401: ErrorOut},
    summary="Xác nhận đã nhận nhiều gói tin / acknowledge several packages",
)
def post_acks(request, body: AcksIn):
    acked, unknown = services.ack_many(request.auth, body.ids)
    return {"acked": acked, "unknown": unknown}


@api.get(
    "/packages/{package_id}",
    response={200: None, 401: ErrorOut, 404: ErrorOut, 410: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "edXML",
                "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Tải gói tin / the package bytes",
)
def get_package(request, package_id: str):
    fetched = services.fetch(request.auth, package_id)
    response = HttpResponse(fetched.data, content_type="application/xml")
    response["X-Vanban-Sha256"] = fetched.sha256
    response["X-Vanban-Trace"] = ",".join(fetched.trace)
    return response


@api.post(
    "/packages/{package_id}/ack",
    response={200: AckOut, 401: ErrorOut, 404: ErrorOut},
    summary="Xác nhận đã nhận / acknowledge",
)
def post_ack(request, package_id: str):
    state = services.ack(request.auth, package_id)
    return {"id": package_id, "state": state}


@api.post(
    "/packages/{package_id}/refusal",
    response={200: AckOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Từ chối gói tin không nhận được; trục không giao lại / refuse a package that cannot be taken",
)
def post_refusal(request, package_id: str, body: RefusalIn):
    state = services.refuse(request.auth, package_id, code=body.code, reason=body.reason)
    return {"id": package_id, "state": state}


@api.post(
    "/packages/{package_id}/secret-report",
    response={201: SecretReportOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Báo gói tin có dấu độ mật; trục xóa nội dung / report a secret document; the hub withdraws its content",
)
def post_secret_report(request, package_id: str, body: SecretReportIn):
    report = services.report_secret(request.auth, package_id, level=body.level, where=body.where)
    return Status(201, {"id": report.pk, "package_id": report.package_id, "withdrawn": True})


@api.get(
    "/packages/{package_id}/timeline",
    response={200: TimelineOut, 401: ErrorOut, 404: ErrorOut},
    summary="Diễn biến chuyển phát theo từng nơi nhận / per-recipient timeline (sender only)",
)
def get_timeline(request, package_id: str):
    package, deliveries = services.timeline(request.auth, package_id)
    return {
        "id": package.id,
        "kind": package.kind,
        "document_id": package.document_id,
        "received_at": package.received_at,
        "trace": package.trace,
        "deliveries": [
            {
                "recipient_code": d.recipient_code,
                "addressed_code": d.addressed_code,
                "state": d.state,
                "via_hub": d.peer.code if d.peer is not None else None,
                "events": [
                    {"event": e.event, "status_code": e.status_code, "detail": e.detail, "at": e.at}
                    for e in d.events.all()
                ],
            }
            for d in deliveries
        ],
    }


@api.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Ai đang gọi / who am I")
def get_me(request):
    caller: Caller = request.auth
    return {"agency_code": caller.agency_code, "peer_code": caller.peer_code, "hub_code": conf.hub_code()}
