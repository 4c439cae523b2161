"""The conformance sandbox: what was wrong or tolerated in each VDXP request, per system id.

With ``VANBAN_HUB_SANDBOX`` on (``vanban serve --role hub --sandbox``) every request is
recorded, accepted or refused: the answer's error code, the quirks tolerated (stale
timestamp, unpadded hash, CRLF after the body, accumulated headers, ...) and, for
``sendEdoc``, every problem :func:`vanban.edxml.validate` finds with the rule it breaks.
``vanban hub conformance report SYSTEMID`` prints them in Vietnamese or as JSON. A hub
without the sandbox records nothing (a refused request stores nothing at all).
"""

from __future__ import annotations

from typing import Any

from vanban.edxml import EdxmlError, validate
from vanban.exchange import conf
from vanban.exchange.models import ConformanceRecord
from vanban.vdxp import VdxpError, body_content, error_codes, notes

MAX_PROBLEMS = 50


def edxml_problems(body: bytes, hash_file: str) -> list[dict[str, Any]]:
    """The edXML problems of a ``sendEdoc`` body (errors and warnings), each with its rule."""
    found = body_content(body, hash_file)
    content = found[0] if found else body.removesuffix(b"\r\n")
    try:
        problems = validate(content, max_size=conf.max_package_bytes())
    except EdxmlError as exc:
        return [{"rule": exc.code, "location": exc.location or "/", "severity": "error", "message_vi": exc.message_vi}]
    return [
        {"rule": p.code, "location": p.location, "severity": p.severity.value, "message_vi": p.message_vi}
        for p in problems[:MAX_PROBLEMS]
    ]


def record(
    systemid: str,
    operation: str,
    *,
    error: VdxpError | None,
    noted: list[str],
    problems: list[dict[str, Any]],
    doc_id: str = "",
) -> None:
    ConformanceRecord.objects.create(
        systemid=systemid[:100],
        operation=operation[:40],
        error_code=error.error_code if error else "0",
        error_name=error.code if error else "ok",
        detail=(error.message_vi if error else "")[:500],
        notes=noted,
        problems=problems,
        doc_id=doc_id[:64],
    )


def report(systemid: str) -> list[dict[str, Any]]:
    """Every recorded request of ``systemid``, oldest first, as JSON-able rows."""
    return [
        {
            "at": r.at.isoformat(),
            "operation": r.operation,
            "error_code": r.error_code,
            "error": r.error_name,
            "detail": r.detail,
            "notes": r.notes,
            "problems": r.problems,
            "doc_id": r.doc_id,
        }
        for r in ConformanceRecord.objects.filter(systemid=systemid).order_by("id")
    ]


def report_text(systemid: str, rows: list[dict[str, Any]]) -> str:
    """The report in Vietnamese: one block per request, then a summary."""
    from django.utils import timezone

    lines = [f"Báo cáo kiểm tra tương thích của hệ thống {systemid}: {len(rows)} yêu cầu"]
    refused = 0
    for i, row in enumerate(rows, 1):
        at = timezone.localtime(ConformanceRecord._meta.get_field("at").to_python(row["at"]))
        ok = row["error_code"] == "0"
        refused += not ok
        verdict = "chấp nhận" if ok else f"từ chối, mã lỗi {row['error_code']} ({row['error']})"
        lines.append(f"{i}. {at:%d/%m/%Y %H:%M:%S} {row['operation']}: {verdict}")
        if row["detail"]:
            lines.append(f"   Lỗi: {row['detail']}")
        for name in row["notes"]:
            note = notes().get(name)
            lines.append(f"   Chấp nhận được: {note.vi if note else name}")
        for p in row["problems"]:
            kind = "lỗi" if p["severity"] == "error" else "cảnh báo"
            lines.append(f"   edXML {kind} [{p['rule']}] {p['location']}: {p['message_vi']}")
    lines.append(f"Tổng cộng: {len(rows) - refused} chấp nhận, {refused} từ chối.")
    if not rows:
        lines.append("Chưa có yêu cầu nào được ghi (trục có chạy với --sandbox không?).")
    return "\n".join(lines) + "\n"


def describe(code: str) -> str:
    row = error_codes().get(code)
    return row.vi if row else code
