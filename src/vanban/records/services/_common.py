"""What the dossier services share: the acting person, the frozen-dossier refusal, the
dossier code, and the lookup of a list for an agency and year."""

from __future__ import annotations

from vanban.directory.models import Agency
from vanban.records.documents import date_vi
from vanban.records.errors import DossierFrozen, DossierRefused
from vanban.records.models import Dossier, DossierList
from vanban.records.states import DossierState

__all__ = ["person_of", "require_role", "refuse_if_frozen", "notation_of", "code_of", "list_for", "date_vi"]


def person_of(user):
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise DossierRefused(
            "Tài khoản của bạn chưa gắn với cơ quan nào.", "Your account is not bound to an agency.", code="no_person"
        )
    return person


def require_role(user, agency: Agency, roles: tuple[str, ...], what_vi: str):
    """The acting person, when they belong to ``agency`` and hold one of ``roles``."""
    person = person_of(user)
    if person.agency_id != agency.pk or not any(person.has_role(r) for r in roles):
        raise DossierRefused(
            f"Bạn không được {what_vi} của cơ quan này.", f"You may not {what_vi} of this agency.", code="not_allowed"
        )
    return person


def refuse_if_frozen(dossier: Dossier, what_vi: str) -> None:
    """A dossier that is no longer open takes no change but an annotation."""
    if dossier.state == DossierState.OPEN:
        return
    when = f" ngày {date_vi(dossier.closed_at)}" if dossier.closed_at else ""
    state = DossierState(dossier.state).label.lower()
    raise DossierFrozen(
        f"Hồ sơ “{dossier.notation}” {state}{when}: không được {what_vi}; chỉ được thêm ghi chú.",
        f"Dossier {dossier.code} is {dossier.state}: it cannot be changed, only annotated.",
        details={"dossier": dossier.code, "state": dossier.state},
    )


def notation_of(number: int, heading_abbr: str) -> str:
    """Số và ký hiệu hồ sơ: the running number (two digits at least) and the heading's
    abbreviation, ``01.TCCB`` (spec archive.md §1.1)."""
    return f"{number:02d}.{heading_abbr}" if heading_abbr else f"{number:02d}"


def code_of(agency: Agency, year: int, notation: str) -> str:
    """Mã hồ sơ: agency identifier code + year + số và ký hiệu, joined with ``.``."""
    return f"{agency.code}.{year}.{notation}"


def list_for(agency: Agency, year: int) -> DossierList | None:
    return DossierList.objects.filter(agency=agency, year=year).first()
