"""Signing: signer then seal (incremental), appearances where the spec puts them,
attachments and copies, B-T with a real HTTP timestamp service, staged signing."""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from vanban.signing import (
    KeyFileSigner,
    SignatureBox,
    SigningError,
    iso_vn,
    make_sample_pdf,
    prepare_signature,
    seal_box_for,
    seal_pdf,
    sign_attachment,
    sign_copy,
    sign_pdf,
    signature_boxes,
    validate_pdf,
)


def _sigs(pdf: bytes) -> list:
    return list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)


def test_signer_then_seal_are_two_revisions_both_valid(signed, sealed, roots) -> None:
    assert sealed.startswith(signed)  # the seal is an incremental update
    sigs = _sigs(sealed)
    assert [s.field_name for s in sigs] == ["ChuKy1", "DauCoQuan1"]
    result = validate_pdf(sealed, roots)
    assert result.verdict == "valid", result.report_vi()
    signer, seal = result.signatures
    assert (signer.kind, signer.signer_name, signer.position) == ("person", "Nguyễn Văn An", "Chủ tịch")
    assert (seal.kind, seal.agency_code) == ("agency", "000.00.12.H53")
    assert seal.coverage == "whole_document" and signer.coverage == "whole_revision"
    assert signer.changed_fields_after == ["DauCoQuan1"]


def test_seal_locks_the_document_docmdp_no_changes(sealed, roots) -> None:
    result = validate_pdf(sealed, roots)
    assert result.signatures[1].docmdp == "no_changes"


def test_signature_in_caller_box_and_seal_over_left_third(sealed, sample) -> None:
    boxes = dict(signature_boxes(sealed))
    sig, seal = boxes["ChuKy1"], boxes["DauCoQuan1"]
    assert sig == SignatureBox(*sample.signature_box)
    assert seal.page == sig.page == sample.pages - 1
    # the seal covers about the left third of the signature and sticks out to its left
    overlap = min(seal.x2, sig.x2) - max(seal.x1, sig.x1)
    assert overlap == pytest.approx(sig.width / 3, abs=1)
    assert seal.x1 < sig.x1
    assert (seal.y1 + seal.y2) / 2 == pytest.approx((sig.y1 + sig.y2) / 2, abs=1)
    # seal at real size: 36 mm
    assert seal.width == pytest.approx(36 / 25.4 * 72, abs=1)
    expected = seal_box_for(sig)
    for a, b in zip((seal.x1, seal.y1, seal.x2, seal.y2), (expected.x1, expected.y1, expected.x2, expected.y2)):
        assert a == pytest.approx(b, abs=0.01)


def test_default_box_is_bottom_right_of_last_page(sample, chairman, signature_png) -> None:
    out = sign_pdf(sample.pdf, KeyFileSigner(chairman), image=signature_png)
    ((_, box),) = signature_boxes(out)
    assert box.page == sample.pages - 1
    assert box.x2 == pytest.approx(595 - 72) and box.y1 < 300


def test_signing_time_text_is_iso_8601_vietnam(sealed) -> None:
    sig = _sigs(sealed)[0]
    m = str(sig.sig_object["/M"])
    assert m.endswith("+07'00'") or m.endswith("+07'00")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", iso_vn(sig.self_reported_timestamp))


def test_ecdsa_signer_and_ecdsa_seal(sample, vice_chair, dept, signature_png, seal_png, roots) -> None:
    out = sign_pdf(sample.pdf, KeyFileSigner(vice_chair), image=signature_png, box=sample.signature_box)
    out = seal_pdf(out, KeyFileSigner(dept), seal_image=seal_png)
    result = validate_pdf(out, roots)
    assert result.verdict == "valid", result.report_vi()
    assert result.signatures[1].agency_code == "000.01.12.H53"


def test_rsa3072_signature(pki, sample, roots) -> None:
    ident = pki.issue_person("Võ Thị Ánh", "000.00.12.H53", "UBND", "Giám đốc", "rsa3072")
    out = sign_pdf(sample.pdf, KeyFileSigner(ident))
    assert validate_pdf(out, roots).verdict == "valid"


def test_b_t_with_rfc3161_timestamp_over_http(
    sample, chairman, agency, signature_png, seal_png, roots, tsa_url
) -> None:
    out = sign_pdf(
        sample.pdf, KeyFileSigner(chairman), image=signature_png, box=sample.signature_box, timestamp_url=tsa_url
    )
    out = seal_pdf(out, KeyFileSigner(agency), seal_image=seal_png, timestamp_url=tsa_url)
    result = validate_pdf(out, roots)
    assert result.verdict == "valid", result.report_vi()
    for check in result.signatures:
        assert check.signing_time_source == "timestamp"
        assert check.timestamp is not None and check.timestamp.valid
        assert check.timestamp.time.endswith("+07:00")


def test_unreachable_timestamp_service_is_a_retryable_error(sample, chairman) -> None:
    with pytest.raises(SigningError) as err:
        sign_pdf(sample.pdf, KeyFileSigner(chairman), timestamp_url="http://127.0.0.1:9/tsa")
    assert err.value.retryable


def test_attachment_signature_text_top_right_no_image(agency, roots) -> None:
    doc = make_sample_pdf(title="PHỤ LỤC", header=False)
    out = sign_attachment(doc.pdf, KeyFileSigner(agency), "15/QĐ-UBND")
    ((name, box),) = signature_boxes(out)
    assert name.startswith("DauPhuLuc") and box.page == 0
    assert box.x2 == pytest.approx(595 - 36) and box.y2 == pytest.approx(842 - 36)
    result = validate_pdf(out, roots)
    assert result.verdict == "valid"
    assert result.signatures[0].docmdp == "no_changes"  # certified, nothing may follow
    # the appearance stream holds the text with Liberation Serif at 10 pt and no image
    reader = PdfFileReader(io.BytesIO(out), strict=False)
    ap = reader.embedded_signatures[0].sig_field["/AP"]["/N"]
    raw = _collect_streams(ap)
    assert b"/Image" not in raw and b" 10 Tf" in raw
    assert b"LiberationSerif" in out


def _collect_streams(xobj, depth: int = 0) -> bytes:
    data = xobj.data + repr(dict(xobj)).encode()
    res = xobj.get("/Resources", {})
    for sub in res.get("/XObject", {}).values():
        if depth < 4:
            data += _collect_streams(sub.get_object(), depth + 1)
    return data


def test_copy_signature(dept, roots) -> None:
    out = sign_copy(make_sample_pdf(header=False).pdf, KeyFileSigner(dept), "Sở Nội vụ tỉnh Thử Nghiệm")
    result = validate_pdf(out, roots)
    assert result.verdict == "valid"
    assert signature_boxes(out)[0][0].startswith("DauSaoY")


def test_staged_signing_prepare_digest_embed(sample, chairman, roots) -> None:
    signer = KeyFileSigner(chairman)
    prepared = prepare_signature(sample.pdf, chairman.cert, chairman.chain)
    assert len(prepared.digest_to_sign) == 32
    value = signer.sign_raw(prepared.data_to_sign, prepared.digest_algorithm)
    out = prepared.embed(value)
    assert validate_pdf(out, roots).verdict == "valid"
    with pytest.raises(SigningError):
        prepared.embed(value)


def test_wrong_signature_value_gives_an_invalid_signature_not_a_crash(sample, chairman, agency, roots) -> None:
    prepared = prepare_signature(sample.pdf, chairman.cert, chairman.chain)
    bogus = KeyFileSigner(agency).sign_raw(prepared.data_to_sign, "sha256")  # other key
    result = validate_pdf(prepared.embed(bogus), roots)
    assert result.verdict == "invalid"
    assert result.signatures[0].problems[0].code in {"bad_signature", "tampered"}


def test_opaque_or_non_png_image_is_refused(sample, chairman) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buf, format="PNG")
    with pytest.raises(SigningError) as err:
        sign_pdf(sample.pdf, KeyFileSigner(chairman), image=buf.getvalue())
    assert err.value.code == "image_opaque"
    with pytest.raises(SigningError) as err:
        sign_pdf(sample.pdf, KeyFileSigner(chairman), image=b"GIF89a...")
    assert err.value.code == "image_not_png"


def test_box_on_missing_page_is_refused(sample, chairman, signature_png) -> None:
    with pytest.raises(SigningError) as err:
        sign_pdf(sample.pdf, KeyFileSigner(chairman), image=signature_png, box=(7, 1, 1, 50, 50))
    assert err.value.code == "bad_box"


def test_garbage_is_a_signing_error(chairman) -> None:
    with pytest.raises(SigningError) as err:
        sign_pdf(b"not a pdf", KeyFileSigner(chairman))
    assert err.value.code == "pdf_unreadable"


def test_a_decompression_bomb_is_neither_signed_nor_opened_to_be_validated(chairman, roots) -> None:
    from testkit.hostile import bomb_pdf
    from vanban.signing import validate_pdf

    with pytest.raises(SigningError) as err:
        sign_pdf(bomb_pdf(), KeyFileSigner(chairman))
    assert err.value.code == "pdf_too_large_inflated" and "giải nén quá lớn" in err.value.message_vi
    result = validate_pdf(bomb_pdf(), roots)
    assert result.verdict == "unreadable" and "giải nén quá lớn" in result.problems[0].message_vi
