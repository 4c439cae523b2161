"""The national hub's protocol (VDXP, ``spec/vdxp-protocol.md``; the hub side in
``docs/vdxp.md``) as a :class:`~vanban.connector.transports.base.HubTransport`, so an office
reaches a hub that speaks only it (the national hub, most provincial hubs, or a vanban hub's
``/vdxp`` endpoint) with the same outbox, inbox, retries and de-duplication as over the
native API.

Every request is signed as the vendor's client signs it (:func:`vanban.vdxp.sign_headers`:
the system id, the parameters, a timestamp, and an HMAC-SHA256 over them keyed with the
system's secret); the hub answers in its JSON envelope (``status``, ``ErrorCode``,
``ErrorDesc``), whatever the HTTP status.

How the interface maps onto the protocol:

- send: ``sendEdoc`` (``messagetype`` ``edoc`` or ``status``) with the package's unpadded
  ``hash-file`` and ``from`` (the account's agency), the bytes followed by CRLF as the
  vendor's client sends them; ``DocId`` is the hub's id. A refusal becomes a :class:`Sent`
  with the error's name as ``code`` (``vdxp_<ErrorCode>`` for a code not in our table) and
  the hub's ``ErrorDesc``; :data:`PERMANENT` says which refusals sending again cannot change.
- arrivals: ``getReceivedEdocList`` for ``edoc`` then for ``status``. The protocol has no
  cursor, no digest and no waiting: each item's cursor is its ``docId``, items already handed
  out since the first call of a pull (``after=None``) are left out (the hub keeps listing a
  package until it is acknowledged), its ``sha256`` is empty (the inbox then has no digest
  to compare) and :attr:`Batch.hub_wait` is None (the listener polls). The items come with
  their bytes, fetched :data:`CONCURRENCY` at a time (the protocol takes one package per
  request) up to :data:`PREFETCH_BYTES`; one that could not be fetched, or beyond that,
  comes without, for the inbox to fetch (and report).
- fetch: ``downloadEdoc`` (the raw bytes); when it gives nothing, ``getEdoc`` (base64 in
  JSON), which also says why a package cannot be had. The hub hands a document out with one
  more ``TraceHeader`` of its own, which the sender's XML signature does not cover: that one
  is removed (:func:`vanban.vdxp.strip_appended_trace`), so what the inbox verifies and keeps
  is the document as its sender signed it. One the hub wrote in another form stays, and the
  signature check then fails: the package is kept in quarantine, not lost.
- ack: ``updateStatus`` ``done`` per package (:data:`CONCURRENCY` at a time); a package the hub no longer knows is taken as
  acknowledged, as the native API's ``unknown``.
- report_secret: ``updateStatus`` ``fail`` with an ASCII description (``secret:<level>``):
  the transport-level refusal; the ``02`` to the sender travels as a status message through
  the outbox, as with the native API. refuse (a package that cannot be read):
  ``updateStatus`` ``fail`` with the reason's code. A package so refused is not acknowledged
  ``done`` afterwards.
- timeline: ``getSentEdocList`` for the package, one row per recipient, mapped to the native
  timeline's shape (:func:`timeline_of`).

A transport object is made for one pull (``transports.for_account``): it remembers what it
listed and refused during that pull only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from vanban.connector.errors import ConnectorError
from vanban.connector.transports.base import ArrivedItem, Batch, Sent
from vanban.errors import DomainError
from vanban.transport import TransportError
from vanban.transport.http import Answer, api_url, request
from vanban.vdxp import (
    MESSAGE_TYPES,
    OPERATIONS,
    SERVICE_TYPE,
    VdxpError,
    decode_answer,
    error_codes,
    format_timestamp,
    hash_file,
    sign_headers,
    strip_appended_trace,
)
from vanban.vdxp import Answer as VdxpAnswer

VN = ZoneInfo("Asia/Ho_Chi_Minh")

__all__ = ["VdxpTransport", "Prepared", "PERMANENT", "timeline_of"]


@dataclass(frozen=True)
class Prepared:
    """One signed request, ready to send."""

    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes | None


PERMANENT = frozenset(
    {
        # the request itself is wrong: the same request meets the same answer
        "missing_header",
        "bad_sign_header",
        "header_mismatch",
        "non_ascii_header",
        "bad_timestamp",
        "unknown_operation",
        "wrong_method",
        "missing_parameter",
        "bad_parameter",
        # the hub refused the package itself
        "bad_body",
        "body_too_large",
        "edxml_invalid",
        "signature_invalid",
        "signer_not_sender",
        "unknown_recipient",
        "sender_mismatch",
        "duplicate_conflict",
        "refused",
    }
)
"""Refusals of a package that sending it again will not change. Not among them, so retried
with backoff: the hub's own trouble (``9xx``, an answer that is not the envelope), a
``hash-file`` that did not match (damaged on the way), and the account's credential or
bindings (wrong secret, unknown or revoked system id, a sender code not bound to it): an
operator fixes those and the waiting packages then go, as after the native API's ``401``.
A code not in our table (another vendor's hub) is retried too: nothing is lost, and the
clerk sees the hub's description meanwhile."""

CONCURRENCY = 4
"""Requests in flight at once for the packages of one pull (fetch, acknowledge)."""
PREFETCH_BYTES = 8 * 1024 * 1024
"""At most this much of a batch is fetched ahead (the native inbox's default ``max_bytes``)."""
T = TypeVar("T")

_PARAMS = {
    "sendEdoc": ("servicetype", "messagetype", "hash-file", "from"),
    "getReceivedEdocList": ("servicetype", "messagetype"),
    "getSentEdocList": ("servicetype", "messagetype", "docId"),
    "getEdoc": ("docId",),
    "downloadEdoc": ("docId",),
    "updateStatus": ("docId", "status", "description"),
}
_GONE = "document_not_found"
_FAILED = "fail"


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    """Threads kept for the process, so each keeps its connection to the hub between pulls
    (:mod:`vanban.transport.http` keeps one per thread and server)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="vanban-vdxp")
    return _pool


def _each(work: Callable[[str], T], package_ids: list[str]) -> list[T]:
    """``work`` for each id, :data:`CONCURRENCY` at a time (the protocol takes one package
    per request), on :func:`_executor`'s threads."""
    if len(package_ids) <= 1:
        return [work(p) for p in package_ids]
    return list(_executor().map(work, package_ids))


def _looks_like_xml(body: bytes) -> bool:
    head = body[:200].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and not head.startswith((b"<!doctype html", b"<html"))


def _ascii(text: str) -> str:
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-_.:")) or "-"


class VdxpTransport:
    name = "vdxp"

    def __init__(self, endpoint: str, system_id: str, secret: str, agency_code: str) -> None:
        self.endpoint = endpoint
        self.system_id = system_id
        self.secret = secret
        self.agency_code = agency_code
        self._listed: set[str] = set()
        self._refused: set[str] = set()

    # --- the wire ---------------------------------------------------------------------------

    def prepare(
        self,
        operation: str,
        params: Iterable[tuple[str, str]] = (),
        *,
        body: bytes | None = b"{}",
        content_type: str = "application/json",
        timestamp: str | None = None,
    ) -> Prepared:
        """The request for ``operation``, signed as the vendor's client signs it (``timestamp``:
        now in Vietnam time, as the vendor's client running there writes it, unless given)."""
        op = OPERATIONS[operation]
        stamp = timestamp or format_timestamp(dt.datetime.now(VN))
        headers = sign_headers(self.system_id, self.secret, list(params), content_type=content_type, timestamp=stamp)
        return Prepared(op.method, api_url(self.endpoint, operation), headers, None if op.method == "GET" else body)

    def params(self, operation: str, values: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """The parameters sent for ``operation``, in the vendor client's order (``servicetype``
        and ``from`` filled in; an empty value left out)."""
        given = {"servicetype": SERVICE_TYPE, "from": self.agency_code, **(values or {})}
        return [(k, given[k]) for k in _PARAMS[operation] if given.get(k)]

    def prepare_send(self, messagetype: str, data: bytes, *, timestamp: str | None = None) -> Prepared:
        """``sendEdoc`` of ``data`` as the vendor's client sends it: its unpadded
        ``hash-file``, ``from`` our agency, the bytes followed by CRLF."""
        params = self.params("sendEdoc", {"messagetype": messagetype, "hash-file": hash_file(data)})
        return self.prepare(
            "sendEdoc", params, body=data + b"\r\n", content_type="application/octet-stream", timestamp=timestamp
        )

    @staticmethod
    def _request(prepared: Prepared, timeout: float = 30.0) -> Answer:
        return request(
            prepared.method, prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=timeout
        )

    def _call(self, operation: str, params: Iterable[tuple[str, str]] = (), *, timeout: float = 30.0, **kw) -> Answer:
        return self._request(self.prepare(operation, params, **kw), timeout)

    @staticmethod
    def _decode(operation: str, answer: Answer) -> VdxpAnswer:
        """The hub's envelope; a :class:`ConnectorError` worth retrying when the answer is
        not one (a proxy's error page, a hub that is starting)."""
        try:
            return decode_answer(answer.body)
        except VdxpError:
            raise ConnectorError(
                f"Trục VDXP trả lời {operation} không đúng định dạng (HTTP {answer.status}).",
                f"{operation}: the VDXP hub's answer is not its envelope (HTTP {answer.status}).",
                code="vdxp_unreadable_answer",
                retryable=True,
            ) from None

    def _ok(self, operation: str, params: Iterable[tuple[str, str]] = (), **kw) -> VdxpAnswer:
        """Call ``operation``; its answer when OK, else :class:`ConnectorError` with the hub's reason."""
        decoded = self._decode(operation, self._call(operation, params, **kw))
        if not decoded.ok:
            raise _error(operation, decoded)
        return decoded

    # --- sending ----------------------------------------------------------------------------

    def _send(self, messagetype: str, data: bytes) -> Sent:
        answer = self._request(self.prepare_send(messagetype, data), timeout=60.0)
        try:
            decoded = self._decode("sendEdoc", answer)
        except ConnectorError as exc:
            return Sent(False, code=exc.code, message_vi=exc.message_vi, message_en=exc.message_en)
        if decoded.ok:  # the same document again answers the first DocId: nothing tells it apart
            return Sent(True, package_id=str(decoded.fields.get("DocId") or "")[:64])
        name, vi, en = _reason(decoded)
        return Sent(False, code=name, message_vi=vi, message_en=en, permanent=name in PERMANENT)

    def send_package(self, data: bytes) -> Sent:
        return self._send("edoc", data)

    def send_status(self, data: bytes) -> Sent:
        return self._send("status", data)

    # --- receiving --------------------------------------------------------------------------

    def arrivals(self, *, after: str | None = None, limit: int = 100, wait: float = 0.0) -> Batch:
        if after is None:
            self._listed.clear()
        items: list[ArrivedItem] = []
        for messagetype in MESSAGE_TYPES:
            if len(items) >= limit:
                break
            answer = self._ok(
                "getReceivedEdocList", self.params("getReceivedEdocList", {"messagetype": messagetype}), body=None
            )
            rows = answer.fields.get("data")
            if not isinstance(rows, list):
                raise ConnectorError(
                    "Trục VDXP trả lời danh sách văn bản đến không đúng định dạng.",
                    "getReceivedEdocList: no data list in the answer.",
                    code="vdxp_malformed_list",
                )
            for row in rows:
                doc_id = str(row.get("docId") or "") if isinstance(row, dict) else ""
                if len(items) >= limit:
                    break
                if not doc_id or doc_id in self._listed or not self._for_us(row):
                    continue
                self._listed.add(doc_id)
                kind = "status" if messagetype == "status" else "envelope"
                items.append(ArrivedItem(package_id=doc_id, kind=kind, sha256="", cursor=doc_id))
        self._prefetch_all(items)
        return Batch(items, hub_wait=None)

    def _prefetch_all(self, items: list[ArrivedItem]) -> None:
        """The items' bytes, :data:`CONCURRENCY` at a time, up to :data:`PREFETCH_BYTES` in
        all (as the native inbox bounds a batch): the rest the inbox fetches one by one. A
        new request starts as soon as one ends (not group by group), until the bytes held
        reach the budget; those then in flight are kept."""
        if len(items) <= 1:
            for item in items:
                item.data = self._prefetch(item.package_id)
            return
        pool, todo, held = _executor(), iter(items), 0
        pending: dict[Future[bytes | None], ArrivedItem] = {}

        def start() -> bool:
            item = next(todo, None)
            if item is not None:
                pending[pool.submit(self._prefetch, item.package_id)] = item
            return item is not None

        while len(pending) < CONCURRENCY and start():
            pass
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                item.data = future.result()
                held += len(item.data or b"")
            while len(pending) < CONCURRENCY and held < PREFETCH_BYTES and start():
                pass

    def _prefetch(self, package_id: str) -> bytes | None:
        """The bytes, or None to leave the failure to the inbox's own fetch of that item."""
        try:
            return self.fetch(package_id)
        except (ConnectorError, TransportError):
            return None

    def _for_us(self, row: dict) -> bool:
        """One system id may stand for several agencies hosted here, each with its own
        account: a row addressed to another of them is left for that one's pull."""
        to = row.get("to")
        codes = to if isinstance(to, list) else [c.strip() for c in str(to or "").strip("[]").split(",")]
        codes = [str(c).strip().strip('"') for c in codes if str(c).strip()]
        return not codes or self.agency_code in codes

    def fetch(self, package_id: str) -> bytes:
        raw = self._call("downloadEdoc", self.params("downloadEdoc", {"docId": package_id}), timeout=60.0)
        if raw.status == 200 and _looks_like_xml(raw.body):
            return strip_appended_trace(raw.body)
        # nothing, or not a document (a proxy's or a login page): getEdoc's envelope says which
        answer = self._ok("getEdoc", self.params("getEdoc", {"docId": package_id}), timeout=60.0)
        try:
            return strip_appended_trace(base64.b64decode(str(answer.fields.get("data") or ""), validate=True))
        except (binascii.Error, ValueError):
            raise ConnectorError(
                f"Trục VDXP gửi nội dung gói tin {package_id} không đọc được (base64).",
                f"getEdoc {package_id}: data is not base64.",
                code="vdxp_bad_content",
            ) from None

    def _update(self, package_id: str, status: str, description: str = "") -> None:
        params = self.params("updateStatus", {"docId": package_id, "status": status, "description": description})
        try:
            self._ok("updateStatus", params)
        except ConnectorError as exc:
            if exc.code != _GONE:
                raise

    def ack(self, package_ids: list[str]) -> None:
        todo = [p for p in package_ids if p not in self._refused]
        failed = [exc for exc in _each(self._ack_one, todo) if exc is not None]
        if failed:
            raise ConnectorError(
                f"Không xác nhận được {len(failed)}/{len(todo)} gói tin: {failed[0].message_vi}",
                f"Cannot ack {len(failed)} of {len(todo)} packages: {failed[0].message_en}",
                code=failed[0].code,
            )

    def _ack_one(self, package_id: str) -> DomainError | None:
        try:
            self._update(package_id, "done")
        except (ConnectorError, TransportError) as exc:
            return exc
        return None

    def report_secret(self, package_id: str, *, level: str, where: str) -> None:
        # header values must be ASCII: the level's code, not its Vietnamese name or ``where``
        self._update(package_id, _FAILED, f"secret:{_ascii(level)}")
        self._refused.add(package_id)

    def refuse(self, package_id: str, reason: DomainError) -> None:
        self._update(package_id, _FAILED, reason.code)
        self._refused.add(package_id)

    # --- what became of what we sent ----------------------------------------------------------

    def timeline(self, package_id: str) -> dict:
        try:
            answer = self._ok(
                "getSentEdocList",
                self.params("getSentEdocList", {"messagetype": "edoc", "docId": package_id}),
                body=None,
                timeout=15.0,
            )
        except ConnectorError as exc:
            raise ConnectorError(
                f"Trục VDXP không trả về diễn biến gói tin: {exc.message_vi}",
                f"The VDXP hub gave no timeline: {exc.message_en}",
                code="timeline_unavailable",
            ) from None
        rows = answer.fields.get("data")
        return timeline_of(package_id, rows if isinstance(rows, list) else [])


_RECEIVED_EVENTS = {
    # receiveStatus (docs/vdxp.md) -> (native timeline event, native delivery state)
    "waiting": ("", "waiting"),
    "fetched": ("fetched", "fetched"),
    "processing": ("fetched", "fetched"),
    "done": ("acked", "acked"),
    "fail": ("recipient_failed", "acked"),
}
_SENT_STATES = {"forwarding": "forwarding", "failed": "failed", "sent": "forwarded"}
_WIRE_TIMES = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _iso(value: object) -> str:
    """A time of the sent list (Vietnam time, ``yyyy/MM/dd HH:mm:ss`` on a vanban hub) as
    ISO 8601 with its offset, as the native timeline gives it; kept as it is otherwise."""
    text = str(value or "").strip()
    for form in _WIRE_TIMES:
        try:
            return dt.datetime.strptime(text, form).replace(tzinfo=VN).isoformat()
        except ValueError:
            continue
    return text


def timeline_of(package_id: str, rows: list) -> dict:
    """``getSentEdocList`` rows as the native API's timeline (``deliveries`` per recipient,
    each with ``events``), as far as the rows tell: ``accepted`` at ``sentTime``; what the
    recipient did (``receiveStatus``) at ``receivedTime``: ``fetched``, ``acked``
    (``done``), ``recipient_failed`` (``fail``); a forward that failed. Statuses are not in
    the rows (they reach the sender's inbox as status messages). A ``receiveStatus`` of
    another hub's own is kept as an event of that name."""
    deliveries = []
    for row in rows:
        if not isinstance(row, dict) or str(row.get("senderDocId") or package_id) != package_id:
            continue
        code = str(row.get("toCode") or "")
        received = str(row.get("receiveStatus") or "")
        sent = str(row.get("sendStatus") or "")
        event, state = _RECEIVED_EVENTS.get(received, (received, received))
        if received == "unknown" or not received:
            event, state = "", _SENT_STATES.get(sent, sent)
        events = [{"event": "accepted", "status_code": "", "detail": "", "at": _iso(row.get("sentTime"))}]
        if sent == "failed":
            events.append(
                {"event": "forward_failed", "status_code": "", "detail": str(row.get("sendStatusDesc") or ""), "at": ""}
            )
        if event:
            events.append(
                {
                    "event": event,
                    "status_code": "",
                    "detail": str(row.get("receiveStatusDesc") or ""),
                    "at": _iso(row.get("receivedTime")),
                }
            )
        deliveries.append(
            {"recipient_code": code, "addressed_code": code, "state": state, "via_hub": None, "events": events}
        )
    return {"id": package_id, "kind": "envelope", "deliveries": deliveries}


def _reason(decoded: VdxpAnswer) -> tuple[str, str, str]:
    """(code, vi, en) of a FAIL answer: our table's name for its ``ErrorCode`` (or
    ``vdxp_<code>``), the hub's description (or the table's)."""
    row = error_codes().get(decoded.error_code)
    name = row.name if row is not None and row.code == decoded.error_code else f"vdxp_{_ascii(decoded.error_code)}"
    vi = decoded.error_desc or (row.vi if row else f"Trục VDXP từ chối (mã lỗi {decoded.error_code}).")
    en = row.en if row else f"The VDXP hub refused (ErrorCode {decoded.error_code})."
    return name, vi, en


def _error(operation: str, decoded: VdxpAnswer) -> ConnectorError:
    name, vi, en = _reason(decoded)
    return ConnectorError(
        f"Trục VDXP từ chối {operation}: {vi}",
        f"{operation}: {en}",
        code=name,
        retryable=name not in PERMANENT,
    )
