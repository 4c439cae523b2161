"""``user|manages_agency``: whether the top menu shows the agency administrator's pages."""

from __future__ import annotations

from django import template

from vanban.directory.services import AGENCY_ADMIN, PROVINCE_ADMIN

register = template.Library()


@register.filter
def manages_agency(user) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and (person.has_role(AGENCY_ADMIN) or person.has_role(PROVINCE_ADMIN))
