"""The Vietnamese text report of a :class:`~vanban.signing.validation.ValidationResult`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vanban.signing.validation import SignatureCheck, ValidationResult

__all__ = ["report_vi"]

_VERDICT = {
    "valid": "HỢP LỆ",
    "invalid": "KHÔNG HỢP LỆ",
    "no_signature": "KHÔNG CÓ CHỮ KÝ SỐ",
    "unreadable": "KHÔNG ĐỌC ĐƯỢC TỆP",
}
_KIND = {"person": "cá nhân (người có thẩm quyền)", "agency": "cơ quan, tổ chức (con dấu)"}
_COVER = {
    "whole_document": "toàn bộ văn bản",
    "whole_revision": "toàn bộ phiên bản lúc ký (có cập nhật sau đó)",
    "partial": "một phần văn bản",
}
_MOD = {
    "none": "không có",
    "lta_updates": "chỉ bổ sung thông tin kiểm tra/dấu thời gian",
    "form_filling": "thêm chữ ký hoặc điền biểu mẫu",
    "annotations": "thêm chú thích",
    "other": "sửa đổi nội dung khác",
}
_REVOC = {"good": "chưa bị thu hồi", "revoked": "ĐÃ BỊ THU HỒI", "unknown": "chưa kiểm tra được"}
_DOCMDP = {
    "no_changes": "khóa văn bản, không cho phép thay đổi",
    "form_filling": "chỉ cho phép điền biểu mẫu và ký",
    "annotations": "cho phép điền biểu mẫu, ký và chú thích",
}


def _sig(c: SignatureCheck) -> list[str]:
    lines = [
        f"Chữ ký {c.index} ({c.field_name}): {_VERDICT.get(c.verdict, c.verdict)}",
        f"  Người/cơ quan ký: {c.signer_name or '(không rõ)'}" + (f" — {c.position}" if c.position else ""),
        f"  Loại chữ ký: {_KIND.get(c.kind, 'không rõ')}",
    ]
    if c.organization:
        lines.append(f"  Cơ quan: {c.organization}")
    lines.append(f"  Mã định danh cơ quan: {c.agency_code or '(không có)'}")
    if c.signing_time:
        src = "theo dấu thời gian" if c.signing_time_source == "timestamp" else "do người ký khai"
        lines.append(f"  Thời gian ký: {c.signing_time} ({src})")
    if c.timestamp:
        ok = "hợp lệ" if c.timestamp.valid else "KHÔNG hợp lệ"
        lines.append(f"  Dấu thời gian: {c.timestamp.time}, cấp bởi {c.timestamp.authority} ({ok})")
    if c.certificate_serial:
        lines.append(
            f"  Chứng thư số: số hiệu {c.certificate_serial}, cấp bởi {c.certificate_issuer}, "
            f"hiệu lực {c.certificate_not_before} → {c.certificate_not_after}"
        )
    lines.append(
        "  Chuỗi chứng thực: "
        + (" → ".join(reversed(c.chain)) if c.chain else "không xây dựng được")
        + (" (tin cậy)" if c.trusted else " (KHÔNG tin cậy)")
    )
    lines.append(f"  Tình trạng thu hồi: {_REVOC.get(c.revocation, c.revocation)}")
    lines.append(f"  Toàn vẹn dữ liệu: {'nguyên vẹn' if c.intact else 'BỊ THAY ĐỔI'}")
    if c.coverage:
        lines.append(f"  Phạm vi ký: {_COVER.get(c.coverage, c.coverage)}")
    if c.modification_level:
        lines.append(f"  Thay đổi sau khi ký: {_MOD.get(c.modification_level, c.modification_level)}")
    if c.changed_fields_after:
        lines.append(f"  Trường thay đổi sau khi ký: {', '.join(c.changed_fields_after)}")
    if c.docmdp:
        lines.append(f"  Quyền sửa đổi sau chữ ký này: {_DOCMDP.get(c.docmdp, c.docmdp)}")
    for p in c.problems:
        lines.append(f"  ✗ {p.message_vi}")
    for w in c.warnings:
        lines.append(f"  ! {w.message_vi}")
    return lines


def report_vi(result: ValidationResult) -> str:
    lines = [f"KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ: {_VERDICT.get(result.verdict, result.verdict)}"]
    lines.append(f"Thời điểm kiểm tra: {result.validated_at}")
    lines.append(f"Mã băm SHA-256 của tệp: {result.file_sha256}")
    n = len(result.signatures)
    if n:
        ok = sum(1 for s in result.signatures if s.valid)
        lines.append(f"Số chữ ký: {n} ({ok} hợp lệ, {n - ok} không hợp lệ)")
    for p in result.problems:
        lines.append(f"✗ {p.message_vi}")
    for c in result.signatures:
        lines.append("")
        lines.extend(_sig(c))
    return "\n".join(lines) + "\n"
