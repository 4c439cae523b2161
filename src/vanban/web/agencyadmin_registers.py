"""The agency administrator's page of the agency's registers (sổ văn bản): each with its
kind, secrecy, the document types it numbers and this year's last number; a register
added; one put out of use or back. Thin: :mod:`vanban.registry.services.registers`
decides; a refusal is shown on the page, the form keeping what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from vanban.errors import DomainError
from vanban.registry import services
from vanban.registry.models import Register
from vanban.web.agencyadmin_forms import RegisterForm, agency_query, managed_agency, require_managed


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    form = RegisterForm(request.POST or None)
    query = agency_query(request, agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            register = services.create_register(
                request.user,
                agency,
                name=d["name"],
                kind=d["kind"],
                secret=d["secret"],
                document_types=list(d["document_types"]),
            )
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã thêm sổ “{register.name}”.")
            return redirect(reverse("web:agency_registers") + query)
    year = timezone.localdate().year
    return render(
        request,
        "web/agencyadmin_registers.html",
        {"agency": agency, "rows": services.agency_registers(agency, year), "year": year, "form": form, "query": query},
    )


ACTIONS = {"ngung": (False, "Đã ngừng dùng sổ “{}”."), "dung-lai": (True, "Đã dùng lại sổ “{}”.")}


@login_required
@require_POST
def register_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    register = get_object_or_404(Register.objects.select_related("agency"), pk=pk)
    require_managed(request, register.agency)
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    active, done = ACTIONS[action]
    try:
        services.update_register(request.user, register, active=active)
    except DomainError as exc:
        messages.error(request, exc.message_vi)
    else:
        messages.success(request, done.format(register.name))
    return redirect(reverse("web:agency_registers") + agency_query(request, register.agency))
