"""The clerk's page of held and cancelled numbers (giữ số, hủy số) of the agency's outgoing
registers this year: hold some numbers with the reason, cancel a held one with the reason.
Thin: who may, how many and what may be cancelled are :mod:`vanban.registry.services`'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from vanban.registry import services
from vanban.registry.errors import RegistryError
from vanban.registry.models import Register, RegisterEntry
from vanban.web.outgoing import _person


def _registers(person):
    return Register.objects.filter(agency=person.agency, kind=Register.KIND_OUTGOING, active=True).order_by("name")


@login_required
def number_reservations(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    registers = list(_registers(person))
    year = timezone.localdate().year
    typed = {"register": request.POST.get("register", ""), "count": request.POST.get("count", "1"), "note": ""}
    if request.method == "POST":
        typed["note"] = request.POST.get("note", "")
        register = next((r for r in registers if str(r.pk) == typed["register"]), None)
        try:
            count = int(typed["count"])
        except ValueError:
            count = 0
        if register is None:
            messages.error(request, "Hãy chọn sổ văn bản đi.")
        else:
            try:
                held = services.reserve_numbers(request.user, register, count, typed["note"])
            except RegistryError as exc:
                messages.error(request, exc.message_vi)
            else:
                numbers = ", ".join(f"{e.number:02d}" for e in held)
                messages.success(request, f"Đã giữ số {numbers} trong {register.name}.")
                return redirect("web:number_reservations")
    rows = [(r, list(services.number_entries(r, year))) for r in registers]
    return render(request, "web/number_reservations.html", {"rows": rows, "year": year, "typed": typed})


@login_required
@require_POST
def number_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    entry = get_object_or_404(RegisterEntry, pk=pk, register_year__register__agency=person.agency)
    if entry.register_year.register.kind != Register.KIND_OUTGOING:
        raise Http404("Không có số này.")
    try:
        services.cancel_number(request.user, entry, request.POST.get("reason", ""))
    except RegistryError as exc:
        messages.error(request, exc.message_vi)
    else:
        messages.success(request, f"Đã hủy số {entry.number:02d}.")
    return redirect("web:number_reservations")
