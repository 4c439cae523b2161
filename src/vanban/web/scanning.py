"""Pages of digitizing paper (số hóa), for the agency's clerks: upload scans, the list of
scan jobs with their progress updated in place (HTMX polls the table while a job runs),
and a job's page with its PDF beside the two uses of it (register as an incoming paper
document, pre-filled from the fields read; or attach to a paper-only document). Also the
files of a digitized incoming document: its digitized copy, original scan and certified
copies. Everything of another agency, and everything for someone who is not a clerk, is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from vanban.registry.errors import RegistryError
from vanban.registry.models import IncomingDocument
from vanban.registry.queries import awaiting_digitized_copy, visible_incoming
from vanban.scanning import services
from vanban.scanning.errors import ScanningError
from vanban.scanning.models import ScanJob
from vanban.scanning.states import JobState
from vanban.storage import get_bytes
from vanban.web.downloads import file_response
from vanban.web.forms import DigitizedForm
from vanban.web.outgoing import _person

MAX_FILES = 50
TABS = [
    ("", "Tất cả", "tat-ca"),
    (JobState.QUEUED, "Đang chờ", JobState.QUEUED),
    (JobState.RUNNING, "Đang số hóa", JobState.RUNNING),
    ("cho-dung", "Chờ vào sổ", "cho-dung"),
    (JobState.DONE, "Đã số hóa", JobState.DONE),
    (JobState.FAILED, "Lỗi", JobState.FAILED),
]


def _clerk(request: HttpRequest):
    """The clerk (the table lets only clerks in: vanban.web.access)."""
    return _person(request)


def _job(request: HttpRequest, pk: int) -> ScanJob:
    return get_object_or_404(services.visible_jobs(_clerk(request)).select_related("document"), pk=pk)


def _jobs(person, tab: str):
    jobs = services.visible_jobs(person).select_related("uploaded_by", "document")
    if tab == "cho-dung":
        return jobs.filter(state=JobState.DONE, outcome="")
    return jobs.filter(state=tab) if tab in JobState.values else jobs


def _table_context(person, tab: str) -> dict:
    jobs = list(_jobs(person, tab)[:200])
    return {"jobs": jobs, "tab": tab, "polling": any(j.active for j in jobs)}


@login_required
def scan_list(request: HttpRequest) -> HttpResponse:
    person = _clerk(request)
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, "Hãy chọn ít nhất một tệp bản quét (PDF, TIFF, PNG, JPEG).")
        elif len(files) > MAX_FILES:
            messages.error(request, f"Mỗi lần tải lên tối đa {MAX_FILES} tệp.")
        else:
            jobs = []
            for f in files:
                try:
                    jobs.append(services.submit_upload_stream(request.user, f.chunks(), f.name or "", f.size or 0))
                except ScanningError as exc:  # refused before anything was stored
                    messages.error(request, exc.message_vi)
            failed = [j for j in jobs if j.state == JobState.FAILED]
            for j in failed:
                messages.error(request, j.error_vi)
            if len(jobs) > len(failed):
                messages.success(request, f"Đã nhận {len(jobs) - len(failed)} bản quét; hệ thống đang số hóa.")
        return redirect("web:scan_list")
    tab = request.GET.get("trang-thai", "")
    counts = services.counts(person)
    tabs = [(code, label, counts.get(key, 0)) for code, label, key in TABS]
    return render(request, "web/scan_list.html", {"tabs": tabs, **_table_context(person, tab)})


@login_required
def scan_table(request: HttpRequest) -> HttpResponse:
    """The jobs table alone (HTMX swaps it in place every few seconds while a job runs)."""
    person = _clerk(request)
    return render(request, "web/_scan_table.html", _table_context(person, request.GET.get("trang-thai", "")))


@login_required
def scan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _clerk(request)
    job = _job(request, pk)
    context: dict = {"job": job}
    if job.state == JobState.DONE and not job.outcome:
        low = services.low_confidence_fields(job)
        context["form"] = DigitizedForm(initial=services.prefill(job), low=low)
        context["low"] = low
        if not job.secrecy:
            context["paper_documents"] = awaiting_digitized_copy(person)[:100]
    return render(request, "web/scan_detail.html", context)


@login_required
def scan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress alone (HTMX); when the job has finished, the whole page reloads."""
    job = _job(request, pk)
    response = render(request, "web/_scan_progress.html", {"job": job})
    if not job.active:
        response["HX-Refresh"] = "true"
    return response


def _pdf(data: bytes, name: str, *, attachment: bool = False) -> HttpResponse:
    return file_response(data, name, "application/pdf", attachment=attachment)


@login_required
@xframe_options_sameorigin
def scan_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF/A made from the scan (shown in a frame of the job page)."""
    job = _job(request, pk)
    if not job.pdf_sha256:
        raise Http404("Bản quét chưa có bản PDF/A.")
    return _pdf(get_bytes(job.pdf_sha256), "ban-so-hoa.pdf")


@login_required
def scan_original(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if not job.original_sha256:
        raise Http404("Không còn giữ bản quét gốc.")
    return file_response(get_bytes(job.original_sha256), job.file_name, job.original_type, attachment=True)


@login_required
@require_POST
def scan_register(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = DigitizedForm(request.POST, low=services.low_confidence_fields(job))
    if not form.is_valid():
        return render(request, "web/scan_detail.html", {"job": job, "form": form}, status=400)
    try:
        doc = services.register(request.user, job, **form.cleaned_data)  # the form's fields are its arguments
    except (ScanningError, RegistryError) as exc:
        messages.error(request, exc.message_vi)
        return redirect("web:scan", pk=job.pk)
    if doc.so_den:
        messages.success(request, f"Đã nhập văn bản đến bản giấy (bản số hóa) và vào sổ, số đến {doc.so_den}.")
    else:
        messages.success(request, "Đã nhập văn bản đến bản giấy (bản số hóa).")
    return redirect("web:incoming", pk=doc.pk)


@login_required
@require_POST
def scan_attach(request: HttpRequest, pk: int) -> HttpResponse:
    person = _clerk(request)
    job = _job(request, pk)
    try:
        doc = awaiting_digitized_copy(person).get(pk=int(request.POST.get("document", "")))
    except (ValueError, IncomingDocument.DoesNotExist):
        messages.error(request, "Hãy chọn văn bản đến bản giấy chưa có bản số hóa.")
        return redirect("web:scan", pk=job.pk)
    try:
        services.attach(request.user, job, doc)
    except (ScanningError, RegistryError) as exc:
        messages.error(request, exc.message_vi)
        return redirect("web:scan", pk=job.pk)
    messages.success(request, "Đã gắn bản số hóa vào văn bản đến bản giấy.")
    return redirect("web:incoming", pk=doc.pk)


# --- files of a digitized incoming document ---------------------------------------------------


@login_required
@xframe_options_sameorigin
def incoming_digitized(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    """``ban-so-hoa``: the digitized copy (PDF/A); ``ban-quet``: the scan it was made from."""
    doc = get_object_or_404(visible_incoming(_person(request)), pk=pk)
    stored = {"ban-so-hoa": doc.digitized_file, "ban-quet": doc.scan_original}.get(which)
    if stored is None:
        raise Http404("Văn bản không có tệp này.")
    return file_response(stored.read(), stored.name, stored.content_type)


@login_required
def incoming_copy(request: HttpRequest, pk: int, copy: int) -> HttpResponse:
    """A certified electronic copy (bản sao điện tử) of the document."""
    doc = get_object_or_404(visible_incoming(_person(request)), pk=pk)
    row = get_object_or_404(doc.certified_copies.select_related("file"), pk=copy)
    return _pdf(row.file.read(), row.file.name, attachment=True)
