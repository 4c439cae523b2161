"""The one HTTP entry point of the VDXP protocol: ``<prefix><operation>``.

Order: the operation and its method, the signed headers (read, then the system and its
HMAC), the body (bounded), then the operation. Every JSON answer is 200 with the envelope
(the client ignores the HTTP status); ``downloadEdoc`` answers the raw bytes, and its errors
with an empty body and a 4xx (the client would save any body as the document).
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from vanban.exchange import conf
from vanban.exchange.api import read_body
from vanban.exchange.errors import TooLarge
from vanban.exchange.vdxp import agencies, conformance, documents
from vanban.exchange.vdxp.systems import System, authenticate
from vanban.vdxp import OPERATIONS, SignedRequest, VdxpError, encode_answer, read_signed_headers
from vanban.vdxp import operations as ops

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _headers(request: HttpRequest) -> list[tuple[str, str]]:
    pairs = [(k[5:].replace("_", "-"), v) for k, v in request.META.items() if k.startswith("HTTP_")]
    if "CONTENT_TYPE" in request.META:
        pairs.append(("Content-Type", request.META["CONTENT_TYPE"]))
    return pairs


def _body(request: HttpRequest) -> bytes:
    try:
        return read_body(request)
    except TooLarge as exc:
        raise VdxpError("body_too_large", exc.message_vi, exc.message_en) from None


def _run(name: str, system: System, signed: SignedRequest, body: bytes) -> dict | bytes:
    if name == ops.GET_AGENCIES_LIST:
        return agencies.agencies_list()
    if name == ops.GET_AGENCIES_LIST_QD20:
        return agencies.agencies_qd20(signed)
    if name == ops.GET_SYNCHRONIZE_UNIT:
        return agencies.synchronize_units()
    if name == ops.REGISTER_AGENCY:
        return agencies.register(system, body)
    if name == ops.DELETE_AGENCY:
        return agencies.delete(system, signed)
    if name == ops.SEND_EDOC:
        return documents.send(system, signed, body)
    if name == ops.GET_RECEIVED_EDOC_LIST:
        return documents.received_list(system, signed)
    if name == ops.GET_SENT_EDOC_LIST:
        return documents.sent_list(system, signed)
    if name == ops.GET_EDOC:
        return documents.get_edoc(system, signed)
    if name == ops.DOWNLOAD_EDOC:
        return documents.fetch(system, signed)
    if name == ops.UPDATE_STATUS:
        return documents.update_status(system, signed)
    if name == ops.COUNT_RECEIVE_EDOC:
        return documents.count(system, "envelope")
    return documents.count(system, "status")  # COUNT_RECEIVE_STATUS


def _answer(name: str, result: dict | bytes | None, error: VdxpError | None) -> HttpResponse:
    if name == ops.DOWNLOAD_EDOC:
        if error is not None:
            status = 404 if error.code == "document_not_found" else 401 if error.error_code.startswith("1") else 400
            response = HttpResponse(b"", status=status)
            response["X-Vdxp-ErrorCode"] = error.error_code  # ASCII: the code only
            return response
        assert isinstance(result, bytes)
        return HttpResponse(result, content_type="application/octet-stream")
    fields = result if isinstance(result, dict) else {}
    return HttpResponse(encode_answer(name, fields, error=error), content_type="application/json; charset=us-ascii")


def _sandbox_problems(request: HttpRequest, body: bytes, signed: SignedRequest | None) -> list[dict]:
    try:
        data = body or _body(request)
    except VdxpError:
        return []  # too large: the error says so
    return conformance.edxml_problems(data, signed.get("hash-file") if signed else "")


@csrf_exempt
def operation(request: HttpRequest, name: str) -> HttpResponse:
    op = OPERATIONS.get(name)
    sandbox = conf.sandbox()
    signed: SignedRequest | None = None
    result: dict | bytes | None = None
    error: VdxpError | None = None
    problems: list[dict] = []
    body = b""  # read once authenticated (the sandbox reads it anyway for sendEdoc)
    try:
        if op is None:
            raise VdxpError("unknown_operation", name[:40])
        if request.method != op.method:
            raise VdxpError("wrong_method", f"{name} dùng {op.method}")
        signed = read_signed_headers(_headers(request))
        system = authenticate(signed)
        if sandbox:  # the quirks seen, which only the sandbox records
            signed.note_timestamp(datetime.now(VN).replace(tzinfo=None))
            if signed.extra_params(op.params):
                signed.note("accumulated_header")
            if request.META.get("HTTP_EXPECT", "").lower() == "100-continue":
                signed.note("expect_continue")
        body = _body(request)
        result = _run(name, system, signed, body)
    except VdxpError as exc:
        error = exc
    except Exception:  # an answer the client can read, never an HTML page
        logger.exception("vdxp %s failed", name)
        error = VdxpError("internal_error")
    if sandbox:
        doc_id = result.get("DocId", "") if isinstance(result, dict) else ""
        systemid = signed.systemid if signed else (request.META.get("HTTP_XROADVNPT_SYSTEMID", "") or "?")
        try:
            if name == ops.SEND_EDOC:  # the edXML's problems, whatever else was wrong with the request
                problems = _sandbox_problems(request, body, signed)
            conformance.record(
                systemid, name, error=error, noted=signed.notes if signed else [], problems=problems, doc_id=doc_id
            )
        except Exception:
            logger.exception("could not record the conformance of %s", name)
    return _answer(name, result, error)
