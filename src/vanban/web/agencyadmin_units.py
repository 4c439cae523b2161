"""The agency administrator's page of the agency's units (đơn vị): the list, a unit added
(name and the suffix used in notations), renamed or given another suffix, put out of use
and back. Thin: :func:`vanban.directory.services.create_unit` / ``update_unit`` decide; a
refusal is shown on the page, the form keeping what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from vanban.directory import services
from vanban.directory.models import Unit
from vanban.errors import DomainError
from vanban.web.agencyadmin_forms import UnitForm, agency_query, managed_agency, require_managed


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(request.user, agency, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã thêm đơn vị “{unit.name}”.")
            return redirect(reverse("web:agency_units") + agency_query(request, agency))
    units = Unit.objects.filter(agency=agency).order_by("-active", "name")
    return render(
        request,
        "web/agencyadmin_units.html",
        {"agency": agency, "units": units, "form": form, "query": agency_query(request, agency)},
    )


ACTIONS = {"ngung": (False, "Đã ngừng dùng đơn vị “{}”."), "dung-lai": (True, "Đã dùng lại đơn vị “{}”.")}


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("agency"), pk=pk)
    require_managed(request, unit.agency)
    back = reverse("web:agency_units") + agency_query(request, unit.agency)
    form = UnitForm(request.POST or None, initial={"name": unit.name, "suffix": unit.suffix})
    if request.method == "POST":
        action = request.POST.get("hanh-dong", "")
        if action in ACTIONS:
            active, done = ACTIONS[action]
            try:
                services.update_unit(request.user, unit, active=active)
            except DomainError as exc:
                messages.error(request, exc.message_vi)
                return redirect("web:agency_unit", pk=unit.pk)
            messages.success(request, done.format(unit.name))
            return redirect(back)
        if form.is_valid():
            try:
                unit = services.update_unit(request.user, unit, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message_vi)
            else:
                messages.success(request, f"Đã lưu đơn vị “{unit.name}”.")
                return redirect(back)
    return render(request, "web/agencyadmin_unit.html", {"unit": unit, "form": form, "back": back})
