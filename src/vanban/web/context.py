"""What every page's top bar shows besides the fixed menu: the person's unread notifications,
and the links that only some may follow (the hub operator's page, on a process serving the hub)."""

from __future__ import annotations

import json

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict:
    """``unread_notifications``: a lazy count (one query, only if the page shows it)."""
    user = getattr(request, "user", None)
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is None:
        return {}
    from django.utils.functional import SimpleLazyObject

    from vanban.registry import notify

    return {"unread_notifications": SimpleLazyObject(lambda: notify.unread_count(person))}


def menu(request: HttpRequest) -> dict:
    """``hub_operator``: the hub operator's page is served here and the table lets this user
    in; ``reports_link``: the table lets this user read the statistics; ``shortcuts_json``: the
    keyboard shortcuts this user may use, for the page's script (:mod:`vanban.web.shortcuts`)."""
    from django.conf import settings

    from vanban.web.authorize import may_open

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from vanban.web import shortcuts

    return {
        "hub_operator": settings.VANBAN_ROLE in ("hub", "all") and may_open(user, "hub-operator"),
        "reports_link": may_open(user, "web:reports"),
        "shortcuts_json": json.dumps(shortcuts.for_user(user), ensure_ascii=False),
    }
