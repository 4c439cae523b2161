"""Signing PDFs (PAdES B-B, B-T with a timestamp service), staged so a token or a remote
service holds the key: :func:`prepare_signature` → :attr:`PreparedSignature.data_to_sign`
→ :meth:`PreparedSignature.embed`.

Appearances follow NĐ 30 Phụ lục I (``docs/signing.md``): the signer's blue signature image
in the signature block; the agency's red seal over about a third of it, on its left, added
as an incremental update that locks the document (DocMDP "no changes"); for attachments
and copies an agency signature with 10 pt Liberation Serif text at the top right of the
first page and no image.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields as pdf_fields
from pyhanko.sign.signers import ExternalSigner, PdfSignatureMetadata, PdfSigner
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from vanban.pdfguard import PdfNotPdf, PdfRefused, check_pdf
from vanban.signing._async import run_sync
from vanban.signing._fonts import serif_font_path
from vanban.signing._time import iso_vn, now_vn
from vanban.signing.errors import SigningError
from vanban.signing.images import check_png
from vanban.signing.signers import Signer
from vanban.signing.timestamps import HttpTimeStamper

__all__ = [
    "SignatureBox",
    "PreparedSignature",
    "SignatureKind",
    "prepare_signature",
    "sign_pdf",
    "seal_pdf",
    "sign_attachment",
    "sign_copy",
    "signature_boxes",
    "seal_box_for",
    "default_signature_box",
    "SEAL_DIAMETER_MM",
]

SignatureKind = Literal["signer", "seal", "attachment", "copy"]
SEAL_DIAMETER_MM = 36.0
_MM = 72.0 / 25.4
_DEFAULT_BOX_W, _DEFAULT_BOX_H = 150.0, 75.0


@dataclass(frozen=True)
class SignatureBox:
    """Where a signature's appearance goes: page index (negative counts from the end)
    and a rectangle in PDF points (x1, y1) bottom left, (x2, y2) top right."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @classmethod
    def of(cls, value: SignatureBox | tuple[int, float, float, float, float]) -> SignatureBox:
        return value if isinstance(value, SignatureBox) else cls(*value)


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _guard(pdf_bytes: bytes) -> None:
    """The one pre-flight check (:func:`vanban.pdfguard.check_pdf`) before pyHanko reads it."""
    try:
        check_pdf(pdf_bytes)
    except PdfRefused as exc:
        code = "pdf_unreadable" if isinstance(exc, PdfNotPdf) else exc.code  # one code for "not a PDF"
        raise SigningError(exc.message_vi, exc.message_en, code=code, details=exc.details) from exc


def _reader(pdf_bytes: bytes) -> PdfFileReader:
    _guard(pdf_bytes)
    try:
        return PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    except Exception as exc:
        raise SigningError("Không đọc được tệp PDF.", f"Cannot read the PDF: {exc}", code="pdf_unreadable") from exc


def _page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def _page_size(reader: PdfFileReader, page: int) -> tuple[float, float, float, float]:
    page_obj = reader.find_page_for_modification(page)[0].get_object()  # (ref, resources)
    box = page_obj.get("/CropBox") or page_obj.get("/MediaBox")
    if box is None:  # inherited from the page tree
        box = reader.root["/Pages"].get("/MediaBox", [0, 0, 595, 842])
    x1, y1, x2, y2 = (float(v) for v in box)
    return x1, y1, x2, y2


def default_signature_box(pdf_bytes: bytes) -> SignatureBox:
    """Bottom right of the last page, 150 × 75 pt, 72 pt from the right edge."""
    reader = _reader(pdf_bytes)
    last = _page_count(reader) - 1
    x1, y1, x2, _y2 = _page_size(reader, last)
    return SignatureBox(last, x2 - 72 - _DEFAULT_BOX_W, y1 + 110, x2 - 72, y1 + 110 + _DEFAULT_BOX_H)


def signature_boxes(pdf_bytes: bytes) -> list[tuple[str, SignatureBox]]:
    """Field name and widget rectangle of every visible signature field, in file order."""
    reader = _reader(pdf_bytes)
    page_refs: dict[Any, int] = {}
    for ix in range(_page_count(reader)):
        ref = reader.find_page_for_modification(ix)[0]
        page_refs[(ref.idnum, ref.generation)] = ix
    out: list[tuple[str, SignatureBox]] = []
    for sig in reader.embedded_signatures:
        fld = sig.sig_field
        widgets = [fld] if "/Rect" in fld else [k.get_object() for k in fld.get("/Kids", [])]
        for widget in widgets:
            rect = [float(v) for v in widget.get("/Rect", [0, 0, 0, 0])]
            if rect[2] - rect[0] <= 0 or rect[3] - rect[1] <= 0:
                continue
            pref = widget.raw_get("/P") if "/P" in widget else None
            page = page_refs.get((pref.idnum, pref.generation), 0) if pref is not None else 0
            out.append((sig.field_name, SignatureBox(page, *rect)))
    return out


def seal_box_for(signature_box: SignatureBox, diameter_mm: float = SEAL_DIAMETER_MM) -> SignatureBox:
    """The seal square: real size, vertically centred on the signature, covering the
    left third of the signature box (NĐ 30: "trùm lên khoảng 1/3 chữ ký, về phía bên trái")."""
    d = diameter_mm * _MM
    right = signature_box.x1 + signature_box.width / 3
    cy = (signature_box.y1 + signature_box.y2) / 2
    return SignatureBox(signature_box.page, right - d, cy - d / 2, right, cy + d / 2)


def _existing_field_names(reader: PdfFileReader) -> set[str]:
    try:
        return {s.field_name for s in reader.embedded_signatures} | {
            str(f.get_object().get("/T")) for f in reader.root["/AcroForm"]["/Fields"]
        }
    except KeyError:
        return {s.field_name for s in reader.embedded_signatures}


def _field_name(reader: PdfFileReader, kind: SignatureKind) -> str:
    prefix = {"signer": "ChuKy", "seal": "DauCoQuan", "attachment": "DauPhuLuc", "copy": "DauSaoY"}[kind]
    taken = _existing_field_names(reader)
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _image_style(png: bytes) -> StaticStampStyle:
    img = PdfImage(check_png(png))
    return StaticStampStyle(
        background=img,
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
    )


def _text_style(text: str, font_size: int = 10) -> TextStampStyle:
    return TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(serif_font_path(), font_size=font_size),
            font_size=font_size,
            leading=int(font_size * 1.25),
            border_width=0,
        ),
        border_width=0,
        background=None,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


def _text_width(text: str, font_size: float) -> float:
    from fontTools.ttLib import TTFont

    font = TTFont(serif_font_path(), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    upem: int = font["head"].unitsPerEm
    widest = 0.0
    for line in text.splitlines():
        w = 0.0
        for ch in line:
            gname = cmap.get(ord(ch))
            w += hmtx[gname][0] if gname else upem / 2
        widest = max(widest, w)
    return widest * font_size / upem


@dataclass
class PreparedSignature:
    """A document in its final pre-signing state, waiting for a signature value.

    ``data_to_sign`` (the DER signed attributes) is what the key must sign, hashed with
    ``digest_algorithm``; ``digest_to_sign`` is that hash, for services that take
    digests. :meth:`embed` puts the value in and returns the signed PDF.
    """

    data_to_sign: bytes
    digest_algorithm: str
    signing_time: datetime
    field_name: str
    kind: SignatureKind
    _signed_attrs: cms.CMSAttributes = field(repr=False)
    _prep_digest: Any = field(repr=False)
    _post_sign: Any = field(repr=False)
    _output: io.BytesIO = field(repr=False)
    _cert: asn1_x509.Certificate = field(repr=False)
    _registry: SimpleCertificateStore = field(repr=False)
    _timestamper: TimeStamper | None = field(repr=False, default=None)
    _done: bool = field(repr=False, default=False)

    @property
    def digest_to_sign(self) -> bytes:
        from vanban.signing.signers import digest

        return digest(self.data_to_sign, self.digest_algorithm)

    @property
    def certificate(self) -> x509.Certificate:
        """The certificate the signature value must be made with."""
        return x509.load_der_x509_certificate(self._cert.dump())

    def check_value(self, signature_value: bytes) -> None:
        """Refuse a value not made by the certificate's key over ``data_to_sign`` (a value
        that came back from a token or a browser is checked before it goes into the PDF)."""
        from vanban.signing.signers import verify_signature

        verify_signature(self.certificate, self.data_to_sign, signature_value, self.digest_algorithm)

    def to_bytes(self) -> bytes:
        """The state to resume later, in another process (a page asks a token on the
        person's computer between the two requests): a JSON header and the prepared PDF.
        It holds no secret; whoever keeps it keeps it with the person it was made for."""
        import base64
        import json

        if self._post_sign is not None or self._done:
            raise SigningError(
                "Chữ ký này không lưu lại để hoàn tất sau được.",
                "Only an unembedded signature without post-signing steps can be saved.",
                code="not_resumable",
            )
        stamper_url = self._timestamper.url if isinstance(self._timestamper, HttpTimeStamper) else None
        if self._timestamper is not None and stamper_url is None:
            raise SigningError(
                "Chữ ký này không lưu lại để hoàn tất sau được.",
                "Only an HTTP timestamp service can be saved with a prepared signature.",
                code="not_resumable",
            )
        head = {
            "v": 1,
            "data_to_sign": base64.b64encode(self.data_to_sign).decode(),
            "digest_algorithm": self.digest_algorithm,
            "signing_time": self.signing_time.isoformat(),
            "field_name": self.field_name,
            "kind": self.kind,
            "document_digest": base64.b64encode(self._prep_digest.document_digest).decode(),
            "reserved": [self._prep_digest.reserved_region_start, self._prep_digest.reserved_region_end],
            "certificate": base64.b64encode(self._cert.dump()).decode(),
            "chain": [base64.b64encode(c.dump()).decode() for c in self._registry],
            "timestamp_url": stamper_url,
        }
        raw = json.dumps(head).encode()
        return len(raw).to_bytes(4, "big") + raw + self._output.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> PreparedSignature:
        """The prepared signature :meth:`to_bytes` saved."""
        import base64
        import json

        from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest

        try:
            size = int.from_bytes(data[:4], "big")
            head = json.loads(data[4 : 4 + size])
            if head.get("v") != 1:
                raise ValueError("unknown version")
            b = base64.b64decode
            cert = asn1_x509.Certificate.load(b(head["certificate"]))
            chain = [asn1_x509.Certificate.load(b(c)) for c in head["chain"]]
            prep = PreparedByteRangeDigest(b(head["document_digest"]), *head["reserved"])
            return cls(
                data_to_sign=b(head["data_to_sign"]),
                digest_algorithm=head["digest_algorithm"],
                signing_time=datetime.fromisoformat(head["signing_time"]),
                field_name=head["field_name"],
                kind=head["kind"],
                _signed_attrs=cms.CMSAttributes.load(b(head["data_to_sign"])),
                _prep_digest=prep,
                _post_sign=None,
                _output=io.BytesIO(data[4 + size :]),
                _cert=cert,
                _registry=SimpleCertificateStore.from_certs(chain),
                _timestamper=HttpTimeStamper(head["timestamp_url"]) if head["timestamp_url"] else None,
            )
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise SigningError(
                "Không đọc được chữ ký đang chờ hoàn tất.",
                f"Cannot read the saved prepared signature: {exc}",
                code="bad_prepared",
            ) from exc

    def embed(self, signature_value: bytes) -> bytes:
        """Embed the signature value (and a timestamp if configured); return the PDF."""
        if self._done:
            raise SigningError(
                "Chữ ký này đã được gắn vào văn bản.",
                "This prepared signature was already embedded.",
                code="already_embedded",
            )
        result = run_sync(self._embed(signature_value))
        self._done = True
        return result

    async def _embed(self, signature_value: bytes) -> bytes:
        ext = ExternalSigner(
            signing_cert=self._cert,
            cert_registry=self._registry,
            signature_value=signature_value,
        )
        try:
            sig_cms = await ext.async_sign_prescribed_attributes(
                self.digest_algorithm,
                signed_attrs=self._signed_attrs,
                timestamper=self._timestamper,
            )
            await PdfTBSDocument.async_finish_signing(
                self._output,
                prepared_digest=self._prep_digest,
                signature_cms=sig_cms,
                post_sign_instr=self._post_sign,
            )
        except SigningError:
            raise
        except Exception as exc:
            raise SigningError(
                "Không gắn được chữ ký vào văn bản (chữ ký quá lớn hoặc dịch vụ dấu thời gian lỗi).",
                f"Cannot embed the signature: {exc}",
                code="embed_failed",
            ) from exc
        return self._output.getvalue()


def _timestamper(timestamp_url: str | None, timestamper: TimeStamper | None) -> TimeStamper | None:
    if timestamper is not None:
        return timestamper
    return HttpTimeStamper(timestamp_url) if timestamp_url else None


def prepare_signature(
    pdf_bytes: bytes,
    certificate: x509.Certificate,
    chain: list[x509.Certificate] | None = None,
    *,
    kind: SignatureKind = "signer",
    box: SignatureBox | tuple[int, float, float, float, float] | None = None,
    image: bytes | None = None,
    text: str | None = None,
    field_name: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    certify: bool = False,
    lock_document: bool = False,
    signing_time: datetime | None = None,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
    digest_algorithm: str = "sha256",
    signature_size: int = 512,
) -> PreparedSignature:
    """Stage 1 and 2: add the signature field and appearance, reserve room, compute the
    byte-range digest and the signed attributes to sign. No private key needed."""
    return run_sync(
        _aprepare(
            pdf_bytes,
            certificate,
            chain or [],
            kind=kind,
            box=box,
            image=image,
            text=text,
            field_name=field_name,
            reason=reason,
            location=location,
            certify=certify,
            lock_document=lock_document,
            signing_time=signing_time,
            timestamper=_timestamper(timestamp_url, timestamper),
            digest_algorithm=digest_algorithm,
            signature_size=signature_size,
        )
    )


async def _aprepare(
    pdf_bytes: bytes,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    *,
    kind: SignatureKind,
    box: SignatureBox | tuple[int, float, float, float, float] | None,
    image: bytes | None,
    text: str | None,
    field_name: str | None,
    reason: str | None,
    location: str | None,
    certify: bool,
    lock_document: bool,
    signing_time: datetime | None,
    timestamper: TimeStamper | None,
    digest_algorithm: str,
    signature_size: int,
) -> PreparedSignature:
    from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec

    reader = _reader(pdf_bytes)
    name = field_name or _field_name(reader, kind)
    when = (signing_time or now_vn()).replace(microsecond=0)
    style: Any = None
    sig_box: SignatureBox | None = SignatureBox.of(box) if box is not None else None
    if image is not None:
        style = _image_style(image)
    elif text is not None:
        style = _text_style(text)
    if style is not None and sig_box is None:
        sig_box = default_signature_box(pdf_bytes)
    n_pages = _page_count(reader)
    field_kwargs: dict[str, Any] = {}
    if sig_box is not None:
        page = sig_box.page if sig_box.page >= 0 else n_pages + sig_box.page
        if not 0 <= page < n_pages:
            raise SigningError(
                f"Trang {sig_box.page + 1} không có trong văn bản ({n_pages} trang).",
                f"Page index {sig_box.page} out of range (document has {n_pages} pages).",
                code="bad_box",
            )
        field_kwargs = dict(
            on_page=page,
            box=(round(sig_box.x1, 2), round(sig_box.y1, 2), round(sig_box.x2, 2), round(sig_box.y2, 2)),
        )
    has_sigs = bool(reader.embedded_signatures)
    if lock_document and has_sigs:
        field_kwargs["field_mdp_spec"] = FieldMDPSpec(FieldMDPAction.ALL)
        field_kwargs["doc_mdp_update_value"] = MDPPerm.NO_CHANGES
    certify_now = certify or (lock_document and not has_sigs)
    meta = PdfSignatureMetadata(
        field_name=name,
        md_algorithm=digest_algorithm,
        subfilter=pdf_fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        certify=certify_now,
        docmdp_permissions=MDPPerm.NO_CHANGES if lock_document else MDPPerm.FILL_FORMS,
    )
    registry = SimpleCertificateStore.from_certs([_asn1(c) for c in chain])
    cert = _asn1(certificate)
    ext = ExternalSigner(signing_cert=cert, cert_registry=registry, signature_value=signature_size)
    pdf_signer = PdfSigner(
        meta,
        signer=ext,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=SigFieldSpec(sig_field_name=name, **field_kwargs),
    )
    try:
        _guard(pdf_bytes)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        session = pdf_signer.init_signing_session(writer)
        session.system_time = when
        certs_size = len(certificate.public_bytes(serialization.Encoding.DER)) + sum(
            len(c.public_bytes(serialization.Encoding.DER)) for c in chain
        )
        reserved = 2 * (certs_size + signature_size + 1500 + (9000 if timestamper else 0))
        tbs = session.prepare_tbs_document(validation_info=None, bytes_reserved=reserved)
        prep_digest, output = tbs.digest_tbs_document()
        signed_attrs = await ext.signed_attrs(prep_digest.document_digest, digest_algorithm, use_pades=True)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(
            "Không chuẩn bị được văn bản để ký (văn bản đã bị khóa hoặc PDF lỗi?).",
            f"Cannot prepare the PDF for signing: {exc}",
            code="prepare_failed",
        ) from exc
    return PreparedSignature(
        data_to_sign=signed_attrs.dump(),
        digest_algorithm=digest_algorithm,
        signing_time=when,
        field_name=name,
        kind=kind,
        _signed_attrs=signed_attrs,
        _prep_digest=prep_digest,
        _post_sign=tbs.post_sign_instructions,
        _output=output if isinstance(output, io.BytesIO) else io.BytesIO(output.read()),
        _cert=cert,
        _registry=registry,
        _timestamper=timestamper,
    )


def _sign_with(signer: Signer, **kwargs: Any) -> bytes:
    prepared = prepare_signature(
        kwargs.pop("pdf_bytes"),
        signer.certificate,
        signer.chain,
        digest_algorithm=signer.digest_algorithm,
        signature_size=signer.signature_size(),
        **kwargs,
    )
    value = signer.sign_raw(prepared.data_to_sign, prepared.digest_algorithm)
    return prepared.embed(value)


def sign_pdf(
    pdf_bytes: bytes,
    signer: Signer,
    *,
    image: bytes | None = None,
    box: SignatureBox | tuple[int, float, float, float, float] | None = None,
    reason: str | None = "Ký ban hành văn bản",
    location: str | None = None,
    field_name: str | None = None,
    certify: bool = False,
    signing_time: datetime | None = None,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The signer's (người có thẩm quyền) signature, PAdES B-B (B-T with a timestamp
    service). With ``image`` (blue PNG) it is visible in ``box`` (default: bottom right of
    the last page); without, it is invisible."""
    return _sign_with(
        signer,
        pdf_bytes=pdf_bytes,
        kind="signer",
        image=image,
        box=box if (image is not None or box is not None) else None,
        reason=reason,
        location=location,
        field_name=field_name,
        certify=certify,
        signing_time=signing_time,
        timestamp_url=timestamp_url,
        timestamper=timestamper,
    )


def seal_pdf(
    pdf_bytes: bytes,
    signer: Signer,
    *,
    seal_image: bytes | None = None,
    box: SignatureBox | tuple[int, float, float, float, float] | None = None,
    seal_diameter_mm: float = SEAL_DIAMETER_MM,
    reason: str | None = "Văn thư đóng dấu cơ quan",
    location: str | None = None,
    field_name: str | None = None,
    lock: bool = True,
    signing_time: datetime | None = None,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The agency's signature (the seal), as an incremental update after the signer's.

    With ``seal_image`` (red PNG) and no ``box``, the seal goes over the left third of the
    last visible signature (:func:`seal_box_for`), or at the default place if there is none.
    ``lock`` (default) forbids any later change (DocMDP "no changes" via the field lock;
    a certification signature if the document had no signature yet).
    """
    if seal_image is not None and box is None:
        boxes = signature_boxes(pdf_bytes)
        box = (
            seal_box_for(boxes[-1][1], seal_diameter_mm)
            if boxes
            else seal_box_for(default_signature_box(pdf_bytes), seal_diameter_mm)
        )
    return _sign_with(
        signer,
        pdf_bytes=pdf_bytes,
        kind="seal",
        image=seal_image,
        box=box,
        reason=reason,
        location=location,
        field_name=field_name,
        lock_document=lock,
        signing_time=signing_time,
        timestamp_url=timestamp_url,
        timestamper=timestamper,
    )


def _top_right_text_signature(
    pdf_bytes: bytes,
    signer: Signer,
    first_line: str,
    kind: SignatureKind,
    reason: str | None,
    signing_time: datetime | None,
    timestamp_url: str | None,
    timestamper: TimeStamper | None,
    lock: bool,
    margin: float = 36.0,
) -> bytes:
    when = (signing_time or now_vn()).replace(microsecond=0)
    text = f"{first_line}\n{iso_vn(when)}"
    reader = _reader(pdf_bytes)
    x1, _y1, x2, y2 = _page_size(reader, 0)
    width = _text_width(text, 10) + 12
    height = 2 * 12.5 + 12
    box = SignatureBox(0, x2 - margin - width, y2 - margin - height, x2 - margin, y2 - margin)
    return _sign_with(
        signer,
        pdf_bytes=pdf_bytes,
        kind=kind,
        text=text,
        box=box,
        reason=reason,
        lock_document=lock,
        signing_time=when,
        timestamp_url=timestamp_url,
        timestamper=timestamper,
    )


def sign_attachment(
    pdf_bytes: bytes,
    signer: Signer,
    document_number: str,
    *,
    signing_time: datetime | None = None,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
    lock: bool = True,
) -> bytes:
    """Agency signature on an attachment in a separate file: no image; at the top right of
    the first page, 10 pt Liberation Serif, black: the main document's số và ký hiệu, then
    the signing time (ISO 8601, +07:00)."""
    return _top_right_text_signature(
        pdf_bytes,
        signer,
        document_number,
        "attachment",
        "Ký số phụ lục kèm theo văn bản",
        signing_time,
        timestamp_url,
        timestamper,
        lock,
    )


def sign_copy(
    pdf_bytes: bytes,
    signer: Signer,
    copying_agency_name: str,
    *,
    signing_time: datetime | None = None,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
    lock: bool = True,
) -> bytes:
    """Agency signature on an electronic copy (bản sao điện tử): no image; top right of the
    first page, 10 pt: the copying agency's name, then the signing time."""
    return _top_right_text_signature(
        pdf_bytes,
        signer,
        copying_agency_name,
        "copy",
        "Sao văn bản điện tử",
        signing_time,
        timestamp_url,
        timestamper,
        lock,
    )
