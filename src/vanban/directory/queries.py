"""Read-side of the directory: the agency tree, search, lookups that follow successors, and
the heads of a unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from vanban.directory.models import Agency, Person
from vanban.textsearch import fold_query_terms

__all__ = [
    "UNIT_HEAD",
    "AgencyNode",
    "Resolution",
    "agency_tree",
    "search_agencies",
    "resolve_agency",
    "unit_heads",
    "is_unit_head",
]

UNIT_HEAD = "truong-don-vi"
"""The role of a unit's head (trưởng đơn vị): held by a person, it makes them the head of their
own unit (a unit may have several, the head and deputies); given like any role
(:func:`vanban.directory.services.set_roles`)."""

MAX_SUCCESSION_HOPS = 20


@dataclass
class AgencyNode:
    agency: Agency
    children: list[AgencyNode] = field(default_factory=list)


def agency_tree(include_closed: bool = True) -> list[AgencyNode]:
    """All agencies as a forest: roots are agencies without a parent, by level then code."""
    qs = Agency.objects.select_related("level", "successor")
    if not include_closed:
        qs = qs.filter(active=True)
    nodes = {a.pk: AgencyNode(a) for a in qs.order_by("level__rank", "code")}
    roots: list[AgencyNode] = []
    for node in nodes.values():
        parent = nodes.get(node.agency.parent_id) if node.agency.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def search_agencies(query: str, limit: int = 200) -> QuerySet[Agency]:
    """Agencies whose code, name or short name contain every word of ``query``,
    ignoring case and Vietnamese diacritics ("so noi vu" finds "Sở Nội vụ")."""
    qs = Agency.objects.select_related("level", "parent", "successor")
    for term in fold_query_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.order_by("level__rank", "code")[:limit]


@dataclass(frozen=True)
class Resolution:
    """What a code leads to: the agency asked for and the one now acting for it."""

    requested: Agency
    current: Agency
    chain: tuple[Agency, ...]

    @property
    def redirected(self) -> bool:
        return self.current.pk != self.requested.pk


def resolve_agency(code: str) -> Resolution | None:
    """The agency with ``code``, following successors of closed agencies to the one that
    acts today (None when the code is unknown)."""
    agency = Agency.objects.select_related("level", "successor").filter(code=code.strip()).first()
    if agency is None:
        return None
    chain = [agency]
    current = agency
    seen = {agency.pk}
    while current.successor_id and len(chain) <= MAX_SUCCESSION_HOPS:
        nxt = Agency.objects.select_related("level", "successor").get(pk=current.successor_id)
        if nxt.pk in seen:
            break
        seen.add(nxt.pk)
        chain.append(nxt)
        current = nxt
    return Resolution(agency, current, tuple(chain))


def unit_heads(unit_id: int | None) -> QuerySet[Person]:
    """The active people heading the unit (the role :data:`UNIT_HEAD` in that unit)."""
    if unit_id is None:
        return Person.objects.none()
    return Person.objects.filter(unit_id=unit_id, roles__code=UNIT_HEAD, user__is_active=True).distinct()


def is_unit_head(person: Person | None, unit_id: int | None) -> bool:
    """Whether ``person`` heads the unit ``unit_id``."""
    return person is not None and unit_id is not None and person.unit_id == unit_id and person.has_role(UNIT_HEAD)
