"""Validation: a clear verdict for each way a signed PDF can go wrong, never an exception."""

from __future__ import annotations

import json

from vanban.signing import KeyFileSigner, seal_pdf, sign_pdf, validate_pdf


def codes(check) -> set[str]:
    return {p.code for p in check.problems}


def test_valid_document_report_and_json(sealed, roots) -> None:
    result = validate_pdf(sealed, roots)
    assert result.valid and result.exit_code == 0
    data = json.loads(result.to_json())
    assert data["verdict"] == "valid"
    assert data["signatures"][1]["agency_code"] == "000.00.12.H53"
    assert data["signatures"][0]["signing_time"].endswith("+07:00")
    report = result.report_vi()
    assert "KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ: HỢP LỆ" in report
    assert "Nguyễn Văn An — Chủ tịch" in report
    assert "cơ quan, tổ chức (con dấu)" in report


def test_tampered_bytes_invalidate_both_signatures(edits, sealed, roots) -> None:
    result = validate_pdf(edits.tamper(sealed), roots)
    assert result.verdict == "invalid" and result.exit_code == 1
    assert all("tampered" in codes(c) for c in result.signatures)
    assert "BỊ THAY ĐỔI" in result.report_vi()


def test_forbidden_change_after_sealing(edits, sealed, roots) -> None:
    result = validate_pdf(edits.append_content_change(sealed), roots)
    assert result.verdict == "invalid"
    for check in result.signatures:
        assert check.intact  # the bytes each signed are untouched...
        assert "forbidden_change" in codes(check)  # ...but what came after is not allowed


def test_signed_after_a_forbidden_change(edits, sealed, chairman, roots) -> None:
    changed = edits.append_content_change(sealed)
    resigned = sign_pdf(changed, KeyFileSigner(chairman))
    result = validate_pdf(resigned, roots)
    assert result.verdict == "invalid"
    first, seal, last = result.signatures
    assert "forbidden_change" in codes(first) and "forbidden_change" in codes(seal)
    assert last.valid  # the new signature itself is fine; the document is not


def test_another_signature_after_the_seal_breaks_the_lock(sealed, chairman, roots) -> None:
    result = validate_pdf(sign_pdf(sealed, KeyFileSigner(chairman)), roots)
    seal = result.signatures[1]
    assert "forbidden_change" in codes(seal)
    assert result.verdict == "invalid"


def test_removed_seal_signature(edits, sealed, roots) -> None:
    result = validate_pdf(edits.remove_last_signature_field(sealed), roots)
    assert result.verdict == "invalid"
    assert [c.field_name for c in result.signatures] == ["ChuKy1"]
    assert [p.code for p in result.problems] == ["signature_removed"]
    assert "đã bị gỡ" in result.report_vi()


def test_truncated_to_signer_revision_has_no_seal(signed, sealed, roots) -> None:
    result = validate_pdf(sealed[: len(signed)], roots)
    assert result.verdict == "valid"
    assert [c.kind for c in result.signatures] == ["person"]


def test_untrusted_root(sample, outsider, roots) -> None:
    out = seal_pdf(sample.pdf, KeyFileSigner(outsider))
    result = validate_pdf(out, roots)
    assert result.verdict == "invalid"
    check = result.signatures[0]
    assert codes(check) == {"untrusted"} and check.intact and not check.trusted
    assert validate_pdf(out, [outsider.chain[-1]]).verdict == "valid"


def test_expired_certificate(sample, expired_person, roots) -> None:
    out = sign_pdf(sample.pdf, KeyFileSigner(expired_person))
    result = validate_pdf(out, roots)
    assert result.verdict == "invalid"
    assert "expired" in codes(result.signatures[0])
    assert "hết hạn" in result.report_vi()


def test_revoked_certificate_with_crl(pki, sample, revoked_person, chairman, roots) -> None:
    crl = pki.crl()
    bad = validate_pdf(sign_pdf(sample.pdf, KeyFileSigner(revoked_person)), roots, crls=[crl])
    assert bad.verdict == "invalid" and "revoked" in codes(bad.signatures[0])
    assert bad.signatures[0].revocation == "revoked"
    good = validate_pdf(sign_pdf(sample.pdf, KeyFileSigner(chairman)), roots, crls=[crl])
    assert good.verdict == "valid" and good.signatures[0].revocation == "good"


def test_revocation_unknown_without_crl_is_a_warning(sealed, roots) -> None:
    check = validate_pdf(sealed, roots).signatures[0]
    assert check.revocation == "unknown"
    assert "revocation_unknown" in {w.code for w in check.warnings}


def test_unsigned_pdf(sample, roots) -> None:
    result = validate_pdf(sample.pdf, roots)
    assert result.verdict == "no_signature" and result.exit_code == 1


def test_garbage_and_truncated_files_are_unreadable_not_exceptions(sealed, roots) -> None:
    assert validate_pdf(b"", roots).verdict == "unreadable"
    assert validate_pdf(b"%PDF-1.7\ngarbage", roots).exit_code == 2
    cut = validate_pdf(sealed[: len(sealed) // 2], roots)
    assert cut.verdict in {"unreadable", "invalid", "no_signature"}


def test_corrupted_signature_container(sealed, roots) -> None:
    start = sealed.rindex(b"/Contents <") + len(b"/Contents <")
    end = sealed.index(b">", start)
    at = len(sealed[:end].rstrip(b"0")) - 20  # inside the signature value, before padding
    broken = sealed[:at] + (b"0" if sealed[at : at + 1] != b"0" else b"1") + sealed[at + 1 :]
    result = validate_pdf(broken, roots)
    assert result.verdict == "invalid"
    assert result.signatures[1].problems
