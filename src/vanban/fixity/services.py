"""Checking stored files against their content address, a batch at a time.

:func:`check_batch` takes the lease on the walk's state (a second worker arriving
meanwhile finds it busy and does nothing), reads the next batch of rows
(:mod:`vanban.fixity.walk`), streams each file through SHA-256 in 64 KiB reads (bounded
memory, whatever the size; on S3 the backend spools to a temporary file), writes one audit
event per damaged or missing file on the chain of each agency whose rows name it, moves
the position on and then e-mails the administrators (:mod:`vanban.fixity.notify`). A file
is checked once per batch however many rows name it. :func:`check_all` runs batches from
the start until the whole store has been read once.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.fixity.models import FixityState
from vanban.fixity.walk import Item, Position, agencies_of, next_batch
from vanban.storage import BlobCorrupt, BlobMissing, key_for, store

__all__ = ["Finding", "FixityReport", "check_batch", "check_all", "check_file", "state", "KIND_VI"]

log = logging.getLogger(__name__)

DEFAULT_BATCH = 1000
LEASE = timedelta(hours=1)
READ = 64 * 1024
KIND_VI = {
    "corrupt": "tệp bị hỏng (mã băm SHA-256 không khớp nội dung)",
    "missing": "tệp bị mất (không còn trong kho lưu trữ)",
}


@dataclass
class Finding:
    """A stored file that failed the check: ``kind`` ``corrupt`` or ``missing``."""

    kind: str
    namespace: str
    sha256: str
    model: str
    row_id: int
    label: str = ""
    agencies: list[str] = field(default_factory=list)  # identifier codes

    @property
    def key(self) -> str:
        try:
            return f"{self.namespace}/{key_for(self.sha256)}"
        except ValueError:
            return f"{self.namespace}/{self.sha256}"

    def line_vi(self) -> str:
        what = f"{self.model} #{self.row_id}" + (f" «{self.label}»" if self.label else "")
        whose = f"; cơ quan: {', '.join(self.agencies)}" if self.agencies else ""
        kind = KIND_VI[self.kind]
        return f"{kind[0].upper()}{kind[1:]}: {self.key} ({what}{whose})"


@dataclass
class FixityReport:
    """What one run did: files checked, problems found, whether the pass ended."""

    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    pass_finished: bool = False
    busy: bool = False
    batches: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines_vi(self) -> list[str]:
        if self.busy:
            return ["Một lần kiểm tra khác đang chạy: lần này không kiểm tra gì."]
        lines = [
            f"Đã kiểm tra {self.checked} tệp: "
            + (f"{len(self.findings)} tệp có vấn đề." if self.findings else "không có tệp nào hỏng hoặc mất.")
        ]
        lines += [f"- {f.line_vi()}" for f in self.findings]
        lines.append(
            "Đã kiểm tra hết kho tệp (xong một lượt)."
            if self.pass_finished
            else "Chưa hết kho tệp: lần chạy sau tiếp tục từ chỗ dừng."
        )
        return lines


def state() -> FixityState:
    return FixityState.objects.get_or_create(key="all")[0]


def check_file(namespace: str, sha256: str) -> str | None:
    """``None`` if the file is there and matches its address, else ``corrupt`` / ``missing``."""
    try:
        with store(namespace).open(sha256) as fh:
            while fh.read(READ):
                pass
    except BlobMissing:
        return "missing"
    except BlobCorrupt:
        return "corrupt"
    except ValueError:  # not a digest: nothing can be stored under it
        return "missing"
    return None


def _batch_size(size: int | None) -> int:
    configured: int = getattr(settings, "VANBAN_FIXITY_BATCH", DEFAULT_BATCH)
    return max(1, int(size or configured))


def _take_lease(now: datetime) -> bool:
    state()
    taken = (
        FixityState.objects.filter(key="all")
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )
    return taken == 1


def _record(findings: list[Finding]) -> None:
    with transaction.atomic():
        for f in findings:
            codes = f.agencies or [""]
            for code in codes:
                audit.record(
                    None,
                    AuditAction.FILE_FIXITY_FAILED,
                    object_type="storage.file",
                    object_id=f.sha256[:64],
                    object_label=(f"{f.key} «{f.label}»" if f.label else f.key)[:255],
                    after={
                        "kind": f.kind,
                        "namespace": f.namespace,
                        "sha256": f.sha256,
                        "key": f.key,
                        "table": f.model,
                        "row": f.row_id,
                    },
                    chain=audit.agency_chain(code) if code else audit.SYSTEM_CHAIN,
                )


def _findings(items: list[Item]) -> tuple[int, list[Finding]]:
    from vanban.directory.models import Agency

    seen: set[tuple[str, str]] = set()
    findings = []
    for item in items:
        if (item.namespace, item.sha256) in seen:
            continue
        seen.add((item.namespace, item.sha256))
        kind = check_file(item.namespace, item.sha256)
        if kind is None:
            continue
        ids = agencies_of(item.namespace, item.sha256)
        codes = sorted(Agency.objects.filter(pk__in=ids).values_list("code", flat=True)) if ids else []
        findings.append(Finding(kind, item.namespace, item.sha256, item.model, item.row_id, item.label, codes))
        log.warning("fixity: %s %s/%s (%s #%s)", kind, item.namespace, item.sha256, item.model, item.row_id)
    return len(seen), findings


def check_batch(size: int | None = None, *, notify: bool = True) -> FixityReport:
    """Check the next batch of ``size`` rows' files (``VANBAN_FIXITY_BATCH``, default 1000)."""
    from vanban.fixity.notify import notify_findings

    now = timezone.now()
    if not _take_lease(now):
        return FixityReport(busy=True)
    try:
        current = state()
        position: Position = (current.ref_index, current.last_pk)
        items, after, finished = next_batch(position, _batch_size(size))
        checked, findings = _findings(items)
        if findings:
            _record(findings)
        _advance(current, after, finished, checked, len(findings))
    finally:
        FixityState.objects.filter(key="all").update(lease_until=None)
    if findings and notify:
        notify_findings(findings)
    return FixityReport(checked=checked, findings=findings, pass_finished=finished, batches=1)


def _advance(current: FixityState, after: Position, finished: bool, checked: int, problems: int) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"ref_index": after[0], "last_pk": after[1], "last_run_at": now}
    started = current.pass_started_at or now
    total_checked = current.pass_checked + checked
    total_problems = current.pass_problems + problems
    if finished:
        fields.update(
            pass_started_at=None,
            pass_checked=0,
            pass_problems=0,
            last_pass_finished_at=now,
            last_pass_checked=total_checked,
            last_pass_problems=total_problems,
        )
    else:
        fields.update(pass_started_at=started, pass_checked=total_checked, pass_problems=total_problems)
    FixityState.objects.filter(key="all").update(**fields)


def check_all(size: int | None = None, *, notify: bool = True) -> FixityReport:
    """One whole pass from the start (``vanban storage fixity --all``), in batches."""
    state()
    FixityState.objects.filter(key="all").update(
        ref_index=0, last_pk=0, pass_started_at=None, pass_checked=0, pass_problems=0
    )
    from vanban.fixity.notify import notify_findings

    total = FixityReport()
    while True:
        part = check_batch(size, notify=False)
        if part.busy:
            total.busy = total.batches == 0
            break
        total.batches += 1
        total.checked += part.checked
        total.findings += part.findings
        if part.pass_finished:
            total.pass_finished = True
            break
    if total.findings and notify:
        notify_findings(total.findings)  # one message per agency for the whole pass
    return total
