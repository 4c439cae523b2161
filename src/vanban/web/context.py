"""What every page's top bar shows besides the menu: the person's unread notifications."""

from __future__ import annotations

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
