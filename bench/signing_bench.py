"""Benchmark: sign + seal a 10-page PDF and validate it with vanban.signing, as a ratio to
bare pyHanko doing the same two signatures (same images, boxes, lock) and validation in
the same run. Goal: overhead at most 20 %. Prints the figures; asserts nothing.

    .venv/bin/python bench/signing_bench.py [--rounds 7] [--pages 10]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from vanban.signing import (
    KeyFileSigner,
    SignatureBox,
    TestPKI,
    check_png,
    make_sample_pdf,
    make_seal_image,
    make_signature_image,
    seal_box_for,
    seal_pdf,
    sign_pdf,
    validate_pdf,
)


def _der(c):  # type: ignore[no-untyped-def]
    return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))


def _simple_signer(ident):  # type: ignore[no-untyped-def]
    key = asn1_keys.PrivateKeyInfo.load(
        ident.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return signers.SimpleSigner(
        signing_cert=_der(ident.cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([_der(c) for c in ident.chain]),
    )


class _FastSigner(signers.Signer):
    """pyHanko tuned: keeps the ``cryptography`` key object (SimpleSigner re-loads and
    re-checks the key on every signature, ~40 ms for RSA-2048)."""

    def __init__(self, ident) -> None:  # type: ignore[no-untyped-def]
        self._key = ident.key
        super().__init__(
            signing_cert=_der(ident.cert),
            cert_registry=SimpleCertificateStore.from_certs([_der(c) for c in ident.chain]),
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        from vanban.signing.signers import sign_with_private_key

        return sign_with_private_key(self._key, data, digest_algorithm)


def _style(png: bytes) -> StaticStampStyle:
    return StaticStampStyle(
        background=PdfImage(check_png(png)),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
    )


def bare_pyhanko(pdf: bytes, person, agency, sig_png, seal_png, box, seal_box, root, tuned: bool = False) -> bytes:  # type: ignore[no-untyped-def]
    make = _FastSigner if tuned else _simple_signer
    reserved = 16384 if tuned else None
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKy1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    out = signers.PdfSigner(
        meta,
        make(person),
        stamp_style=_style(sig_png),
        new_field_spec=fields.SigFieldSpec("ChuKy1", on_page=box.page, box=(box.x1, box.y1, box.x2, box.y2)),
    ).sign_pdf(w, bytes_reserved=reserved)
    w = IncrementalPdfFileWriter(out, strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="DauCoQuan1",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    out = signers.PdfSigner(
        meta,
        make(agency),
        stamp_style=_style(seal_png),
        new_field_spec=fields.SigFieldSpec(
            "DauCoQuan1",
            on_page=seal_box.page,
            box=(seal_box.x1, seal_box.y1, seal_box.x2, seal_box.y2),
            field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.ALL),
            doc_mdp_update_value=fields.MDPPerm.NO_CHANGES,
        ),
    ).sign_pdf(w, bytes_reserved=reserved)
    data = out.getvalue()

    async def validate() -> bool:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        ok = True
        for sig in reader.embedded_signatures:
            vc = ValidationContext(trust_roots=[_der(root)], allow_fetching=False, revocation_mode="soft-fail")
            st = await async_validate_pdf_signature(sig, vc, vc)
            ok = ok and st.bottom_line
        return ok

    assert asyncio.run(validate())
    return data


def ours(pdf: bytes, person, agency, sig_png, seal_png, box, root) -> bytes:  # type: ignore[no-untyped-def]
    out = sign_pdf(pdf, KeyFileSigner(person), image=sig_png, box=box)
    out = seal_pdf(out, KeyFileSigner(agency), seal_image=seal_png)
    result = validate_pdf(out, [root])
    assert result.valid, result.report_vi()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pages", type=int, default=10)
    args = ap.parse_args()

    pki = TestPKI.create(None)
    agency = pki.issue_agency("000.00.12.H53", "Ủy ban nhân dân tỉnh Thử Nghiệm")
    person = pki.issue_person("Nguyễn Văn An", "000.00.12.H53", "Ủy ban nhân dân tỉnh Thử Nghiệm", "Chủ tịch")
    doc = make_sample_pdf(pages=args.pages)
    sig_png = make_signature_image("Nguyễn Văn An")
    seal_png = make_seal_image("Ủy ban nhân dân tỉnh Thử Nghiệm", code="000.00.12.H53")
    box = SignatureBox(*doc.signature_box)
    sbox = seal_box_for(box)
    root = pki.root_cert

    # warm up both paths (font rescale cache, imports)
    ours(doc.pdf, person, agency, sig_png, seal_png, box, root)
    bare_pyhanko(doc.pdf, person, agency, sig_png, seal_png, box, sbox, root)
    bare_pyhanko(doc.pdf, person, agency, sig_png, seal_png, box, sbox, root, tuned=True)

    t_ours: list[float] = []
    t_bare: list[float] = []
    t_tuned: list[float] = []
    for _ in range(args.rounds):  # interleaved so machine noise hits both alike
        t0 = time.perf_counter()
        ours(doc.pdf, person, agency, sig_png, seal_png, box, root)
        t_ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        bare_pyhanko(doc.pdf, person, agency, sig_png, seal_png, box, sbox, root)
        t_bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        bare_pyhanko(doc.pdf, person, agency, sig_png, seal_png, box, sbox, root, tuned=True)
        t_tuned.append(time.perf_counter() - t0)
    mo, mb, mt = statistics.median(t_ours), statistics.median(t_bare), statistics.median(t_tuned)
    print(f"document: {args.pages} pages, {len(doc.pdf)} bytes; rounds: {args.rounds}")
    print(f"vanban.signing  sign+seal+validate: median {mo * 1000:.1f} ms (min {min(t_ours) * 1000:.1f})")
    print(f"bare pyHanko (SimpleSigner, defaults): median {mb * 1000:.1f} ms (min {min(t_bare) * 1000:.1f})")
    print(f"bare pyHanko (tuned signer, reserved): median {mt * 1000:.1f} ms (min {min(t_tuned) * 1000:.1f})")
    print(f"ratio vanban / pyHanko defaults: {mo / mb:.3f} (overhead {100 * (mo / mb - 1):+.1f} %)")
    print(f"ratio vanban / pyHanko tuned:    {mo / mt:.3f} (overhead {100 * (mo / mt - 1):+.1f} %; goal <= +20 %)")


if __name__ == "__main__":
    main()
