"""Filing (lập hồ sơ, NĐ 30/2020 Điều 29): a document into one dossier, the dossiers the
system proposes for a document (and why), work dossiers opened while a matter is handled,
closing (the dossier is then frozen) and annotations, the one change a closed dossier takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from vanban.audit import AuditAction
from vanban.records.documents import view_of
from vanban.records.errors import DossierRefused, FilingRefused
from vanban.records.flow import DOSSIER_FLOW
from vanban.records.models import Dossier, DossierNote, FiledDocument, RetentionClass
from vanban.records.services._common import person_of, refuse_if_frozen
from vanban.records.services.lists import DossierData, locked_list, new_dossier
from vanban.records.states import DossierKind, DossierState
from vanban.registry.flow import perform
from vanban.textsearch import fold

__all__ = [
    "Proposal",
    "file_document",
    "dossier_of",
    "propose_dossiers",
    "open_work_dossier",
    "close_dossier",
    "annotate",
]

# words too common in trích yếu to say anything about the matter (folded)
STOPWORDS = frozenset(
    "v/v ve viec cua va cac cho nam ngay so thang trong theo tai den tu voi nhung mot duoc la co ban "
    "thuc hien ke hoach bao cao cong van de nghi gui".split()
)


def _words(text: str) -> dict[str, str]:
    """The meaningful words of ``text``: folded form -> the word as written (first seen)."""
    out: dict[str, str] = {}
    for word in text.replace("/", " ").replace(",", " ").replace(".", " ").split():
        folded = fold(word)
        if len(folded) > 1 and folded not in STOPWORDS:
            out.setdefault(folded, word.lower())
    return out


def dossier_of(document) -> Dossier | None:
    """The dossier ``document`` is filed in, or None."""
    view = view_of(document)
    field = "outgoing" if view.kind == "di" else "incoming"
    item = FiledDocument.objects.filter(**{field: document}).select_related("dossier").first()
    return item.dossier if item else None


def file_document(user, dossier: Dossier, document) -> FiledDocument:
    """File ``document`` (outgoing or incoming) into the open ``dossier`` of the same agency,
    as its next document; a document is in one dossier only."""
    refuse_if_frozen(dossier, "đưa thêm văn bản")
    view = view_of(document)
    if view.agency_id != dossier.agency_id:
        raise FilingRefused(
            "Văn bản này không phải của cơ quan có hồ sơ.", "The document is another agency's.", code="other_agency"
        )
    already = dossier_of(document)
    if already is not None:
        raise FilingRefused(
            f"Văn bản đã được lập vào hồ sơ “{already.notation} – {already.title}”; mỗi văn bản chỉ thuộc một hồ sơ.",
            "The document is already filed.",
            code="already_filed",
            details={"dossier": already.code},
        )
    made: list[FiledDocument] = []

    def change(locked: Dossier, _prepared) -> dict:
        refuse_if_frozen(locked, "đưa thêm văn bản")
        last = FiledDocument.objects.filter(dossier=locked).aggregate(m=Max("ordinal"))["m"] or 0
        link = {"outgoing" if view.kind == "di" else "incoming": document}
        try:
            with transaction.atomic():
                item = FiledDocument.objects.create(dossier=locked, ordinal=last + 1, filed_by=person_of(user), **link)
        except IntegrityError as exc:  # filed elsewhere at the same moment
            raise FilingRefused(
                "Văn bản vừa được lập vào một hồ sơ khác.", "Filed elsewhere meanwhile.", code="already_filed"
            ) from exc
        if locked.start_date is None or view.date < locked.start_date:
            locked.start_date = view.date
        made.append(item)
        return {"document": f"{view.kind}:{document.pk}", "ordinal": item.ordinal, "label": view.label}

    perform(DOSSIER_FLOW, dossier, "file", actor=user, audit_action=AuditAction.DOSSIER_FILED, change=change)
    return made[0]


@dataclass(frozen=True)
class Proposal:
    """A dossier proposed for a document, its score and why, in Vietnamese."""

    dossier: Dossier
    score: int
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def propose_dossiers(document, *, limit: int = 3) -> list[Proposal]:
    """The open dossiers of the document's agency and year that fit it best: the type of
    document the dossier usually takes (3 points), the same unit (2), each word of the
    subject found in the dossier's title or keywords (1). Only dossiers scoring above zero,
    best first."""
    view = view_of(document)
    candidates = Dossier.objects.filter(
        agency_id=view.agency_id, year=view.year, state=DossierState.OPEN
    ).select_related("unit")
    subject = _words(view.subject)
    out = []
    for dossier in candidates:
        score, reasons = 0, []
        types = {t.strip() for t in dossier.document_types.split(",") if t.strip()}
        if view.type_code and view.type_code in types:
            score += 3
            reasons.append(f"hồ sơ thường gồm văn bản loại “{view.type_name}”")
        if view.unit_id and dossier.unit is not None and view.unit_id == dossier.unit_id:
            score += 2
            reasons.append(f"cùng đơn vị “{dossier.unit.name}”")
        common = [word for folded, word in subject.items() if folded in _words(f"{dossier.title} {dossier.keyword}")]
        if common:
            score += len(common)
            reasons.append("trích yếu trùng từ với tiêu đề hồ sơ: " + ", ".join(f"“{w}”" for w in common))
        if score:
            out.append(Proposal(dossier, score, tuple(reasons)))
    out.sort(key=lambda p: (-p.score, p.dossier.number))
    return out[:limit]


def open_work_dossier(
    user,
    *,
    title: str,
    retention_class: RetentionClass,
    heading_abbr: str = "",
    year: int | None = None,
    document=None,
) -> Dossier:
    """A work dossier (hồ sơ công việc) not in the list, opened by the person handling the
    matter (NĐ 30/2020 Điều 29.2): title, number and notation, retention, the person and the
    start date; with ``document`` filed into it at once."""
    person = person_of(user)
    day = timezone.localdate()
    with transaction.atomic():
        dossier_list = locked_list(person.agency, year or day.year)
        dossier = new_dossier(
            user,
            dossier_list,
            DossierData(
                title=title,
                retention_class=retention_class,
                heading_abbr=heading_abbr,
                unit=person.unit,
                responsible=person,
            ),
            kind=DossierKind.WORK,
        )
        dossier.start_date = day
        dossier.save(update_fields=["start_date", "updated_at"])
    if document is not None:
        file_document(user, dossier, document)
        dossier.refresh_from_db()
    return dossier


def _document_dates(dossier: Dossier) -> list[dt.date]:
    return [view_of(i.document).date for i in dossier.items.select_related("outgoing", "incoming")]


def close_dossier(user, dossier: Dossier, *, title: str = "", retention_class: RetentionClass | None = None) -> Dossier:
    """Close the dossier when the work ends (NĐ 30/2020 Điều 29.4): the title and the
    retention may be set again; the end date is the last document's. From then on it is
    frozen. A dossier with no document is not closed."""
    refuse_if_frozen(dossier, "đóng lại")

    def change(locked: Dossier, _prepared) -> dict:
        dates = _document_dates(locked)
        if not dates:
            raise DossierRefused(
                f"Hồ sơ “{locked.notation}” chưa có văn bản nào: không đóng được.",
                "An empty dossier cannot be closed.",
                code="empty_dossier",
            )
        if title.strip():
            locked.title = title.strip()
        if retention_class is not None:
            from vanban.records.codes import maintenance_code

            locked.retention_class = retention_class
            locked.retention_years = retention_class.years
            locked.maintenance = maintenance_code(retention_class.years)
        locked.start_date = min([*dates, *([locked.start_date] if locked.start_date else [])])
        locked.end_date = max(dates)
        locked.closed_at = timezone.now()
        return {"documents": len(dates), "end_date": locked.end_date.isoformat(), "retention": locked.maintenance}

    return perform(DOSSIER_FLOW, dossier, "close", actor=user, audit_action=AuditAction.DOSSIER_CLOSED, change=change)


def annotate(user, dossier: Dossier, text: str) -> DossierNote:
    """An annotation (ghi chú): taken in any state, the dossier itself unchanged."""
    if not text.strip():
        raise DossierRefused("Ghi chú không được để trống.", "The note is empty.", code="note_required")
    made: list[DossierNote] = []

    def change(locked: Dossier, _prepared) -> dict:
        made.append(DossierNote.objects.create(dossier=locked, author=person_of(user), text=text.strip()))
        return {"note": text.strip()[:500]}

    perform(DOSSIER_FLOW, dossier, "annotate", actor=user, audit_action=AuditAction.DOSSIER_ANNOTATED, change=change)
    return made[0]
