"""The page's side of signing with a USB token through the local signing agent: JSON
endpoints the page's script (``static/web/tokensign.js``) calls between its requests to the
agent. Prepare (one document, or the ticked ones of the batch page) gives the digests to
sign; finish takes the token's values back. The văn thư seals with the agency's token the
same way (one document, its own prepare and finish). The rules are the registry's
(:mod:`vanban.registry.services.tokensigning`); these only read and answer JSON."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from vanban.errors import DomainError
from vanban.registry import services
from vanban.registry.errors import RegistryError
from vanban.registry.queries import my_work
from vanban.web.outgoing import _document, _person

MAX_BODY = 256 * 1024
"""The largest request these take: certificates and a batch of signature values."""


class _Bad(DomainError):
    """A request the page's script should never send (too large, not JSON, no certificate)."""

    code = "bad_request"


def _json(request: HttpRequest) -> dict[str, Any]:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise _Bad("Yêu cầu quá lớn.")
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _Bad("Yêu cầu không đúng định dạng.") from None
    if not isinstance(body, dict):
        raise _Bad("Yêu cầu không đúng định dạng.")
    return body


def _token_certificate(body: dict[str, Any]) -> tuple[str, list[str]]:
    """The token's certificate and its chain (PEM) as the page's script sends them."""
    cert, chain = body.get("certificate"), body.get("chain") or []
    if not isinstance(cert, str) or not isinstance(chain, list) or not all(isinstance(c, str) for c in chain):
        raise _Bad("Thiếu chứng thư số của thiết bị ký số.")
    return cert, chain


def _refusal(message: str, code: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def _prepared(batch: services.TokenBatch) -> JsonResponse:
    return JsonResponse(
        {
            "digest_algorithm": batch.prepared[0].digest_algorithm if batch.prepared else "sha256",
            "items": [
                {"token": t.token, "document": t.document.pk, "digest": base64.b64encode(t.digest).decode("ascii")}
                for t in batch.prepared
            ],
            "failed": [{"document": d.pk, "subject": d.subject, "message": why} for d, why in batch.failed],
        }
    )


def _prepare(request: HttpRequest, documents: list) -> JsonResponse:
    try:
        cert, chain = _token_certificate(_json(request))
        batch = services.prepare_token_signatures(request.user, documents, cert, chain)
    except _Bad as exc:
        return _refusal(str(exc), "bad_request")
    except RegistryError as exc:
        return _refusal(exc.message_vi, exc.code, 409)
    if not batch.prepared:
        return _refusal(batch.failed[0][1] if batch.failed else "Hãy chọn văn bản cần ký.", "nothing_to_sign", 409)
    return _prepared(batch)


@login_required
@require_POST
def token_prepare(request: HttpRequest, pk: int) -> JsonResponse:
    """One document: ``{"certificate": PEM, "chain": [PEM]}`` → the digest to sign."""
    return _prepare(request, [_document(request, pk)])


@login_required
@require_POST
def batch_token_prepare(request: HttpRequest) -> JsonResponse:
    """Ký số hàng loạt with the token: ``{"documents": [id], "certificate": ..., "chain": ...}``;
    only documents waiting for my signature are taken."""
    try:
        ids = [int(v) for v in _json(request).get("documents") or []]
    except (_Bad, ValueError, TypeError):
        return _refusal("Hãy chọn văn bản cần ký.", "bad_request")
    waiting = list(my_work(_person(request))["outgoing_to_sign"].filter(pk__in=ids))
    return _prepare(request, waiting)


@login_required
@require_POST
def token_finish(request: HttpRequest) -> JsonResponse:
    """``{"signatures": {pending token: base64 value}}`` → each document signed, and where
    the page goes next (the document, or the batch page), with the outcome as messages."""
    try:
        raw = _json(request).get("signatures")
        if not isinstance(raw, dict) or not raw or len(raw) > 200:
            raise _Bad("Thiếu chữ ký số trả về từ thiết bị ký số.")
        values = {str(k): base64.b64decode(str(v), validate=True) for k, v in raw.items()}
        done = services.finish_token_signatures(request.user, values)
    except (_Bad, binascii.Error, ValueError) as exc:
        return _refusal(str(exc) if isinstance(exc, _Bad) else "Chữ ký trả về không đúng định dạng.", "bad_request")
    except RegistryError as exc:
        return _refusal(exc.message_vi, exc.code, 409)
    if len(done.signed) == 1 and not done.failed:
        messages.success(request, "Đã ký số văn bản.")
        where = reverse("web:outgoing", args=[done.signed[0].pk])
    else:
        if done.signed:
            messages.success(request, f"Đã ký số {len(done.signed)} văn bản.")
        for doc, why in done.failed:
            messages.error(request, f"Chưa ký “{doc.subject[:80]}”: {why}")
        where = reverse("web:batch_sign") if len(values) > 1 else reverse("web:outgoing", args=[done.failed[0][0].pk])
    return JsonResponse(
        {"signed": [d.pk for d in done.signed], "failed": [d.pk for d, _ in done.failed], "redirect": where},
        status=200 if done.signed else 409,
    )


@login_required
@require_POST
def token_seal_prepare(request: HttpRequest, pk: int) -> JsonResponse:
    """The văn thư seals with the agency's token: ``{"certificate": PEM, "chain": [PEM]}`` →
    the seal's digest (the certificate must be this agency's own)."""
    document = _document(request, pk)
    try:
        cert, chain = _token_certificate(_json(request))
        prepared = services.prepare_token_seal(request.user, document, cert, chain)
    except _Bad as exc:
        return _refusal(str(exc), "bad_request")
    except RegistryError as exc:
        return _refusal(exc.message_vi, exc.code, 409)
    return _prepared(services.TokenBatch(prepared=[prepared]))


@login_required
@require_POST
def token_seal_finish(request: HttpRequest) -> JsonResponse:
    """``{"signatures": {pending token: base64 value}}`` (one) → the document sealed, and
    the document's page to go back to, with the outcome as a message."""
    try:
        raw = _json(request).get("signatures")
        if not isinstance(raw, dict) or len(raw) != 1:
            raise _Bad("Thiếu chữ ký số trả về từ thiết bị ký số.")
        ((token, value),) = raw.items()
        document = services.finish_token_seal(request.user, str(token), base64.b64decode(str(value), validate=True))
    except (_Bad, binascii.Error, ValueError) as exc:
        return _refusal(str(exc) if isinstance(exc, _Bad) else "Chữ ký trả về không đúng định dạng.", "bad_request")
    except RegistryError as exc:
        return _refusal(exc.message_vi, exc.code, 409)
    messages.success(request, "Đã ký số của cơ quan (đóng dấu).")
    return JsonResponse(
        {"signed": [document.pk], "failed": [], "redirect": reverse("web:outgoing", args=[document.pk])}
    )
