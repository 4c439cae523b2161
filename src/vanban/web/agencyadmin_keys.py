"""The agency administrator's read-only pages: whose signing keys are registered (the
agency seal and its people: certificate subject and validity) and the agency's delegations
(ủy quyền); a key file (.p12) registered for a person or the seal
(:func:`vanban.registry.services.register_uploaded_key` checks and keeps it), or a person's
remote signing account (:func:`vanban.registry.services.register_remote_account`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from vanban.errors import DomainError
from vanban.registry import services
from vanban.registry.queries import agency_delegations, agency_keys
from vanban.web.agencyadmin_forms import KeyUploadForm, RemoteAccountForm, agency_query, managed_agency


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    query = agency_query(request, agency)
    remote_post = request.method == "POST" and "tu-xa-person" in request.POST
    remote = RemoteAccountForm(request.POST if remote_post else None, agency=agency)
    form = KeyUploadForm(request.POST if not remote_post else None, request.FILES or None, agency=agency)
    if remote_post and remote.is_valid():
        person = remote.chosen_person()
        d = remote.cleaned_data
        try:
            services.register_remote_account(request.user, person, d["service_url"], d["key_id"], d["token"])
        except DomainError as exc:
            remote.add_error(None, exc.message_vi)
        else:
            messages.success(request, f"Đã đăng ký tài khoản ký số từ xa của {person.full_name}.")
            return redirect(reverse("web:agency_keys") + query)
    if request.method == "POST" and not remote_post and form.is_valid():
        owner = form.chosen_owner()
        image = form.cleaned_data["image"]
        try:
            services.register_uploaded_key(
                request.user,
                owner,
                form.cleaned_data["key_file"].read(),
                form.cleaned_data["password"],
                image.read() if image else None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message_vi)
        else:
            whose = owner.full_name if hasattr(owner, "full_name") else f"{agency.name} (con dấu)"
            messages.success(request, f"Đã đăng ký khóa ký số của {whose}.")
            return redirect(reverse("web:agency_keys") + query)
    return render(
        request,
        "web/agencyadmin_keys.html",
        {"agency": agency, "rows": agency_keys(agency), "form": form, "remote_form": remote, "query": query},
    )


@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    return render(
        request,
        "web/agencyadmin_delegations.html",
        {
            "agency": agency,
            "delegations": agency_delegations(agency),
            "today": timezone.localdate(),
            "query": agency_query(request, agency),
        },
    )
