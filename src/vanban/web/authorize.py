"""The gate in front of every view: the URL's rule from :mod:`vanban.web.access`, applied
before the view runs (fail closed). A URL without a rule is refused with 403; a rule needing
a signed-in account sends a visitor to the login page (a staff-only one, anyone who is
not staff to the admin's login); a person without the rule's role, or
an account bound to no agency, gets the page "not found" (as for an object they may not see);
then a method the rule does not list is 405. Pages answer in Vietnamese, the APIs in JSON with a
machine code. What a person may do with an object stays with the apps' services."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from vanban.web.access import ANYONE, HUB_AGENCY, PERSON, SIGNED_IN, STAFF, VDXP_SYSTEM, Rule, rule_for

__all__ = ["AuthorizeByTable", "is_api", "may_open"]

NO_RULE = "Trang này chưa được khai báo quyền truy cập nên không mở được."
NO_AGENCY = "Tài khoản chưa gắn với cơ quan nào."
STAFF_LOGIN = "admin:login"
NOT_FOUND = "Không tìm thấy trang này."
WRONG_METHOD = "Trang này không nhận yêu cầu như vậy."


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for one of the APIs (answered in JSON, never a page)."""
    vdxp = "/" + (getattr(settings, "VANBAN_VDXP_PREFIX", "") or "/vdxp/").strip("/") + "/"
    return request.path.startswith(("/api/", "/hub/v1/", vdxp))


def _refuse(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"code": code, "message_vi": message}, status=status)
    return render(request, "web/refused.html", {"message": message, "status": status}, status=status)


class AuthorizeByTable:
    """Middleware: every resolved URL is let through only as its rule in the table says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        rule = rule_for(match.view_name) if match is not None else None
        if rule is None:
            return _refuse(request, 403, "no_access_rule", NO_RULE)
        refused = self._check(request, rule)
        if refused is None and rule.methods is not None and request.method not in rule.methods:
            refused = _refuse(request, 405, "method_not_allowed", WRONG_METHOD)
            refused["Allow"] = ", ".join(sorted(rule.methods))
        return refused

    def _check(self, request: HttpRequest, rule: Rule) -> HttpResponse | None:
        denial = _denial(request.user, rule)
        if denial is None:
            return None
        if denial == "staff_login":
            return redirect_to_login(request.get_full_path(), STAFF_LOGIN)
        if denial == "login":
            return redirect_to_login(request.get_full_path())
        if denial == "no_agency":
            return _refuse(request, 404, "no_agency", NO_AGENCY)
        if denial == "not_found":
            return _refuse(request, 404, "not_found", rule.denied or NOT_FOUND)
        return _refuse(request, 403, "no_access_rule", NO_RULE)


def _denial(user, rule: Rule) -> str | None:
    """Why ``rule`` keeps ``user`` out (``None``: it lets them in)."""
    if rule.who in (ANYONE, HUB_AGENCY, VDXP_SYSTEM):
        return None  # the two APIs authenticate their callers themselves
    if rule.who == STAFF:  # as Django admin does: anyone else signs in as staff first
        return None if user.is_active and user.is_staff else "staff_login"
    if not user.is_authenticated:
        return "login"
    if rule.who == SIGNED_IN:
        return None
    if rule.who == PERSON:
        person = getattr(user, "person", None)
        if person is None:
            return "no_agency"
        if rule.roles and not any(person.has_role(code) for code in rule.roles):
            return "not_found"
        return None
    return "no_rule"  # a "who" this gate does not know


def may_open(user, view_name: str) -> bool:
    """Whether the table lets ``user`` reach the URL named ``view_name`` (for the menu: a
    link is shown only to those it would let in)."""
    rule = rule_for(view_name)
    return rule is not None and _denial(user, rule) is None
