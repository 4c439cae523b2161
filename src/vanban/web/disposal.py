"""Pages of the destruction of records whose retention expired (hủy tài liệu hết thời hạn
lưu trữ): the batches of the agency, the yearly proposal (the expired dossiers, ticked, with
the explanation) that starts a batch, and a batch with its dossiers, its history and the form
of its next step only (council minutes, appraisal, decision, destruction; stop with a
reason). Thin: the steps, their order, who takes each and the holds are
:mod:`vanban.records`'s; a refusal is shown on the page, the form keeping what was typed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from vanban import records
from vanban.errors import DomainError
from vanban.records.errors import DisposalRefused
from vanban.records.states import DisposalState
from vanban.web.dossier_forms import AppraisalForm, DecisionForm, MinutesForm, StopForm, year_of
from vanban.web.outgoing import _person

# the form of each batch state's next step: (URL slug, form, button)
NEXT_STEP: dict[str, tuple[str, type[forms.Form], str]] = {
    DisposalState.LISTED: ("xet", MinutesForm, "Ghi biên bản họp Hội đồng xét hủy"),
    DisposalState.REVIEWED: ("tham-dinh", AppraisalForm, "Ghi ý kiến thẩm định"),
    DisposalState.APPRAISED: ("quyet-dinh", DecisionForm, "Ghi quyết định hủy"),
    DisposalState.DECIDED: ("huy", forms.Form, "Hủy tài liệu"),
}
UNDER_WAY = tuple(NEXT_STEP)


def _agency(request: HttpRequest):
    """The person's agency (the access table lets in only accounts bound to one)."""
    return _person(request).agency


_year = year_of


@login_required
def disposal_list(request: HttpRequest) -> HttpResponse:
    batches = records.visible_disposals(request.user).prefetch_related("dossiers")
    return render(request, "web/disposal_list.html", {"batches": batches, "year": timezone.localdate().year})


@login_required
def disposal_new(request: HttpRequest) -> HttpResponse:
    """The yearly proposal: the dossiers whose retention ended before the year; POST starts
    a batch of those ticked, with the explanation."""
    data = request.POST if request.method == "POST" else request.GET
    year = _year(data.get("nam", ""))
    agency = _agency(request)
    explanation = request.POST.get("explanation", "")
    ticked = {int(v) for v in request.POST.getlist("ho_so") if v.isdigit()}
    if request.method == "POST":
        try:
            chosen = [records.get_dossier(request.user, pk) for pk in sorted(ticked)]
            batch = records.start_disposal(request.user, agency, year, chosen, explanation)
        except DomainError as exc:
            messages.error(request, exc.message_vi)
        else:
            messages.success(request, f"Đã lập danh mục hủy tài liệu: {batch.dossiers.count()} hồ sơ.")
            return redirect("web:disposal", pk=batch.pk)
    return render(
        request,
        "web/disposal_new.html",
        {
            "year": year,
            "years": (year - 1, year + 1),
            "expired": records.expired_dossiers(agency, year),
            "ticked": ticked,
            "explanation": explanation,
        },
    )


def _batch(request: HttpRequest, pk: int):
    try:
        return records.get_disposal(request.user, pk)
    except DisposalRefused as exc:
        raise Http404("Không tìm thấy đợt hủy tài liệu, hoặc bạn không có quyền xem.") from exc


def _detail(request: HttpRequest, batch, *, step_form=None, stop_form=None) -> HttpResponse:
    step = NEXT_STEP.get(batch.state)
    if step is not None and step_form is None:
        step_form = step[1]()
    return render(
        request,
        "web/disposal_detail.html",
        {
            "batch": batch,
            "dossiers": batch.dossiers.select_related("retention_class").order_by("year", "number"),
            "history": batch.history.all(),
            "step": step,
            "step_form": step_form,
            "stop_form": stop_form or StopForm(),
            "under_way": batch.state in UNDER_WAY,
        },
    )


@login_required
def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _batch(request, pk))


def _review(request, batch, form):
    records.review_disposal(request.user, batch, form.cleaned_data["minutes"])
    return "Đã ghi biên bản họp Hội đồng xét hủy."


def _appraise(request, batch, form):
    records.appraise_disposal(request.user, batch, form.cleaned_data["appraisal"])
    return "Đã ghi ý kiến thẩm định."


def _decide(request, batch, form):
    d = form.cleaned_data
    records.decide_disposal(request.user, batch, number=d["number"], date=d["date"], signer=d["signer"])
    return f"Đã ghi quyết định hủy số {d['number']}."


def _destroy(request, batch, form):
    done = records.destroy_disposal(request.user, batch)
    return f"Đã hủy {done.dossiers.count()} hồ sơ; thông tin mô tả của các hồ sơ vẫn được giữ."


def _stop(request, batch, form):
    records.stop_disposal(request.user, batch, form.cleaned_data["reason"])
    return "Đã dừng việc hủy."


ACTIONS = {
    "xet": (_review, MinutesForm),
    "tham-dinh": (_appraise, AppraisalForm),
    "quyet-dinh": (_decide, DecisionForm),
    "huy": (_destroy, forms.Form),
    "dung": (_stop, StopForm),
}


@login_required
def disposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    batch = _batch(request, pk)
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    run, form_class = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            messages.success(request, run(request, batch, form))
        except DomainError as exc:
            messages.error(request, exc.message_vi)
        else:
            return redirect("web:disposal", pk=batch.pk)
    batch.refresh_from_db()
    # the page again, what was typed kept in the form it was typed in
    is_stop = action == "dung"
    same_step = NEXT_STEP.get(batch.state, ("",))[0] == action
    return _detail(
        request,
        batch,
        step_form=form if same_step else None,
        stop_form=form if is_stop else None,
    )
