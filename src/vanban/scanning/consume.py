"""The scanners' consume folders: ``<VANBAN_CONSUME_DIR>/<agency code>/``.

A periodic job of the worker (:func:`sweep`) looks into each agency's folder and takes the
files that are fully written: not hidden or temporary, and unchanged (size and time) for
``VANBAN_CONSUME_SETTLE_SECONDS``, checked twice. Each file taken becomes a scan job and
leaves the folder: into ``da-nhan/`` (kept there as received, until the job says otherwise)
or, when it cannot be digitized, into ``loi/`` beside a ``<name>.ly-do.txt`` that says why
in Vietnamese. Nothing is deleted, except the copy of a secret scan (kept on paper only).
A folder named after no agency is left alone (and logged).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.utils import timezone

from vanban.directory.models import Agency
from vanban.scanning import conf
from vanban.scanning.models import ScanJob
from vanban.scanning.states import JobState

logger = logging.getLogger(__name__)

__all__ = ["sweep", "ready_files", "move_failed", "forget", "prepare_folders", "RECEIVED", "FAILED"]

RECEIVED = "da-nhan"
FAILED = "loi"
REASON_SUFFIX = ".ly-do.txt"
_TEMPORARY = (".part", ".tmp", ".crdownload", "~", ".partial")


def _unchanged(path: Path, settle: float) -> os.stat_result | None:
    try:
        first = path.stat()
    except OSError:
        return None
    if time.time() - first.st_mtime < settle:
        return None
    time.sleep(0.05)
    try:
        second = path.stat()
    except OSError:
        return None
    if (first.st_size, first.st_mtime_ns) != (second.st_size, second.st_mtime_ns):
        return None
    return second


def ready_files(folder: Path, settle: float | None = None) -> list[Path]:
    """The files of one agency's folder that are fully written, oldest first."""
    settle = conf.settle_seconds() if settle is None else settle
    out = []
    for path in folder.iterdir():
        name = path.name
        if not path.is_file() or name.startswith(".") or name.lower().endswith(_TEMPORARY):
            continue
        if _unchanged(path, settle) is not None:
            out.append(path)
    return sorted(out, key=lambda p: (p.stat().st_mtime, p.name))


def _free(target_dir: Path, name: str) -> Path:
    """``target_dir/<time>-<name>``, never overwriting what is there."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    candidate = target_dir / f"{stamp}-{name}"
    n = 1
    while candidate.exists():
        candidate = target_dir / f"{stamp}-{n}-{name}"
        n += 1
    return candidate


def _write_reason(path: Path, job: ScanJob) -> None:
    text = (
        f"Tệp: {job.file_name}\n"
        f"Thời điểm: {timezone.localtime():%d/%m/%Y %H:%M:%S}\n"
        f"Lý do không số hóa được: {job.error_vi}\n"
        f"Mã lỗi: {job.error_code}\n"
    )
    path.with_name(path.name + REASON_SUFFIX).write_text(text, encoding="utf-8")


def move_failed(job: ScanJob) -> None:
    """A failed job's file (still in ``da-nhan/``) goes to ``loi/`` with the reason."""
    if not job.folder_path:
        return
    current = Path(job.folder_path)
    if not current.is_file() or current.parent.name != RECEIVED:
        return
    target = current.parent.parent / FAILED / current.name
    target.parent.mkdir(parents=True, exist_ok=True)
    current.replace(target)
    _write_reason(target, job)
    ScanJob.objects.filter(pk=job.pk).update(folder_path=str(target))
    job.folder_path = str(target)


def forget(job: ScanJob) -> None:
    """Remove the folder's copy of a secret scan: it is kept on paper only."""
    if job.folder_path:
        Path(job.folder_path).unlink(missing_ok=True)
        job.folder_path = ""


def _take(agency: Agency, path: Path) -> ScanJob:
    from vanban.scanning.services import submit_file

    target = _free(path.parent / RECEIVED, path.name)
    path.replace(target)  # out of the scanner's way first: never taken twice
    size = target.stat().st_size
    data = target.read_bytes() if 0 < size <= conf.max_bytes() else b""  # never read a huge file whole
    job = submit_file(agency, data, path.name, folder_path=str(target), size=size)
    if job.state == JobState.FAILED:
        move_failed(job)
    return job


def sweep(root: Path | None = None) -> list[ScanJob]:
    """Take every fully written file of every agency's folder (the periodic job)."""
    root = conf.consume_dir() if root is None else root
    if root is None or not root.is_dir():
        return []
    folders = {p.name: p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=list(folders))}
    for name in sorted(set(folders) - set(agencies)):
        logger.warning("consume folder %s names no agency; left alone", folders[name])
    taken = []
    for code, agency in sorted(agencies.items()):
        for path in ready_files(folders[code]):
            try:
                taken.append(_take(agency, path))
            except OSError:
                logger.exception("could not take %s from the consume folder", path)
    return taken


def prepare_folders(root: Path | None = None) -> list[Path]:
    """Make the folder of every agency that has a clerk (the demo does it at start)."""
    root = conf.consume_dir() if root is None else root
    if root is None:
        return []
    codes = Agency.objects.filter(people__roles__code="van-thu").values_list("code", flat=True).distinct()
    folders = [root / code for code in sorted(codes)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders
