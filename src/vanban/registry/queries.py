"""Read-side of the registry: who sees which outgoing documents, and the outgoing register."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from vanban.directory.models import Person
from vanban.registry.models import OutgoingDocument
from vanban.registry.states import OutgoingState

CLERK_STATES = [OutgoingState.SIGNED, OutgoingState.NUMBERED, OutgoingState.SEALED, OutgoingState.ISSUED]


def visible_outgoing(person: Person | None) -> QuerySet[OutgoingDocument]:
    """A leader sees every outgoing document of the agency; a clerk those from signing on;
    anyone the documents they draft or sign, and what was issued to their unit."""
    qs = OutgoingDocument.objects.select_related("document_type", "drafter", "signer", "unit", "agency")
    if person is None:
        return qs.none()
    qs = qs.filter(agency_id=person.agency_id)
    if person.has_role("lanh-dao"):
        return qs
    cond = Q(drafter=person) | Q(signer=person)
    if person.has_role("van-thu"):
        cond |= Q(state__in=CLERK_STATES)
    if person.unit_id:
        cond |= Q(state=OutgoingState.ISSUED, recipients__unit_id=person.unit_id)
    return qs.filter(cond).distinct()


def outgoing_register(person: Person, year: int, type_code: str = "", unit_id: int | None = None):
    """Numbered documents of the person's agency for the register page and its exports."""
    qs = (OutgoingDocument.objects
          .filter(agency_id=person.agency_id, year=year, number__isnull=False)
          .select_related("document_type", "signer", "drafter", "unit", "register")
          .prefetch_related("recipients")
          .order_by("register_id", "number"))
    if type_code:
        qs = qs.filter(document_type__code=type_code)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def can_see_register(person: Person | None) -> bool:
    return person is not None and (person.has_role("van-thu") or person.has_role("lanh-dao"))
