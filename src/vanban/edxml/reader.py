"""Tolerant reading: an lxml tree of a real-world package → model objects.

Elements are found by local name in any namespace and in any order; ``Bussiness…``
and ``Business…`` are both read; content ids match with or without ``cid:``;
``StatusCode`` written as an integer is normalised to two digits; a
``TraceHeaderList``, ``Signature`` or ``edXMLBody`` misplaced by a producer is still
found. Each tolerated quirk is recorded as a :class:`~vanban.edxml.model.ParseNote`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from lxml import etree

from vanban.edxml import values
from vanban.edxml.attachments import DIGEST_ATTR, decode_content, sha256_hex
from vanban.edxml.errors import (
    AttachmentError,
    DigestMismatchError,
    HugeTextError,
    StructureError,
)
from vanban.edxml.model import (
    Attachment,
    Business,
    BusinessDocType,
    BusinessDocumentInfo,
    DocumentCode,
    DocumentType,
    Envelope,
    Organization,
    OtherInfo,
    Package,
    ParseNote,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignatureInfo,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
)
from vanban.edxml.safexml import DSIG_NS, element_path, local

__all__ = ["read_package", "DEFAULT_MAX_TEXT"]

DEFAULT_MAX_TEXT = 1024 * 1024
_Kids = dict[str, list[etree._Element]]


@dataclass
class _Ctx:
    verify_digests: bool
    strict: bool
    max_text: int
    decode: bool = True
    notes: list[ParseNote] = field(default_factory=list)

    def note(self, code: str, el: etree._Element | None, vi: str, en: str) -> None:
        loc = element_path(el) if el is not None else "/"
        line = el.sourceline if el is not None else None
        self.notes.append(ParseNote(code, loc, vi, en, line))


def _kids(el: etree._Element) -> _Kids:
    out: _Kids = {}
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(local(child), []).append(child)
    return out


def _status_named_header(ctx: _Ctx, env: etree._Element) -> etree._Element | None:
    """One vendor's SDK names a status message's header ``Status`` (its class's XML root
    name) instead of ``MessageHeader``: read it as the header, and say so."""
    for header in env.iterchildren("{*}edXMLHeader"):
        for el in header.iterchildren("{*}Status"):
            if any(isinstance(c.tag, str) and local(c) == "StatusCode" for c in el):
                ctx.note(
                    "status-header-name",
                    el,
                    "Phần tiêu đề gói tin trạng thái tên là Status thay vì MessageHeader (đã đọc được).",
                    "The status message's header is named Status instead of MessageHeader (read anyway).",
                )
                return el
    return None


def _find(el: etree._Element, name: str) -> etree._Element | None:
    """First element (``el`` itself included) with this local name, in any namespace."""
    for d in el.iter("{*}" + name):
        return d
    return None


_OTHER_INFO_KNOWN = frozenset(
    {"Priority", "SphereOfPromulgation", "TyperNotation", "PromulgationAmount", "PageAmount", "Direction", "Appendixes"}
)


def _pick(ctx: _Ctx, kids: _Kids, name: str, *aliases: str) -> etree._Element | None:
    for n in (name, *aliases):
        found = kids.get(n)
        if found:
            if n != name:
                ctx.note(
                    "alternate-spelling",
                    found[0],
                    f"Phần tử “{n}” được đọc như “{name}” (cách viết của chuẩn).",
                    f"Element '{n}' read as '{name}' (the standard's spelling).",
                )
            return found[0]
    return None


def _text(ctx: _Ctx, el: etree._Element) -> str:
    text = el.text or ""
    if len(el):
        text = "".join(t for t in el.itertext() if isinstance(t, str))
    if len(text) > ctx.max_text:
        raise HugeTextError(
            f"Phần tử {local(el)} chứa {len(text)} ký tự, vượt giới hạn {ctx.max_text}.",
            f"Element {local(el)} holds {len(text)} characters, over the limit of {ctx.max_text}.",
            location=element_path(el),
            line=el.sourceline,
        )
    return text.strip()


def _str(ctx: _Ctx, kids: _Kids, name: str, *aliases: str) -> str | None:
    el = _pick(ctx, kids, name, *aliases)
    return None if el is None else _text(ctx, el)


def _int(ctx: _Ctx, kids: _Kids, name: str, *aliases: str) -> int | None:
    el = _pick(ctx, kids, name, *aliases)
    if el is None:
        return None
    text = _text(ctx, el)
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        ctx.note(
            "invalid-integer",
            el,
            f"“{text}” không phải số nguyên; bỏ qua giá trị.",
            f"'{text}' is not an integer; value ignored.",
        )
        return None


_When = TypeVar("_When", bound=dt.date)


def _dated(
    ctx: _Ctx,
    kids: _Kids,
    name: str,
    read: Callable[[str], tuple[_When | None, bool]],
    code: str,
    what_vi: str,
    what_en: str,
    fmt: str,
) -> _When | None:
    """A date or timestamp element: read tolerantly, with a note when it is invalid
    (value dropped) or not written in the standard's format (value kept)."""
    el = _pick(ctx, kids, name)
    if el is None:
        return None
    text = _text(ctx, el)
    if text == "":
        return None
    value, standard = read(text)
    if value is None:
        ctx.note(
            f"invalid-{code}",
            el,
            f"{what_vi} “{text}” không hợp lệ (phải là {fmt}); bỏ qua giá trị.",
            f"{what_en} '{text}' is invalid (must be {fmt}); value ignored.",
        )
    elif not standard:
        ctx.note(
            f"{code}-format",
            el,
            f"{what_vi} “{text}” không viết theo dạng {fmt} của chuẩn.",
            f"{what_en} '{text}' is not written as the standard's {fmt}.",
        )
    return value


def _date(ctx: _Ctx, kids: _Kids, name: str) -> dt.date | None:
    return _dated(ctx, kids, name, values.read_date, "date", "Ngày", "Date", "yyyy/MM/dd")


def _timestamp(ctx: _Ctx, kids: _Kids, name: str) -> dt.datetime | None:
    return _dated(ctx, kids, name, values.read_timestamp, "timestamp", "Thời điểm", "Timestamp", "yyyy/MM/dd HH:mm:ss")


def _organization(ctx: _Ctx, el: etree._Element) -> Organization:
    k = _kids(el)
    organ_id = _str(ctx, k, "OrganId")
    if organ_id is None:
        ctx.note("missing-organ-id", el, f"{local(el)} thiếu OrganId.", f"{local(el)} has no OrganId.")
    nested = k.get("From", []) + k.get("To", [])
    if nested:
        ctx.note(
            "nested-organization",
            nested[0],
            f"Phần tử {local(nested[0])} lồng trong {local(el)}: bỏ qua.",
            f"Element {local(nested[0])} nested in {local(el)}: ignored.",
        )
    return Organization(
        organ_id=organ_id or "",
        organization_in_charge=_str(ctx, k, "OrganizationInCharge"),
        organ_name=_str(ctx, k, "OrganName"),
        organ_add=_str(ctx, k, "OrganAdd"),
        email=_str(ctx, k, "Email"),
        telephone=_str(ctx, k, "Telephone"),
        fax=_str(ctx, k, "Fax"),
        website=_str(ctx, k, "Website"),
    )


def _staff(ctx: _Ctx, el: etree._Element | None) -> StaffInfo | None:
    if el is None:
        return None
    k = _kids(el)
    return StaffInfo(
        department=_str(ctx, k, "Department"),
        staff=_str(ctx, k, "Staff"),
        email=_str(ctx, k, "Email"),
        mobile=_str(ctx, k, "Mobile"),
    )


def _response_for(ctx: _Ctx, el: etree._Element) -> ResponseFor:
    k = _kids(el)
    return ResponseFor(
        organ_id=_str(ctx, k, "OrganId"),
        code=_str(ctx, k, "Code"),
        promulgation_date=_date(ctx, k, "PromulgationDate"),
        document_id=_str(ctx, k, "DocumentId"),
    )


def _signature(ctx: _Ctx, root: etree._Element) -> SignatureInfo | None:
    sig = None
    placeholder = None
    for d in root.iter("{*}Signature", "{*}DigitalSignature"):
        name = local(d)
        if name == "Signature" and sig is None:
            sig = d
        elif name == "DigitalSignature" and placeholder is None:
            placeholder = d
    if sig is None:
        if placeholder is not None:
            ctx.note(
                "signature-placeholder",
                placeholder,
                "Phần tử DigitalSignature giữ chỗ (rỗng): gói tin được coi là chưa ký.",
                "Empty DigitalSignature placeholder: the package is treated as unsigned.",
            )
            return SignatureInfo(present=False, namespace_ok=True, placeholder=True)
        return None
    ns_ok = etree.QName(sig).namespace == DSIG_NS
    if not ns_ok:
        ctx.note(
            "signature-namespace",
            sig,
            "Phần tử Signature không thuộc không gian tên xmldsig.",
            "The Signature element is not in the xmldsig namespace.",
        )
    parent = sig.getparent()
    if parent is None or local(parent) != "edXMLHeader":
        ctx.note(
            "signature-placement",
            sig,
            "Chữ ký không nằm trực tiếp trong edXMLHeader.",
            "The signature is not a direct child of edXMLHeader.",
        )

    def attr(name: str, a: str) -> str | None:
        e = _find(sig, name)
        return e.get(a) if e is not None else None

    uris = tuple(d.get("URI", "") for d in sig.iter("{*}Reference"))
    subj = _find(sig, "X509SubjectName")
    cert = _find(sig, "X509Certificate")
    return SignatureInfo(
        present=True,
        namespace_ok=ns_ok,
        signature_method=attr("SignatureMethod", "Algorithm"),
        digest_method=attr("DigestMethod", "Algorithm"),
        reference_uris=uris,
        subject_name=(subj.text or "").strip() or None if subj is not None else None,
        has_certificate=cert is not None and bool((cert.text or "").strip()),
    )


def _attachments(ctx: _Ctx, root: etree._Element, envelope: etree._Element) -> list[Attachment]:
    refs: dict[str, dict[str, str | None]] = {}
    ref_order: list[str] = []
    manifest = _find(envelope, "edXMLManifest")
    if manifest is not None:
        for ref in manifest:
            if not isinstance(ref.tag, str) or local(ref) != "Reference":
                continue
            k = _kids(ref)
            cid = values.strip_cid(_str(ctx, k, "ContentId") or "")
            refs[cid] = {
                "name": _str(ctx, k, "AttachmentName"),
                "type": _str(ctx, k, "ContentType"),
                "desc": _str(ctx, k, "Description"),
            }
            ref_order.append(cid)
    out: list[Attachment] = []
    seen: set[str] = set()
    encoded = _find(root, "AttachmentEncoded")
    if encoded is not None and encoded.getparent() is not root:
        ctx.note(
            "attachments-placement",
            encoded,
            "AttachmentEncoded không nằm ngay dưới phần tử gốc edXML.",
            "AttachmentEncoded is not a direct child of the edXML root.",
        )
    for att in encoded if encoded is not None else []:
        if not isinstance(att.tag, str) or local(att) != "Attachment":
            continue
        k = _kids(att)
        cid = values.strip_cid(_str(ctx, k, "ContentId") or "")
        ref = refs.get(cid, {})
        if cid not in refs:
            ctx.note(
                "attachment-unlisted",
                att,
                f"Tệp đính kèm “{cid}” không có trong edXMLManifest.",
                f"Attachment '{cid}' is not listed in the edXMLManifest.",
            )
        seen.add(cid)
        enc = _pick(ctx, k, "ContentTransferEncoded")
        content = b""
        if not ctx.decode:
            pass
        elif enc is None:
            ctx.note(
                "attachment-no-content",
                att,
                f"Tệp đính kèm “{cid}” không có ContentTransferEncoded.",
                f"Attachment '{cid}' has no ContentTransferEncoded.",
            )
        else:
            try:
                content = decode_content(enc.text or "", element_path(enc))
            except AttachmentError as exc:
                if ctx.strict:
                    raise
                ctx.note(exc.code, enc, exc.message_vi, exc.message_en)
        digest = att.get(DIGEST_ATTR)
        if digest is not None and enc is not None and content:
            if sha256_hex(content) != digest.strip().lower():
                err = DigestMismatchError(
                    f"Nội dung tệp đính kèm “{cid}” không khớp mã băm SHA-256 đi kèm: tệp đã bị thay đổi.",
                    f"The content of attachment '{cid}' does not match its SHA-256 digest: it was altered.",
                    location=element_path(att),
                    line=att.sourceline,
                )
                if ctx.verify_digests:
                    raise err
                ctx.note(err.code, att, err.message_vi, err.message_en)
        name = _str(ctx, k, "AttachmentName")
        ctype = _str(ctx, k, "ContentType")
        desc = _str(ctx, k, "Description")
        out.append(
            Attachment(
                content_id=cid,
                name=name if name is not None else (ref.get("name") or ""),
                content_type=ctype if ctype is not None else (ref.get("type") or ""),
                content=content,
                description=desc if desc is not None else ref.get("desc"),
            )
        )
    for cid in ref_order:
        if cid not in seen:
            ctx.note(
                "attachment-missing",
                manifest,
                f"edXMLManifest liệt kê tệp “{cid}” nhưng không có nội dung trong AttachmentEncoded.",
                f"The edXMLManifest lists '{cid}' but AttachmentEncoded has no content for it.",
            )
            if ctx.strict:
                raise AttachmentError(
                    f"Thiếu nội dung tệp đính kèm “{cid}”.",
                    f"Missing content for attachment '{cid}'.",
                    code="attachment-missing",
                )
    return out


def _business(ctx: _Ctx, el: etree._Element) -> Business:
    k = _kids(el)
    doc_type = _int(ctx, k, "BussinessDocType", "BusinessDocType")
    if doc_type is None:
        ctx.note("missing-business-type", el, "Thiếu BussinessDocType.", "BussinessDocType is missing.")
    info_el = _pick(ctx, k, "BussinessDocumentInfo", "BusinessDocumentInfo")
    info = None
    if info_el is not None:
        ik = _kids(info_el)
        receivers: list[Receiver] = []
        rl = _pick(ctx, ik, "ReceiverList")
        for r in _kids(rl).get("Receiver", []) if rl is not None else []:
            rk = _kids(r)
            receivers.append(Receiver(organ_id=_str(ctx, rk, "OrganId"), receiver_type=_int(ctx, rk, "ReceiverType")))
        info = BusinessDocumentInfo(
            document_info=_int(ctx, ik, "DocumentInfo"),
            document_receiver=_int(ctx, ik, "DocumentReceiver"),
            receivers=receivers,
        )
    replacements: list[ReplacementInfo] = []
    rep = _pick(ctx, k, "ReplacementInfoList")
    for ri in _kids(rep).get("ReplacementInfo", []) if rep is not None else []:
        rk = _kids(ri)
        ol = _pick(ctx, rk, "OrganIdList")
        ids = [_text(ctx, o) for o in _kids(ol).get("OrganId", [])] if ol is not None else []
        replacements.append(ReplacementInfo(document_id=_str(ctx, rk, "DocumentId"), organ_ids=ids))
    typed: int = -1 if doc_type is None else doc_type
    if typed in {m.value for m in BusinessDocType}:
        typed = BusinessDocType(typed)
    return Business(
        business_doc_type=typed,
        document_id=_str(ctx, k, "DocumentId"),
        business_doc_reason=_str(ctx, k, "BussinessDocReason", "BusinessDocReason"),
        paper=_int(ctx, k, "Paper"),
        staff_info=_staff(ctx, _pick(ctx, k, "StaffInfo")),
        document_info=info,
        replacements=replacements,
    )


def _envelope(ctx: _Ctx, root: etree._Element, env: etree._Element, mh: etree._Element) -> Envelope:
    k = _kids(mh)
    froms = k.get("From", [])
    sender = _organization(ctx, froms[0]) if froms else Organization("")
    if not froms:
        ctx.note("missing-sender", mh, "Thiếu From (cơ quan gửi).", "From (sender) is missing.")
    code_el = _pick(ctx, k, "Code")
    code = None
    if code_el is not None:
        ck = _kids(code_el)
        code = DocumentCode(_str(ctx, ck, "CodeNumber") or "", _str(ctx, ck, "CodeNotation") or "")
    pi_el = _pick(ctx, k, "PromulgationInfo")
    pinfo = None
    if pi_el is not None:
        pk = _kids(pi_el)
        pinfo = PromulgationInfo(_str(ctx, pk, "Place"), _date(ctx, pk, "PromulgationDate"))
    dt_el = _pick(ctx, k, "DocumentType")
    dtype = None
    if dt_el is not None:
        dk = _kids(dt_el)
        dtype = DocumentType(_int(ctx, dk, "Type"), _int(ctx, dk, "TypeDetail"), _str(ctx, dk, "TypeName"))
    si_el = _pick(ctx, k, "SignerInfo")
    signer = None
    if si_el is not None:
        sk = _kids(si_el)
        signer = SignerInfo(_str(ctx, sk, "Competence"), _str(ctx, sk, "Position"), _str(ctx, sk, "FullName"))
    tp_el = _pick(ctx, k, "ToPlaces")
    to_places = None
    if tp_el is not None:
        to_places = [_text(ctx, p) for p in _kids(tp_el).get("Place", [])]
    oi_el = _pick(ctx, k, "OtherInfo")
    other = None
    if oi_el is not None:
        ok = _kids(oi_el)
        direction_text = _str(ctx, ok, "Direction")
        direction = None
        if direction_text:
            direction = direction_text.lower() in ("true", "1")
        apx = _pick(ctx, ok, "Appendixes")
        other = OtherInfo(
            priority=_int(ctx, ok, "Priority"),
            sphere_of_promulgation=_str(ctx, ok, "SphereOfPromulgation"),
            typer_notation=_str(ctx, ok, "TyperNotation"),
            promulgation_amount=_int(ctx, ok, "PromulgationAmount"),
            page_amount=_int(ctx, ok, "PageAmount"),
            direction=direction,
            appendixes=[_text(ctx, a) for a in _kids(apx).get("Appendix", [])] if apx is not None else [],
            extensions={name: _text(ctx, els[0]) for name, els in ok.items() if name not in _OTHER_INFO_KNOWN},
        )
    trace_headers: list[TraceHeader] = []
    business = None
    thl = _find(env, "TraceHeaderList")
    if thl is not None:
        if thl.getparent() is mh:
            ctx.note(
                "trace-placement",
                thl,
                "TraceHeaderList nằm trong MessageHeader thay vì edXMLHeader.",
                "TraceHeaderList is inside MessageHeader instead of edXMLHeader.",
            )
        tk = _kids(thl)
        for th in tk.get("TraceHeader", []):
            hk = _kids(th)
            trace_headers.append(TraceHeader(_str(ctx, hk, "OrganId"), _timestamp(ctx, hk, "Timestamp")))
        b_el = _pick(ctx, tk, "Bussiness", "Business")
        if b_el is not None:
            business = _business(ctx, b_el)
    return Envelope(
        sender=sender,
        recipients=[_organization(ctx, t) for t in k.get("To", [])],
        code=code,
        promulgation_info=pinfo,
        document_type=dtype,
        subject=_str(ctx, k, "Subject"),
        content=_str(ctx, k, "Content"),
        signer_info=signer,
        due_date=_date(ctx, k, "DueDate"),
        to_places=to_places,
        other_info=other,
        response_for=[_response_for(ctx, r) for r in k.get("ResponseFor", [])],
        steering_type=_int(ctx, k, "SteeringType"),
        document_id=_str(ctx, k, "DocumentId"),
        trace_headers=trace_headers,
        business=business,
        attachments=_attachments(ctx, root, env),
        signature=_signature(ctx, root),
        notes=ctx.notes,
    )


def _status(ctx: _Ctx, root: etree._Element, mh: etree._Element) -> StatusMessage:
    k = _kids(mh)
    froms = k.get("From", [])
    sender = _organization(ctx, froms[0]) if froms else Organization("")
    if not froms:
        ctx.note("missing-sender", mh, "Thiếu From (cơ quan gửi).", "From (sender) is missing.")
    rf = k.get("ResponseFor", [])
    if not rf:
        ctx.note("missing-response-for", mh, "Thiếu ResponseFor.", "ResponseFor is missing.")
    sc_el = _pick(ctx, k, "StatusCode")
    raw = _text(ctx, sc_el) if sc_el is not None else ""
    code = values.normalise_status_code(raw)
    if code != raw and sc_el is not None:
        ctx.note(
            "status-code-format",
            sc_el,
            f"Mã trạng thái “{raw}” được chuẩn hóa thành “{code}”.",
            f"Status code '{raw}' normalised to '{code}'.",
        )
    typed: str = code
    try:
        typed = StatusCode(code)
    except ValueError:
        pass
    return StatusMessage(
        sender=sender,
        response_for=_response_for(ctx, rf[0]) if rf else ResponseFor(),
        status_code=typed,
        timestamp=_timestamp(ctx, k, "Timestamp"),
        staff_info=_staff(ctx, _pick(ctx, k, "StaffInfo")),
        description=_str(ctx, k, "Description"),
        signature=_signature(ctx, root),
        notes=ctx.notes,
    )


def read_package(
    root: etree._Element,
    *,
    notes: list[ParseNote] | None = None,
    verify_digests: bool = True,
    strict: bool = False,
    max_text: int = DEFAULT_MAX_TEXT,
    decode: bool = True,
) -> Package:
    """Turn a parsed (safe) tree into an :class:`Envelope` or :class:`StatusMessage`.

    The tree is only read, never changed. ``decode=False`` leaves attachment contents
    empty without looking at them (for callers that only need the header).
    """
    ctx = _Ctx(verify_digests=verify_digests, strict=strict, max_text=max_text, decode=decode)
    if notes:
        ctx.notes.extend(notes)
    env = None
    for child in root:
        if isinstance(child.tag, str) and local(child) == "edXMLEnvelope":
            env = child
            break
    if env is None:
        raise StructureError(
            "Gói tin không có phần tử edXMLEnvelope.",
            "The package has no edXMLEnvelope element.",
            location="/edXML",
            line=root.sourceline,
        )
    mh = _find(env, "MessageHeader")
    if mh is None:
        mh = _status_named_header(ctx, env)
    if mh is None:
        raise StructureError(
            "Gói tin không có MessageHeader.",
            "The package has no MessageHeader.",
            location=element_path(env),
            line=env.sourceline,
        )
    if any(isinstance(c.tag, str) and local(c) == "StatusCode" for c in mh):
        return _status(ctx, root, mh)
    return _envelope(ctx, root, env, mh)
