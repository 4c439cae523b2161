"""Pages of the directory and the home page. Every view requires a signed-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vanban.directory.models import Agency
from vanban.directory.queries import agency_tree, resolve_agency, search_agencies


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Home is the work: the person's tabs with their counts and the open tab's documents."""
    from vanban.web.worktabs import SORTS, work_list, work_tabs

    person = getattr(request.user, "person", None)
    context: dict = {"person": person}
    if person is not None:
        tabs, work = work_tabs(person)
        query = request.GET.get("q", "").strip()[:200]
        context.update(
            tabs=tabs,
            work=work_list(
                person,
                tabs,
                work,
                request.GET.get("tab", ""),
                query,
                request.GET.get("sap-xep", ""),
                request.GET.get("trang", 1),
            ),
            sorts=[(key, label) for key, (label, _i, _o) in SORTS.items()],
        )
    return render(request, "web/home.html", context)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    context: dict = {"query": query, "total": Agency.objects.count()}
    if query:
        context["results"] = list(search_agencies(query))
    else:
        context["tree"] = agency_tree()
    return render(request, "web/directory.html", context)


@login_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    resolution = resolve_agency(code)
    if resolution is None:
        raise Http404("Không tìm thấy cơ quan có mã định danh này.")
    agency = resolution.requested
    units = agency.units.order_by("name")
    people = agency.people.select_related("unit", "user").prefetch_related("roles")
    children = agency.children.select_related("level").order_by("code")
    return render(
        request,
        "web/agency.html",
        {
            "agency": agency,
            "resolution": resolution,
            "units": units,
            "people": people,
            "children": children,
            "predecessors": agency.predecessors.order_by("code"),
        },
    )


@login_required
def shortcuts_help(request: HttpRequest) -> HttpResponse:
    """The keyboard shortcuts this person may use, by group."""
    from vanban.web.shortcuts import GROUPS, for_user

    mine = for_user(request.user)
    groups = [(g, [s for s in mine if s["group"] == g]) for g in GROUPS]
    return render(request, "web/shortcuts.html", {"groups": [(g, rows) for g, rows in groups if rows]})
