"""The agency administrator's pages of the agency's people (người dùng): the list (name,
unit, position, roles, e-mail, whether the account is open), a person added with an
initial password, a person's unit, position, e-mail and roles changed, the account closed
(sign-in refused) or opened again, a new password given. Thin: the rules (who may, an
administrator keeping their own role and account) are :mod:`vanban.directory.services`'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vanban.directory import services
from vanban.directory.models import Person
from vanban.errors import DomainError
from vanban.web.agencyadmin_forms import NewPersonForm, PersonForm, agency_query, managed_agency, require_managed


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    people = (
        Person.objects.filter(agency=agency)
        .select_related("user", "unit")
        .prefetch_related("roles")
        .order_by("-user__is_active", "full_name")
    )
    return render(
        request,
        "web/agencyadmin_people.html",
        {"agency": agency, "people": people, "query": agency_query(request, agency)},
    )


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    form = NewPersonForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            person = services.create_person(
                request.user,
                username=d["username"].strip(),
                password=d["password"],
                full_name=d["full_name"],
                agency=agency,
                unit=d["unit"],
                position=d["position"],
                roles=[r.code for r in d["roles"]],
                email=d["email"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã thêm người dùng {person.full_name} ({person.user.username}).")
            return redirect(reverse("web:agency_people") + agency_query(request, agency))
    return render(
        request,
        "web/agencyadmin_person.html",
        {
            "agency": agency,
            "form": form,
            "person": None,
            "back": reverse("web:agency_people") + agency_query(request, agency),
        },
    )


def _managed_person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("user", "agency", "unit"), pk=pk)
    require_managed(request, person.agency)
    return person


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    initial = {
        "full_name": person.full_name,
        "unit": person.unit_id,
        "position": person.position,
        "email": person.user.email,
        "roles": [r.code for r in person.roles.all()],
    }
    form = PersonForm(request.POST or None, agency=person.agency, initial=initial)
    back = reverse("web:agency_people") + agency_query(request, person.agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_person(
                request.user,
                person,
                full_name=d["full_name"],
                unit=d["unit"],
                position=d["position"],
                email=d["email"],
                roles=[r.code for r in d["roles"]],
            )
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã lưu người dùng {d['full_name']}.")
            return redirect(back)
    return render(
        request, "web/agencyadmin_person.html", {"agency": person.agency, "form": form, "person": person, "back": back}
    )


ACTIONS = {
    "khoa": "Đã khóa tài khoản của {}.",
    "mo-khoa": "Đã mở lại tài khoản của {}.",
    "dat-mat-khau": "Đã đặt mật khẩu mới cho {}.",
}


@login_required
@require_POST
def person_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    person = _managed_person(request, pk)
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    try:
        if action == "dat-mat-khau":
            services.set_password(request.user, person, request.POST.get("password", ""))
        else:
            services.set_active(request.user, person, action == "mo-khoa")
    except DomainError as exc:
        messages.error(request, exc.message_vi)
    else:
        messages.success(request, ACTIONS[action].format(person.full_name))
    return redirect("web:agency_person", pk=person.pk)
