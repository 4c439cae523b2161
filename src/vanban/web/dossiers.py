"""Pages of dossiers (hồ sơ): the agency's list of a year with a search box and the counts
by state, one dossier with its documents, its history and its actions (close, annotate),
holds (giữ lại: kept from destruction, with a reason), and the transfer to the archive
(nộp lưu): the clerk ticks closed dossiers in the list, sees
what blocks each one (or that it is ready) and builds the package, downloaded as a ZIP
streamed from a temporary file. Thin: the rules are :mod:`vanban.records`'s; a refusal is
shown as it says."""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from vanban import records
from vanban.errors import DomainError
from vanban.records.errors import DossierRefused
from vanban.records.states import DossierState
from vanban.web.dossier_forms import year_of


def _year(request: HttpRequest) -> int:
    return year_of(request.GET.get("nam", ""))


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    page = records.dossier_page(request.user, year, request.GET.get("q", ""))
    counts = [(label, page.counts[code], code) for code, label in DossierState.choices]
    person = getattr(request.user, "person", None)
    return render(
        request,
        "web/dossier_list.html",
        {
            "page": page,
            "counts": counts,
            "total": sum(page.counts.values()),
            "years": (year - 1, year + 1),
            "can_transfer": person is not None and person.has_role("van-thu"),
            "can_list": _may_open(person, "web:dossier_catalog"),
            "can_dispose": _may_open(person, "web:disposal_list"),
            "closed": DossierState.CLOSED,
        },
    )


def _may_open(person, view_name: str) -> bool:
    """Whether the page's link is worth showing: the access table lets the person in."""
    from vanban.web.access import rule_for

    rule = rule_for(view_name)
    return person is not None and rule is not None and any(person.has_role(r) for r in rule.roles)


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
            "may_hold": dossier.state in (DossierState.CLOSED, DossierState.TRANSFERRED),
            "disposals": dossier.disposals.order_by("-created_at"),
            "can_dispose": _may_open(getattr(request.user, "person", None), "web:disposal_list"),
        },
    )


def _close(request: HttpRequest, dossier) -> str:
    records.close_dossier(request.user, dossier)
    return "Đã đóng hồ sơ."


def _annotate(request: HttpRequest, dossier) -> str:
    records.annotate(request.user, dossier, request.POST.get("text", ""))
    return "Đã ghi chú vào hồ sơ."


def _hold(request: HttpRequest, dossier) -> str:
    records.hold_dossier(request.user, dossier, request.POST.get("reason", ""))
    return "Đã giữ lại hồ sơ: hồ sơ không được hủy cho đến khi bỏ giữ lại."


def _release(request: HttpRequest, dossier) -> str:
    records.release_dossier(request.user, dossier)
    return "Đã bỏ giữ lại hồ sơ."


ACTIONS = {"dong": _close, "ghi-chu": _annotate, "giu-lai": _hold, "bo-giu-lai": _release}


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


KINDS = {"van-ban-di": ("web:outgoing", "outgoing"), "van-ban-den": ("web:incoming", "incoming")}


def _document(request: HttpRequest, kind: str, pk: int):
    from vanban.registry.queries import visible_incoming, visible_outgoing

    if kind not in KINDS:
        raise Http404("Không có loại văn bản này.")
    person = getattr(request.user, "person", None)
    rows = visible_outgoing(person) if kind == "van-ban-di" else visible_incoming(person)
    doc = rows.filter(pk=pk).first()
    if doc is None:
        raise Http404("Không tìm thấy văn bản, hoặc bạn không có quyền xem văn bản này.")
    return doc


def filing_context(request: HttpRequest, document, kind: str) -> dict:
    """What a document's page shows of its dossier ("Lập hồ sơ")."""
    return {"filing": records.filing_choices(request.user, document), "filing_kind": kind}


@login_required
def dossier_file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """ "Lập hồ sơ" from a document's page: file it into the dossier chosen there."""
    doc = _document(request, kind, pk)
    back = KINDS[kind][0]
    try:
        dossier = records.get_dossier(request.user, int(request.POST.get("dossier", "0") or 0))
        item = records.file_document(request.user, dossier, doc)
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message_vi", "Hãy chọn hồ sơ."))
    else:
        messages.success(request, f"Đã lập hồ sơ: văn bản là văn bản số {item.ordinal} của hồ sơ “{dossier.notation}”.")
    return redirect(back, pk=doc.pk)


def _selected(request: HttpRequest) -> list:
    data = request.POST if request.method == "POST" else request.GET
    pks = dict.fromkeys(int(v) for v in data.getlist("ho_so") if v.isdigit())
    return [_dossier(request, pk) for pk in pks]


@login_required
def dossier_transfer(request: HttpRequest) -> HttpResponseBase:
    """Nộp lưu: GET shows each selected dossier's blockers (or "sẵn sàng nộp lưu"); POST
    builds the package and sends it (the dossiers are then marked transferred)."""
    from vanban.web.downloads import file_response

    dossiers = _selected(request)
    if request.method == "POST":
        back = reverse("web:dossier_transfer") + "?" + urlencode([("ho_so", d.pk) for d in dossiers])
        if not dossiers:
            messages.error(request, "Hãy chọn ít nhất một hồ sơ đã đóng để nộp lưu.")
            return redirect("web:dossier_list")
        tmp = tempfile.TemporaryFile(prefix="vanban-nop-luu-")
        try:
            result = records.export_transfer(request.user, dossiers, tmp)
        except DomainError as exc:
            tmp.close()
            messages.error(request, exc.message_vi)
            return redirect(back)
        except BaseException:
            tmp.close()
            raise
        tmp.seek(0)
        name = f"goi-nop-luu-{dossiers[0].agency.code}-{timezone.localdate():%d-%m-%Y}-{result.package_sha256[:8]}.zip"
        return file_response(tmp, name, "application/zip", attachment=True)
    checks = records.check_transfer(dossiers)
    return render(
        request,
        "web/dossier_transfer.html",
        {"checks": checks, "ready": bool(checks) and all(c.ready for c in checks)},
    )
