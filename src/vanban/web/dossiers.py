"""Pages of dossiers (hồ sơ): the agency's list of a year with a search box and the counts
by state, and one dossier with its documents, its history and its actions (close,
annotate). Thin: the rules are :mod:`vanban.records`'s; a refusal is shown as it says."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from vanban import records
from vanban.errors import DomainError
from vanban.records.errors import DossierRefused
from vanban.records.states import DossierState


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1900 <= year <= 2999 else timezone.localdate().year


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    page = records.dossier_page(request.user, year, request.GET.get("q", ""))
    counts = [(label, page.counts[code], code) for code, label in DossierState.choices]
    return render(
        request,
        "web/dossier_list.html",
        {"page": page, "counts": counts, "total": sum(page.counts.values()), "years": (year - 1, year + 1)},
    )


def _dossier(request: HttpRequest, pk: int):
    try:
        return records.get_dossier(request.user, pk)
    except DossierRefused as exc:
        raise Http404("Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.") from exc


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    items = list(dossier.items.select_related("outgoing", "incoming", "filed_by"))
    return render(
        request,
        "web/dossier_detail.html",
        {
            "dossier": dossier,
            "items": items,
            "notes": dossier.notes.select_related("author"),
            "history": dossier.history.all(),
            "is_open": dossier.state == DossierState.OPEN,
        },
    )


def _close(request: HttpRequest, dossier) -> str:
    records.close_dossier(request.user, dossier)
    return "Đã đóng hồ sơ."


def _annotate(request: HttpRequest, dossier) -> str:
    records.annotate(request.user, dossier, request.POST.get("text", ""))
    return "Đã ghi chú vào hồ sơ."


ACTIONS = {"dong": _close, "ghi-chu": _annotate}


@login_required
def dossier_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    dossier = _dossier(request, pk)
    run = ACTIONS.get(action)
    if run is None:
        raise Http404("Không có thao tác này.")
    try:
        messages.success(request, run(request, dossier))
    except DomainError as exc:
        messages.error(request, exc.message_vi)
    return redirect("web:dossier", pk=dossier.pk)
