"""Shared steps of the registry's service functions for outgoing documents, on the flow
engine (:mod:`vanban.registry.flow`)."""

from __future__ import annotations

from vanban.registry import flow
from vanban.registry.flow import person_of
from vanban.registry.models import OutgoingDocument

__all__ = ["person_of", "locked", "apply"]


def locked(document: OutgoingDocument) -> OutgoingDocument:
    """The document's row, locked for this transaction (related rows load on use)."""
    return flow.locked(flow.OUTGOING_FLOW, document)


def apply(
    document: OutgoingDocument,
    user,
    action: str,
    audit_action,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    fields: tuple[str, ...] = (),
) -> None:
    """Move ``document`` along ``action`` of the outgoing table (already checked; the
    caller saved its own changes, or names them in ``fields``)."""
    flow.advance(
        flow.OUTGOING_FLOW,
        document,
        action,
        actor=user,
        audit_action=audit_action,
        reason=reason,
        before=before,
        after=after,
        fields=fields,
    )
