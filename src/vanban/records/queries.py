"""Reading dossiers, limited to what the person may see: the dossiers of their own agency
(an outsider, or someone of another agency, sees none), the list of a year with a search
box and the counts by state, one dossier with its documents, and a document's file through
its dossier (none once the dossier was destroyed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Count, Q

from vanban.records.errors import DisposalRefused, DossierRefused
from vanban.records.models import DisposalBatch, Dossier, FiledDocument
from vanban.records.states import DossierState
from vanban.textsearch import fold

__all__ = [
    "FilingChoices",
    "filing_choices",
    "DossierPage",
    "visible_dossiers",
    "dossier_page",
    "get_dossier",
    "open_document",
    "state_counts",
    "visible_disposals",
    "get_disposal",
]


def _person(user):
    return getattr(user, "person", None) if user is not None and user.is_authenticated else None


def visible_dossiers(user):
    """The dossiers ``user`` may see: their agency's."""
    person = _person(user)
    if person is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(agency_id=person.agency_id)


def state_counts(rows) -> dict[str, int]:
    counts = {s.value: 0 for s in DossierState}
    for row in rows.order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


@dataclass
class DossierPage:
    year: int
    query: str
    dossiers: list[Dossier]
    counts: dict[str, int]


def dossier_page(user, year: int, query: str = "") -> DossierPage:
    """The dossiers of the person's agency for ``year``: those matching ``query`` (code,
    number and notation, words of the title; accents optional) and the counts by state of
    the whole year."""
    rows = visible_dossiers(user).filter(year=year)
    counts = state_counts(rows)
    found = rows.select_related("unit", "responsible", "retention_class").annotate(documents=Count("items"))
    query = query.strip()
    if query:
        words = fold(query).split()
        code_match = Q(code__icontains=query) | Q(notation__icontains=query)
        matching = [d for d in found if all(w in fold(f"{d.title} {d.keyword} {d.heading}") for w in words)]
        ids = {d.pk for d in matching} | set(found.filter(code_match).values_list("pk", flat=True))
        found = found.filter(pk__in=ids)
    return DossierPage(year, query, list(found.order_by("number")), counts)


def get_dossier(user, pk: int) -> Dossier:
    dossier = visible_dossiers(user).select_related("agency", "unit", "responsible", "retention_class").filter(pk=pk)
    found = dossier.first()
    if found is None:
        raise DossierRefused("Không tìm thấy hồ sơ.", "No such dossier.", code="not_found")
    return found


def visible_disposals(user):
    """The destruction batches ``user`` may see: their agency's, the latest first."""
    person = _person(user)
    if person is None:
        return DisposalBatch.objects.none()
    return DisposalBatch.objects.filter(agency_id=person.agency_id).order_by("-created_at", "-pk")


def get_disposal(user, pk: int) -> DisposalBatch:
    found = visible_disposals(user).select_related("agency").filter(pk=pk).first()
    if found is None:
        raise DisposalRefused("Không tìm thấy đợt hủy tài liệu.", "No such destruction batch.", code="not_found")
    return found


def open_document(item: FiledDocument) -> BinaryIO:
    """The file of a filed document, through its dossier: refused once the dossier was
    destroyed (its metadata stays, its files are no longer given)."""
    if item.dossier.state == DossierState.DESTROYED:
        raise DossierRefused(
            f"Hồ sơ “{item.dossier.notation}” đã bị hủy: không còn mở được tệp văn bản.",
            "The dossier was destroyed.",
            code="dossier_destroyed",
        )
    from vanban.records.documents import view_of
    from vanban.records.transfer import open_file

    view = view_of(item.document)
    if not view.file_sha256:
        raise DossierRefused("Văn bản không có tệp.", "No file.", code="no_file")
    return open_file(view.file_sha256)


@dataclass
class FilingChoices:
    """For a document's page: the dossier it is filed in, else the proposed dossiers (with
    their reasons) and the other open dossiers of its year it may go into."""

    current: Dossier | None
    proposals: list
    others: list[Dossier]


def filing_choices(user, document) -> FilingChoices:
    from vanban.records.documents import view_of
    from vanban.records.services import dossier_of, propose_dossiers

    current = dossier_of(document)
    person = _person(user)
    if current is not None or person is None or person.agency_id != document.agency_id:
        return FilingChoices(current, [], [])
    proposals = propose_dossiers(document)
    proposed = {p.dossier.pk for p in proposals}
    year = view_of(document).year
    others = [
        d
        for d in visible_dossiers(user).filter(year=year, state=DossierState.OPEN).order_by("number")
        if d.pk not in proposed
    ]
    return FilingChoices(None, proposals, others)
