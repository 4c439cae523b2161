"""The yearly list of dossiers (danh mục hồ sơ, NĐ 30/2020 Điều 28): made by the agency's
administrator or clerk, entry by entry, copied from last year or imported from a
spreadsheet (:mod:`.importer`); and the edits of a dossier while it is open."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from vanban.audit import AuditAction, record
from vanban.directory.models import Agency, Person, Unit
from vanban.records.codes import maintenance_code
from vanban.records.errors import DossierRefused
from vanban.records.flow import DOSSIER_FLOW
from vanban.records.models import Dossier, DossierList, RetentionClass
from vanban.records.services._common import code_of, list_for, notation_of, person_of, refuse_if_frozen, require_role
from vanban.records.states import DossierKind
from vanban.registry.flow import history, perform

__all__ = [
    "LIST_ROLES",
    "DossierData",
    "create_list",
    "add_dossier",
    "edit_dossier",
    "copy_list",
    "retention_classes",
]

LIST_ROLES = ("quan-tri-co-quan", "van-thu")
EDITABLE = (
    "title",
    "heading",
    "unit",
    "responsible",
    "retention_class",
    "mode",
    "language",
    "keyword",
    "description",
    "document_types",
    "start_date",
    "end_date",
)


@dataclass
class DossierData:
    """An entry of the list (or a work dossier): what the person gives."""

    title: str
    retention_class: RetentionClass
    heading: str = ""
    heading_abbr: str = ""
    number: int | None = None  # None: the next in the list
    unit: Unit | None = None
    responsible: Person | None = None
    mode: str = "01"
    language: str = "01"
    keyword: str = ""
    description: str = ""
    document_types: str = ""


def retention_classes(agency: Agency):
    """The retention classes an agency's dossier may belong to: the common ones and its own."""
    from django.db.models import Q

    return RetentionClass.objects.filter(Q(agency=None) | Q(agency=agency)).order_by("years", "name")


def create_list(user, agency: Agency, year: int) -> DossierList:
    """The (empty) list of ``year``; the existing one if there is one."""
    require_role(user, agency, LIST_ROLES, "lập danh mục hồ sơ")
    with transaction.atomic():
        existing = list_for(agency, year)
        if existing is not None:
            return existing
        made = DossierList.objects.create(agency=agency, year=year)
        record(user, AuditAction.RECORDS_LIST_CREATED, made, after={"year": year})
    return made


def _check_data(agency: Agency, data: DossierData) -> None:
    if not data.title.strip():
        raise DossierRefused("Hồ sơ phải có tiêu đề.", "A dossier needs a title.", code="title_required")
    if data.retention_class.agency_id not in (None, agency.pk):
        raise DossierRefused(
            "Thời hạn lưu trữ này là của cơ quan khác.", "That retention class is another agency's.", code="bad_class"
        )
    if data.unit is not None and data.unit.agency_id != agency.pk:
        raise DossierRefused(
            f"Đơn vị “{data.unit.name}” không thuộc cơ quan.", "The unit is another agency's.", code="bad_unit"
        )
    if data.responsible is not None and data.responsible.agency_id != agency.pk:
        raise DossierRefused(
            f"“{data.responsible.full_name}” không thuộc cơ quan.", "The person is another agency's.", code="bad_person"
        )


def new_dossier(user, dossier_list: DossierList, data: DossierData, kind: str = DossierKind.LISTED) -> Dossier:
    """Write one dossier into the (locked) list, with its first history row and audit
    event. Inside the caller's transaction."""
    agency = dossier_list.agency
    _check_data(agency, data)
    number = data.number or dossier_list.last_number + 1
    if Dossier.objects.filter(dossier_list=dossier_list, number=number).exists():
        raise DossierRefused(
            f"Số {number:02d} đã có trong danh mục hồ sơ năm {dossier_list.year}.",
            f"Number {number} is already in the {dossier_list.year} list.",
            code="number_taken",
        )
    notation = notation_of(number, data.heading_abbr.strip().upper())
    klass = data.retention_class
    dossier = Dossier.objects.create(
        agency=agency,
        dossier_list=dossier_list,
        year=dossier_list.year,
        kind=kind,
        heading=data.heading.strip(),
        heading_abbr=data.heading_abbr.strip().upper(),
        number=number,
        notation=notation,
        code=code_of(agency, dossier_list.year, notation),
        title=data.title.strip(),
        unit=data.unit,
        responsible=data.responsible,
        retention_class=klass,
        retention_years=klass.years,
        maintenance=maintenance_code(klass.years),
        mode=data.mode,
        language=data.language,
        keyword=data.keyword,
        description=data.description,
        document_types=data.document_types,
    )
    if number > dossier_list.last_number:
        dossier_list.last_number = number
        dossier_list.save(update_fields=["last_number", "updated_at"])
    history(DOSSIER_FLOW, dossier, "create", "", actor=user)
    record(user, AuditAction.DOSSIER_CREATED, dossier, after={"code": dossier.code, "title": dossier.title})
    return dossier


def locked_list(agency: Agency, year: int) -> DossierList:
    made, _ = DossierList.objects.get_or_create(agency=agency, year=year)
    return DossierList.objects.select_for_update().select_related("agency").get(pk=made.pk)


def add_dossier(user, agency: Agency, year: int, data: DossierData) -> Dossier:
    """One entry of the list of ``year`` (the list is made when it is the first)."""
    require_role(user, agency, LIST_ROLES, "sửa danh mục hồ sơ")
    with transaction.atomic():
        return new_dossier(user, locked_list(agency, year), data)


def edit_dossier(user, dossier: Dossier, **changes) -> Dossier:
    """Change the metadata of an open dossier (``EDITABLE`` fields; a new retention class
    brings its period and code). A closed dossier is frozen: :class:`DossierFrozen`."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DossierRefused(
            f"Không sửa được trường {', '.join(sorted(unknown))}.", "Not editable.", code="not_editable"
        )
    refuse_if_frozen(dossier, "sửa thông tin")
    person_of(user)

    def change(locked: Dossier, _prepared) -> dict:
        refuse_if_frozen(locked, "sửa thông tin")
        data = DossierData(
            title=changes.get("title", locked.title),
            retention_class=changes.get("retention_class", locked.retention_class),
            unit=changes.get("unit", locked.unit),
            responsible=changes.get("responsible", locked.responsible),
        )
        _check_data(locked.agency, data)
        before = {k: _plain(getattr(locked, k)) for k in changes}
        for name, value in changes.items():
            setattr(locked, name, value)
        if "retention_class" in changes:
            locked.retention_years = locked.retention_class.years
            locked.maintenance = maintenance_code(locked.retention_years)
        return {"before": before, "changed": {k: _plain(v) for k, v in changes.items()}}

    return perform(DOSSIER_FLOW, dossier, "edit", actor=user, audit_action=AuditAction.DOSSIER_UPDATED, change=change)


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def copy_list(user, agency: Agency, year: int) -> DossierList:
    """The list of ``year`` made from last year's entries (work dossiers are not copied):
    same numbers, headings, titles, units, people and retention classes. Refused when the
    list of ``year`` already has dossiers or there is no list for the year before."""
    require_role(user, agency, LIST_ROLES, "lập danh mục hồ sơ")
    with transaction.atomic():
        previous = list_for(agency, year - 1)
        if previous is None or not previous.dossiers.filter(kind=DossierKind.LISTED).exists():
            raise DossierRefused(
                f"Chưa có danh mục hồ sơ năm {year - 1} để sao.",
                f"There is no {year - 1} list to copy.",
                code="nothing_to_copy",
            )
        target = locked_list(agency, year)
        if target.dossiers.exists():
            raise DossierRefused(
                f"Danh mục hồ sơ năm {year} đã có hồ sơ: không sao đè lên được.",
                f"The {year} list is not empty.",
                code="list_not_empty",
            )
        rows = previous.dossiers.filter(kind=DossierKind.LISTED).select_related(
            "retention_class", "unit", "responsible"
        )
        count = 0
        for old in rows.order_by("number"):
            new_dossier(
                user,
                target,
                DossierData(
                    title=old.title,
                    retention_class=old.retention_class,
                    heading=old.heading,
                    heading_abbr=old.heading_abbr,
                    number=old.number,
                    unit=old.unit if old.unit is None or old.unit.active else None,
                    responsible=old.responsible,
                    mode=old.mode,
                    language=old.language,
                    keyword=old.keyword,
                    description="",
                    document_types=old.document_types,
                ),
            )
            count += 1
        record(user, AuditAction.RECORDS_LIST_COPIED, target, after={"from_year": year - 1, "dossiers": count})
    return target
