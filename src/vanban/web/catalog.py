"""Pages of the yearly list of dossiers (danh mục hồ sơ), for the agency's administrator
and clerk: the list of a year with a year selector, a new entry, an entry edited (the code
is the service's), a spreadsheet imported (all rows or none: each bad row's error shown as
the service says it) and last year's list copied. Thin: the rules are
:mod:`vanban.records`'s; a refusal is shown on the page, the form keeping what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from vanban import records
from vanban.errors import DomainError
from vanban.records.errors import DossierRefused
from vanban.records.states import DossierState
from vanban.web.dossier_forms import EditEntryForm, EntryForm, ImportForm, year_of
from vanban.web.outgoing import _person


def _agency(request: HttpRequest):
    """The person's agency (the access table lets in only accounts bound to one)."""
    return _person(request).agency


_year = year_of


def _back(year: int) -> HttpResponse:
    return redirect(reverse("web:dossier_catalog") + f"?nam={year}")


def _page(request: HttpRequest, year: int, *, entry=None, upload=None, import_errors=()) -> HttpResponse:
    agency = _agency(request)
    page = records.dossier_page(request.user, year)
    return render(
        request,
        "web/dossier_catalog.html",
        {
            "year": year,
            "years": (year - 1, year + 1),
            "dossiers": page.dossiers,
            "entry_form": entry or EntryForm(agency=agency),
            "import_form": upload or ImportForm(),
            "import_errors": import_errors,
            "headers": records.HEADERS,
            "is_open": DossierState.OPEN,
        },
    )


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    return _page(request, _year(request.GET.get("nam", "")))


@login_required
def catalog_add(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("nam", ""))
    agency = _agency(request)
    form = EntryForm(request.POST, agency=agency)
    if form.is_valid():
        d = form.cleaned_data
        try:
            made = records.add_dossier(
                request.user,
                agency,
                year,
                records.DossierData(
                    title=d["title"],
                    retention_class=d["retention_class"],
                    heading=d["heading"],
                    heading_abbr=d["heading_abbr"],
                    number=d["number"],
                    unit=d["unit"],
                    responsible=d["responsible"],
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã thêm hồ sơ “{made.notation}” vào danh mục hồ sơ năm {year}.")
            return _back(year)
    return _page(request, year, entry=form)


@login_required
def catalog_import(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("nam", ""))
    form = ImportForm(request.POST, request.FILES)
    errors: list = []
    if form.is_valid():
        try:
            made = records.import_list(request.user, _agency(request), year, form.cleaned_data["file"].read())
        except DomainError as exc:
            if isinstance(exc.details, list):
                errors = [e["message"] for e in exc.details if isinstance(e, dict) and "message" in e]
            form.add_error(
                None, "Không nhập được danh mục hồ sơ; không hồ sơ nào được thêm." if errors else exc.message_vi
            )
        else:
            messages.success(request, f"Đã nhập {len(made)} hồ sơ vào danh mục hồ sơ năm {year}.")
            return _back(year)
    return _page(request, year, upload=form, import_errors=errors)


@login_required
def catalog_copy(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("nam", ""))
    try:
        made = records.copy_list(request.user, _agency(request), year)
    except DomainError as exc:
        messages.error(request, exc.message_vi)
    else:
        messages.success(
            request, f"Đã sao danh mục hồ sơ năm {year - 1} sang năm {year}: {made.dossiers.count()} hồ sơ."
        )
    return _back(year)


@login_required
def catalog_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = records.get_dossier(request.user, pk)
    except DossierRefused as exc:
        raise Http404("Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này.") from exc
    initial = {
        "title": dossier.title,
        "unit": dossier.unit,
        "responsible": dossier.responsible,
        "retention_class": dossier.retention_class,
    }
    form = EditEntryForm(request.POST or None, initial=initial, agency=dossier.agency)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        if not changes:
            messages.info(request, f"Hồ sơ “{dossier.notation}” không có thông tin nào thay đổi.")
            return _back(dossier.year)
        try:
            records.edit_dossier(request.user, dossier, **changes)
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã sửa hồ sơ “{dossier.notation}”.")
            return _back(dossier.year)
    return render(
        request,
        "web/dossier_catalog_edit.html",
        {"dossier": dossier, "form": form, "is_open": dossier.state == DossierState.OPEN},
    )
