"""The agency administrator's read-only pages: whose signing keys are registered (the
agency seal and its people: certificate subject and validity) and the agency's delegations
(ủy quyền). Registering a key stays with the operator (``vanban`` CLI, Django admin)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vanban.registry.queries import agency_delegations, agency_keys
from vanban.web.agencyadmin_forms import agency_query, managed_agency


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    agency = managed_agency(request)
    return render(
        request,
        "web/agencyadmin_keys.html",
        {"agency": agency, "rows": agency_keys(agency), "query": agency_query(request, agency)},
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
