"""Scan jobs, from the upload or the consume folder to the incoming document.

- :func:`submit_upload` / :func:`submit_file`: the scan is kept in the store (content-
  addressed) and a job row written, in one transaction; the worker task is queued after
  the commit. A scan that cannot be taken at all (empty, too large) is a failed job with
  the reason, so nothing the scanner dropped goes unaccounted for.
- :func:`run`: the worker's step: claims the queued job, runs :func:`vanban.digitize.digitize`
  with the progress saved to the row page by page, then keeps the PDF/A beside the original,
  the text, the fields and the secrecy stamp. A secret scan keeps neither file nor text: a
  secret document is registered and kept on paper only.
- :func:`register` / :func:`attach`: the clerk's two uses of a finished job, through the
  registry's paper arrival pipeline and flow engine.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from vanban import storage
from vanban.audit import AuditAction, record
from vanban.directory.models import Agency, DocumentType, Person, SecrecyLevel
from vanban.pdfguard import PdfLimits, PdfRefused, check_pdf
from vanban.registry.models import IncomingDocument, StoredFile
from vanban.registry.services import incoming
from vanban.registry.services.digitized import DigitizedScan, attach_digitized
from vanban.scanning import conf
from vanban.scanning.errors import ScanningError
from vanban.scanning.models import ScanJob
from vanban.scanning.states import JobOutcome, JobSource, JobState

logger = logging.getLogger(__name__)

__all__ = [
    "submit_upload",
    "submit_upload_stream",
    "submit_file",
    "run",
    "requeue_lost",
    "register",
    "attach",
    "visible_jobs",
    "counts",
    "prefill",
    "low_confidence_fields",
    "MEDIA_TYPES",
]

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
SECRET_NOTE = (
    "Bản quét có dấu độ mật “{level}”: văn bản mật chỉ được vào sổ và quản lý bản giấy; hệ thống không "
    "giữ bản quét và nội dung nhận dạng của nó."
)


def _clerk(user) -> Person:
    person = getattr(user, "person", None) if user is not None else None
    if person is None or not person.has_role("van-thu"):
        raise ScanningError("Chỉ văn thư được số hóa văn bản giấy.", "Only clerks digitize paper.", code="not_allowed")
    return person


def _refusal(size: int, name: str) -> tuple[str, str] | None:
    """(code, Vietnamese message) when the scan cannot be taken at all."""
    if not size:
        return "empty_file", f"Tệp “{name}” trống (0 byte): máy quét chưa ghi xong hoặc tệp hỏng; hãy quét lại."
    if size > conf.max_bytes():
        limit = conf.max_bytes() // (1024 * 1024)
        return "too_large", f"Tệp “{name}” quá lớn (tối đa {limit} MB): hãy quét thành nhiều tệp nhỏ hơn."
    return None


def _create(
    agency: Agency, person: Person | None, data: bytes, name: str, source: str, folder_path: str, size: int
) -> ScanJob:
    name = Path(name).name[:255] or "ban-quet"
    refusal = _refusal(size, name)
    media_type = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    with transaction.atomic():
        job = ScanJob(
            agency=agency,
            uploaded_by=person,
            source=source,
            file_name=name,
            original_size=size,
            original_type=media_type,
            folder_path=folder_path[:1000],
        )
        actor = person.user if person is not None else None
        if refusal is not None:
            job.state, (job.error_code, job.error_vi), job.finished_at = JobState.FAILED, refusal, timezone.now()
            job.save()
            record(actor, AuditAction.SCAN_FAILED, job, after={"file": name, "code": job.error_code})
            return job
        job.original_sha256 = storage.put_bytes(data)
        job.save()
        record(actor, AuditAction.SCAN_SUBMITTED, job, after={"file": name, "sha256": job.original_sha256})
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from vanban.scanning.tasks import digitize_scan

    try:
        digitize_scan.enqueue(job_id)
    except Exception:  # the periodic task queues it again (requeue_lost)
        logger.exception("could not enqueue scan job %s", job_id)
    else:
        ScanJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


LOST_AFTER = dt.timedelta(minutes=15)
STUCK_AFTER = dt.timedelta(hours=1)


def requeue_lost() -> int:
    """Queue again the jobs whose task never ran (not queued, or lost) and the jobs a worker
    stopped in the middle of; a job is claimed by its state, so running twice is harmless."""
    now = timezone.now()
    ScanJob.objects.filter(state=JobState.RUNNING, started_at__lt=now - STUCK_AFTER).update(state=JobState.QUEUED)
    lost = ScanJob.objects.filter(state=JobState.QUEUED).exclude(enqueued_at__gte=now - LOST_AFTER)
    ids = list(lost.values_list("id", flat=True)[:100])
    for job_id in ids:
        _enqueue(job_id)
    return len(ids)


def submit_upload(user, data: bytes, name: str) -> ScanJob:
    """A scan the clerk uploads on the page."""
    person = _clerk(user)
    return _create(person.agency, person, data, name, JobSource.UPLOAD, "", len(data))


def _too_large(name: str) -> ScanningError:
    limit = conf.max_bytes() // (1024 * 1024)
    return ScanningError(
        f"Tệp “{name}” quá lớn (tối đa {limit} MB): hãy quét thành nhiều tệp nhỏ hơn.",
        f"{name}: over {conf.max_bytes()} bytes.",
        code="too_large",
    )


def submit_upload_stream(user, chunks: Iterable[bytes], name: str, size: int) -> ScanJob:
    """A scan the clerk uploads on the page, taken in chunks: refused from its declared
    ``size`` before anything is read, written to a temporary file (never whole in memory
    while it is checked), a PDF passed through :func:`vanban.pdfguard.check_pdf`; a refusal
    is a :class:`ScanningError` with the Vietnamese reason and nothing is stored, no job."""
    person = _clerk(user)
    name = Path(name).name[:255] or "ban-quet"
    if size > conf.max_bytes():
        raise _too_large(name)
    with tempfile.NamedTemporaryFile(prefix="vanban-scan-") as tmp:
        written = 0
        for chunk in chunks:
            written += len(chunk)
            if written > conf.max_bytes():  # the declared size was wrong
                raise _too_large(name)
            tmp.write(chunk)
        tmp.flush()
        tmp.seek(0)
        if b"%PDF-" in tmp.read(1024):
            try:
                check_pdf(tmp.name, _pdf_limits())
            except PdfRefused as exc:
                raise ScanningError(
                    f"Tệp “{name}” bị từ chối: {exc.message_vi}", exc.message_en, code=exc.code, details=exc.details
                ) from exc
        tmp.seek(0)
        data = tmp.read()
    return _create(person.agency, person, data, name, JobSource.UPLOAD, "", len(data))


def _pdf_limits() -> PdfLimits:
    from django.conf import settings

    return PdfLimits.from_mapping(getattr(settings, "VANBAN_PDF_LIMITS", None))


def submit_file(agency: Agency, data: bytes, name: str, *, folder_path: str = "", size: int | None = None) -> ScanJob:
    """A scan the agency's scanner dropped into its consume folder (``size``: the file's,
    when it was too large to read)."""
    return _create(agency, None, data, name, JobSource.FOLDER, folder_path, len(data) if size is None else size)


# --- the worker ------------------------------------------------------------------------------


def _progress(job_id: int):
    def save(done: int, total: int) -> None:
        ScanJob.objects.filter(pk=job_id).update(pages_done=done, pages_total=total)

    return save


def _fields_of(result) -> dict:
    """The fields found, as JSON (dates ``YYYY-MM-DD``)."""
    return {name: f for name, f in result.fields.as_dict().items() if f["value"] not in (None, "")}


def _forget_files(job: ScanJob) -> None:
    """Remove a secret scan from the store (when nothing else names the same bytes) and from
    the scanner's folder."""
    from vanban.scanning import consume

    for sha in {job.original_sha256, job.pdf_sha256} - {""}:
        others = ScanJob.objects.exclude(pk=job.pk).filter(original_sha256=sha).exists()
        if not others and not StoredFile.objects.filter(sha256=sha).exists():
            storage.store("files").delete(sha)
    consume.forget(job)
    job.original_sha256 = job.pdf_sha256 = ""
    job.text = ""


def _fail(job: ScanJob, code: str, message_vi: str) -> str:
    from vanban.scanning import consume

    with transaction.atomic():
        job.state, job.error_code, job.error_vi = JobState.FAILED, code[:60], message_vi[:1000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error_code", "error_vi", "finished_at"])
        record(None, AuditAction.SCAN_FAILED, job, after={"file": job.file_name, "code": code})
    consume.move_failed(job)
    return JobState.FAILED


def run(job_id: int) -> str:
    """Digitize one queued job (the worker task); returns the job's state afterwards."""
    from vanban.digitize import DigitizeError, digitize

    claimed = ScanJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now(), pages_done=0
    )
    job = ScanJob.objects.select_related("agency").get(pk=job_id)
    if not claimed:
        return job.state
    try:
        data = storage.get_bytes(job.original_sha256)
        result = digitize(data, filename=job.file_name, progress=_progress(job_id))
    except DigitizeError as exc:
        return _fail(job, exc.code, exc.message_vi)
    except storage.StorageError as exc:
        return _fail(job, exc.code, "Không đọc được bản quét đã lưu; hãy tải lên lại.")
    except Exception:
        logger.exception("scan job %s failed", job_id)
        return _fail(
            job, "internal", "Lỗi không mong đợi khi số hóa; bản quét gốc vẫn được giữ. Hãy báo quản trị hệ thống."
        )
    with transaction.atomic():
        job.refresh_from_db(fields=["pages_done", "pages_total"])
        job.state, job.finished_at = JobState.DONE, timezone.now()
        job.page_count, job.ocr_done, job.pdfa_ok = result.page_count, result.ocr_done, result.pdfa_ok
        job.pages_done = job.pages_total = result.page_count
        job.original_type = result.original_media_type or job.original_type
        job.pages = [{"number": p.number, "confidence": round(float(p.confidence), 3)} for p in result.pages]
        confidences = [p.confidence for p in result.pages]
        job.confidence = round(sum(confidences) / len(confidences), 3) if confidences else None
        job.fields = _fields_of(result)
        job.secrecy = result.secrecy or ""
        job.message_vi = (result.message_vi or "")[:1000]
        if job.secrecy:
            _forget_files(job)
            job.message_vi = SECRET_NOTE.format(level=job.secrecy)
        else:
            job.pdf_sha256, job.pdf_size = storage.put_bytes(result.pdf), len(result.pdf)
            job.text = result.text
        job.save()
        record(
            None,
            AuditAction.SCAN_FINISHED,
            job,
            after={"pages": job.page_count, "pdf_sha256": job.pdf_sha256, "secrecy": job.secrecy, "ocr": job.ocr_done},
        )
    return job.state


# --- the clerk's uses of a finished job ------------------------------------------------------


def visible_jobs(person: Person) -> QuerySet[ScanJob]:
    """The agency's jobs, for its clerks; nothing for anyone else."""
    if person is None or not person.has_role("van-thu"):
        return ScanJob.objects.none()
    return ScanJob.objects.filter(agency_id=person.agency_id)


def counts(person: Person) -> dict[str, int]:
    """Jobs per state, and how many finished ones still wait for the clerk."""
    jobs = visible_jobs(person)
    out = {row["state"]: row["n"] for row in jobs.values("state").annotate(n=Count("id"))}
    out["cho-dung"] = jobs.filter(state=JobState.DONE, outcome="").count()
    out["tat-ca"] = sum(n for k, n in out.items() if k in JobState.values)
    return out


def _usable(user, job: ScanJob) -> tuple[Person, ScanJob]:
    person = _clerk(user)
    job = ScanJob.objects.select_for_update().get(pk=job.pk)
    if job.agency_id != person.agency_id:
        raise ScanningError("Bản quét không thuộc cơ quan của bạn.", "Not your agency's scan.", code="not_found")
    if job.state != JobState.DONE:
        raise ScanningError(
            "Bản quét chưa số hóa xong (hoặc bị lỗi): chưa dùng được.", "The job is not done.", code="not_done"
        )
    if job.outcome:
        raise ScanningError(
            f"Bản quét này đã được dùng ({job.get_outcome_display().lower()}).", "Already used.", code="already_used"
        )
    return person, job


def _scan_of(job: ScanJob) -> DigitizedScan | None:
    if not job.pdf_sha256:
        return None
    return DigitizedScan(
        pdf_sha256=job.pdf_sha256,
        pdf_size=job.pdf_size,
        pdf_name=f"{Path(job.file_name).stem}.pdf",
        original_sha256=job.original_sha256,
        original_size=job.original_size,
        original_name=job.file_name,
        original_type=job.original_type,
    )


@transaction.atomic
def register(
    user,
    job: ScanJob,
    *,
    sender_name: str,
    subject: str,
    code_number: str = "",
    code_notation: str = "",
    issued_on: dt.date | None = None,
    document_type: DocumentType | None = None,
    secrecy: SecrecyLevel | None = None,
    register_now: bool = True,
) -> IncomingDocument:
    """The finished job becomes an incoming paper document (the paper arrival pipeline),
    marked digitized, and is entered in the incoming register when ``register_now``. A
    secret one is registered on paper only (in the secret register), no file kept."""
    _, job = _usable(user, job)
    doc = incoming.upload_paper(
        user,
        sender_name=sender_name,
        subject=subject,
        data=b"",
        name=job.file_name,
        code_number=code_number,
        code_notation=code_notation,
        issued_on=issued_on,
        document_type=document_type,
        secrecy=secrecy,
        digitized=_scan_of(job),
    )
    if register_now:
        doc = incoming.register(user, doc)
    if secrecy is not None and job.pdf_sha256:
        _forget_files(job)
    job.document, job.outcome = doc, JobOutcome.REGISTERED
    job.save()
    return doc


@transaction.atomic
def attach(user, job: ScanJob, doc: IncomingDocument) -> IncomingDocument:
    """The finished job becomes the digitized copy of a paper document of the agency."""
    _, job = _usable(user, job)
    scan = _scan_of(job)
    if scan is None:
        raise ScanningError(
            "Bản quét có dấu độ mật: không gắn bản số hóa, văn bản mật chỉ quản lý bản giấy.",
            "A secret scan is not kept.",
            code="secret_document",
        )
    doc = attach_digitized(user, doc, scan)
    job.document, job.outcome = doc, JobOutcome.ATTACHED
    job.save()
    return doc


# --- the form, pre-filled --------------------------------------------------------------------


def _date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def prefill(job: ScanJob) -> dict[str, Any]:
    """The register form's initial values, from the fields read on the scan."""
    from vanban import secrecy as marks

    initial: dict[str, Any] = {
        "sender_name": job.field("agency")[0],
        "code_number": job.field("number")[0],
        "code_notation": job.field("notation")[0],
        "subject": job.field("subject")[0],
        "issued_on": _date(job.field("date")[0]),
        "register_now": True,
    }
    code, name = job.field("doc_type")[0], job.field("doc_type_name")[0]
    if code or name:
        types = DocumentType.objects.all()
        initial["document_type"] = types.filter(code=code).first() or types.filter(name__iexact=name).first()
    if job.secrecy:
        level = next((lv for lv in marks.levels() if lv["stamp"] == job.secrecy.upper()), None)
        initial["secrecy"] = SecrecyLevel.objects.filter(code=level["code"]).first() if level else None
    return initial


FORM_FIELDS = {
    "sender_name": "agency",
    "code_number": "number",
    "code_notation": "notation",
    "issued_on": "date",
    "document_type": "doc_type",
    "subject": "subject",
}


def low_confidence_fields(job: ScanJob) -> set[str]:
    """The form fields whose value was read with little confidence (or not found)."""
    limit = conf.low_confidence()
    return {form for form, name in FORM_FIELDS.items() if job.field(name)[1] < limit}
