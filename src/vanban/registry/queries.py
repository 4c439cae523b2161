"""Read-side of the registry: who sees which outgoing documents, and the outgoing register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from vanban.directory.models import Agency, Person
from vanban.registry.models import Delegation, OutgoingDocument, SigningKey
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
    qs = (
        OutgoingDocument.objects.filter(agency_id=person.agency_id, year=year, number__isnull=False)
        .select_related("document_type", "signer", "drafter", "unit", "register")
        .prefetch_related("recipients")
        .order_by("register_id", "number")
    )
    if type_code:
        qs = qs.filter(document_type__code=type_code)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def can_see_register(person: Person | None) -> bool:
    return person is not None and (person.has_role("van-thu") or person.has_role("lanh-dao"))


def visible_incoming(person: Person | None):
    """Clerks and leaders see every incoming document of the agency; others those they,
    or their unit, are assigned to (chủ trì, phối hợp, để biết)."""
    from vanban.registry.models import IncomingDocument

    qs = IncomingDocument.objects.select_related("agency", "urgency", "register")
    if person is None:
        return qs.none()
    qs = qs.filter(agency_id=person.agency_id)
    if person.has_role("lanh-dao") or person.has_role("van-thu") or _deputy_for_assigning(person):
        return qs
    cond = Q(assignments__person=person) | Q(pk__in=_in_chain(person))
    if person.unit_id:
        cond |= Q(assignments__unit_id=person.unit_id)
    return qs.filter(cond).distinct()


def _in_chain(person: Person):
    """The documents whose chain of assignment reached the person (given, forwarded, asked)."""
    from vanban.registry.models import AssignmentStep

    return AssignmentStep.objects.filter(to_person=person).values("document_id")


def refused_secret_packages(person: Person | None, days: int = 90) -> list:
    """Secret documents that arrived electronically and were refused (02 sent, the hub
    told, nothing kept), for the agency's clerks: they ask the sender for the paper copy."""
    from vanban import connector

    if person is None or not person.has_role("van-thu"):
        return []
    return connector.secret_refusals(person.agency_id, days=days)


def _deputy_for_assigning(person: Person) -> bool:
    from vanban.registry.transitions import delegation_for

    return delegation_for(person, "phan-cong") is not None


def my_work(person: Person) -> dict:
    """ "Việc của tôi": what the person must register, assign (a leader: registered documents;
    a unit's head: those given to the unit), process, answer (asked for an opinion), take up
    again (given back to them), or just read."""
    from vanban.directory.queries import is_unit_head, unit_heads
    from vanban.registry.models import Assignment, AssignmentStep, IncomingDocument
    from vanban.registry.states import IncomingState, StepKind, StepState

    base = IncomingDocument.objects.filter(agency_id=person.agency_id).select_related("urgency", "current_step")
    open_states = [IncomingState.ASSIGNED, IncomingState.IN_PROGRESS]
    head = is_unit_head(person, person.unit_id)
    # given to my unit and to no one in it yet: its head's to give out; a unit without a head
    # handles it together, as before heads were named
    unit_level = Q(lead_person__isnull=True, lead_unit_id=person.unit_id) if person.unit_id else Q(pk__in=[])
    leader = person.has_role("lanh-dao") or _deputy_for_assigning(person)
    to_assign = Q(pk__in=[])
    if leader:
        to_assign |= Q(state=IncomingState.REGISTERED)
    if head:
        to_assign |= unit_level & Q(state__in=open_states)
    mine = Q(lead_person=person)
    if not head and person.unit_id and not unit_heads(person.unit_id).exists():
        mine |= unit_level

    def assigned(role: str):
        target = Q(person=person) | (Q(unit_id=person.unit_id) if person.unit_id else Q(pk__in=[]))
        return Assignment.objects.filter(target, role=role).values("document_id")

    out = {
        "to_register": base.filter(state=IncomingState.RECEIVED) if person.has_role("van-thu") else base.none(),
        "to_assign": base.filter(to_assign) if leader or head else base.none(),
        "to_process": base.filter(mine, state__in=open_states),
        "returned_to_me": base.filter(
            current_step__kind=StepKind.RETURN,
            current_step__to_person=person,
            current_step__state=StepState.OPEN,
            state__in=[IncomingState.REGISTERED, *open_states],
        ),
        "to_answer": base.filter(
            pk__in=AssignmentStep.objects.filter(to_person=person, kind=StepKind.CONSULT, state=StepState.OPEN).values(
                "document_id"
            ),
            state__in=open_states,
        ),
        "to_help": base.filter(pk__in=assigned("phoi-hop"), state__in=open_states),
        "to_read": base.filter(pk__in=assigned("de-biet")).exclude(state=IncomingState.RECALLED),
        "reminded": base.filter(
            mine,
            state__in=open_states,
            reminders__on_day__gte=timezone.localdate() - dt.timedelta(days=7),
        ).distinct(),
        "outgoing_returned": OutgoingDocument.objects.filter(drafter=person, state=OutgoingState.RETURNED),
        # only leaders sign (drafting checks it), so only they have these
        "outgoing_to_sign": OutgoingDocument.objects.filter(signer=person, state=OutgoingState.APPROVED)
        if person.has_role("lanh-dao")
        else OutgoingDocument.objects.none(),
        "outgoing_to_review": OutgoingDocument.objects.filter(signer=person, state=OutgoingState.IN_REVIEW)
        if person.has_role("lanh-dao")
        else OutgoingDocument.objects.none(),
        "outgoing_for_clerk": OutgoingDocument.objects.filter(
            agency_id=person.agency_id, state__in=[OutgoingState.SIGNED, OutgoingState.NUMBERED, OutgoingState.SEALED]
        )
        if person.has_role("van-thu")
        else OutgoingDocument.objects.none(),
    }
    if person.has_role("lanh-dao"):
        out["overdue"] = base.filter(
            deadline__lt=timezone.localdate(), state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS]
        )
        out["recalled"] = base.filter(
            state=IncomingState.RECALLED, updated_at__gte=timezone.now() - dt.timedelta(days=30)
        )
        out["extensions_pending"] = base.filter(extensions__state="cho-duyet").distinct()
        out["take_back_requested"] = base.filter(take_back_requested_at__isnull=False, take_back_answer="")
    return out


def awaiting_digitized_copy(person: Person | None):
    """The agency's non-secret paper documents with no digitized copy yet, for a clerk to
    attach one to (newest first); nothing for anyone else."""
    from vanban.registry.models import IncomingDocument
    from vanban.registry.states import IncomingSource, IncomingState

    if person is None or not person.has_role("van-thu"):
        return IncomingDocument.objects.none()
    return (
        IncomingDocument.objects.filter(
            agency_id=person.agency_id, source=IncomingSource.PAPER, digitized_file=None, secrecy=None
        )
        .exclude(state__in=[IncomingState.REFUSED, IncomingState.RECALLED])
        .order_by("-arrived_at")
    )


# -- the agency administrator's read-only lists: signing keys and delegations --


@dataclass(frozen=True)
class KeyRow:
    """A registered signing key: whose, where it is, and its certificate's subject and validity."""

    key: SigningKey
    owner: str
    subject: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None

    @property
    def expired(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.now()


def _certificate(pem: str) -> tuple[str, dt.datetime | None, dt.datetime | None]:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        return "", None, None
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject = str(names[0].value) if names else cert.subject.rfc4514_string()
    return subject, cert.not_valid_before_utc, cert.not_valid_after_utc


def agency_keys(agency: Agency) -> list[KeyRow]:
    """The agency seal's and its people's signing keys in use, the agency's first."""
    keys = (
        SigningKey.objects.filter(Q(agency=agency) | Q(person__agency=agency), active=True)
        .select_related("person", "agency")
        .order_by("person__full_name", "pk")
    )
    rows = []
    for key in keys:
        subject, start, end = _certificate(key.certificate_pem) if key.certificate_pem else ("", None, None)
        owner = key.person.full_name if key.person is not None else f"{agency.name} (con dấu)"
        rows.append(KeyRow(key, owner, subject, start, end))
    return sorted(rows, key=lambda r: r.key.person is not None)


def agency_delegations(agency: Agency) -> QuerySet[Delegation]:
    """The agency's delegations (ủy quyền), the latest first."""
    return (
        Delegation.objects.filter(delegator__agency=agency)
        .select_related("delegator", "deputy")
        .order_by("-starts_on", "-pk")
    )
