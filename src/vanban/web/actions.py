"""One way for pages to dispatch a document's actions (outgoing and incoming alike): a
table from the action's slug in the URL to the service function, how its arguments are
read from the request, and the message shown when it succeeds. The service function
decides everything else (guard, state, audit); its refusal is shown as it says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from vanban.errors import DomainError
from vanban.registry.errors import RegistryError

__all__ = ["Action", "BadInput", "dispatch"]


class BadInput(DomainError):  # noqa: N818 - a form's refusal, shown to the person
    """The request's form is not usable: show the message, change nothing."""

    code = "bad_input"


@dataclass(frozen=True)
class Action:
    run: Callable[..., Any]
    """The service function, called ``run(user, document, *args)``."""
    ok: str
    args: Callable[[HttpRequest, Any], tuple] | None = None
    """Read the arguments from the request (raise :class:`BadInput` to refuse)."""


def dispatch(request: HttpRequest, document, slug: str, table: dict[str, Action], *, back: str) -> HttpResponse:
    action = table.get(slug)
    if action is None:
        raise Http404("Không có thao tác này.")
    try:
        args = action.args(request, document) if action.args else ()
    except BadInput as exc:
        messages.error(request, exc.message_vi)
        return redirect(back, pk=document.pk)
    try:
        action.run(request.user, document, *args)
    except RegistryError as exc:
        messages.error(request, exc.message_vi)
    else:
        messages.success(request, action.ok)
    return redirect(back, pk=document.pk)
