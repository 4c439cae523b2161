"""Shared steps of the registry's service functions."""

from __future__ import annotations

from vanban.audit import record
from vanban.directory.models import Person
from vanban.registry import transitions
from vanban.registry.errors import TransitionRefused
from vanban.registry.models import OutgoingDocument, StateChange


def person_of(user) -> Person:
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise TransitionRefused(
            "Tài khoản của bạn chưa gắn với cơ quan nào.", "Your account is not bound to an agency.", code="no_person"
        )
    return person


def locked(document: OutgoingDocument) -> OutgoingDocument:
    """The document's row, locked for this transaction (related rows load on use)."""
    return OutgoingDocument.objects.select_for_update().get(pk=document.pk)


def apply(
    document: OutgoingDocument,
    user,
    action: str,
    audit_action,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Move ``document`` along ``action`` of the transition table (already checked), write
    the state-change row and the audit event."""
    t = transitions.table()[action]
    old = document.state
    if t.target is not None:
        document.state = t.target
        document.save(update_fields=["state", "updated_at"])
    person = getattr(user, "person", None)
    StateChange.objects.create(
        document=document,
        action=action,
        old_state=old,
        new_state=document.state,
        actor=user,
        actor_name=transitions.acting_name(document, person, action) if person else user.get_username(),
        reason=reason[:1000],
    )
    record(
        user,
        audit_action,
        document,
        before={"state": old, **(before or {})},
        after={"state": document.state, **({"reason": reason} if reason else {}), **(after or {})},
    )
