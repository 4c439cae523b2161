"""The one flow engine of the registry: every step of an outgoing or an incoming document
goes through it. A :class:`Flow` names a transition table (data), the document model and
its history model, and what a step sends back to the sender (incoming documents: the
edXML status the table gives).

:func:`perform` is the whole step: the slow work (``prepare``: reading PDFs, signing)
before any lock, then one transaction that locks the row, checks the guard on what is
now there, applies the caller's ``change``, and :func:`advance`\\ s: the new state, the
history row, the audit event, the status back (through the connector's outbox, in the
same transaction; at most once a document where the flow says so) and the side effects
after the commit. Service functions that need
more control call :func:`guard` and :func:`advance` themselves, inside their transaction.
The actor is always a keyword argument.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from vanban import fastsql, search
from vanban.audit import record
from vanban.registry.errors import TransitionRefused
from vanban.registry.transitions import INCOMING, OUTGOING, Transition, TransitionTable, acting_name

__all__ = [
    "Flow",
    "OUTGOING_FLOW",
    "INCOMING_FLOW",
    "person_of",
    "guard",
    "locked",
    "advance",
    "perform",
    "history",
    "changed",
    "on_change",
]

D = TypeVar("D")
P = TypeVar("P")


@dataclass(frozen=True)
class Flow:
    name: str
    table: TransitionTable
    model_path: str
    history_path: str
    send_back: Callable[..., None] | None = None
    """``send_back(document, status_code, actor, description)`` for the table's status."""
    related: tuple[str, ...] = ()
    """Rows a step reads through the document, loaded with the locked row."""
    indexed: bool = True
    """Whether a step queues the row for the search index (documents are; dossiers not)."""
    status_once: bool = False
    """Whether a status goes back at most once a document: edXML statuses tell the sender how
    far the document got (04 assigned, 05 in progress), so assigning it again, or a second
    handler starting it after a forward, tells them nothing new and sends nothing."""

    @property
    def model(self) -> Any:
        from django.apps import apps

        return apps.get_model(self.model_path)

    @property
    def history(self) -> Any:
        from django.apps import apps

        return apps.get_model(self.history_path)


def _send_back(document, code: str, actor, description: str) -> None:
    from vanban.registry.services.incoming import send_back

    send_back(document, code, actor, description)


OUTGOING_FLOW = Flow(
    "outgoing",
    OUTGOING,
    "registry.OutgoingDocument",
    "registry.StateChange",
    related=("agency", "document_type", "unit", "secrecy"),
)
INCOMING_FLOW = Flow(
    "incoming",
    INCOMING,
    "registry.IncomingDocument",
    "registry.IncomingStateChange",
    send_back=_send_back,
    related=("agency", "document_type", "urgency"),
    status_once=True,
)


def person_of(user):
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise TransitionRefused(
            "Tài khoản của bạn chưa gắn với cơ quan nào.", "Your account is not bound to an agency.", code="no_person"
        )
    return person


def locked(flow: Flow, document: D) -> D:
    """The document's row, locked for this transaction, with the flow's related rows (one
    statement built once: it runs for every step of every document)."""
    model = flow.model
    if _plain_save(model):
        return fastsql.select_locked(model, document.pk, flow.related)  # type: ignore[attr-defined]
    rows = model.objects.select_related(*flow.related).select_for_update(of=("self",))
    return rows.get(pk=document.pk)  # type: ignore[attr-defined]


def _plain_save(model) -> bool:
    """Whether saving ``model`` is Django's own ``save`` (nothing the engine's direct
    statements would bypass)."""
    return model.save is models.Model.save


def guard(flow: Flow, document, action: str, *, actor) -> Transition:
    """The transition, when ``actor`` may take ``action`` on the document as it is now;
    :class:`TransitionRefused` with the reason otherwise."""
    return flow.table.check(document, person_of(actor), action)


_listeners: list[Callable[[str, Any], None]] = []


def on_change(listener: Callable[[str, Any], None]) -> None:
    """Call ``listener(flow_name, document)`` in the transaction of every change (an app
    above the registry keeps something of its own exact this way, as the monthly summary
    of :mod:`vanban.reports` does, registered when that app is ready)."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed(flow: Flow, document) -> None:
    """Queue the document for the search index and tell the listeners (:func:`on_change`),
    in this transaction (every history row does; a change that writes none calls this
    itself)."""
    search.enqueue(flow.name, document.pk)
    for listener in _listeners:
        listener(flow.name, document)


def _history(flow: Flow, document, actor, action: str, old: str, status: str, reason: str) -> None:
    person = getattr(actor, "person", None) if actor is not None else None
    if person is not None:
        name = acting_name(document, person, action)
    elif actor is not None and getattr(actor, "is_authenticated", False):
        name = actor.get_username()
    else:
        name = "Hệ thống"
    row = dict(
        document=document,
        action=action,
        old_state=old,
        new_state=document.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=name,
        reason=reason[:1000],
    )
    if flow is INCOMING_FLOW:
        row["status_sent"] = status
    entry = flow.history(**row)
    if _plain_save(flow.history):
        fastsql.insert(entry)
    else:
        entry.save()
    if flow.indexed:
        changed(flow, document)
    if flow.name in ("outgoing", "incoming"):
        from vanban.registry import notify

        notify.on_step(flow.name, document, action, actor, reason)


def history(flow: Flow, document, action: str, old: str, *, actor=None, status: str = "", reason: str = "") -> None:
    """A history row for an event outside the table (arrival, update, recall by the sender)."""
    _history(flow, document, actor, action, old, status, reason)


def advance(
    flow: Flow,
    document: D,
    action: str,
    *,
    actor,
    audit_action,
    reason: str = "",
    description: str = "",
    before: dict | None = None,
    after: dict | None = None,
    effects: Iterable[Callable[[], None]] = (),
    fields: Iterable[str] | None = None,
) -> D:
    """Move the (locked, guarded) document along ``action``: new state, saved with the
    caller's changes (only ``fields`` and the state when the caller names them: a step runs
    for every document, the whole row need not be written), history row, audit event, the
    status back, effects after commit."""
    t = flow.table.rows[action]
    old = document.state  # type: ignore[attr-defined]
    if t.target is not None:
        document.state = t.target  # type: ignore[attr-defined]
    if fields is None:
        document.save()  # type: ignore[attr-defined]
    elif _plain_save(type(document)):
        fastsql.update_fields(document, sorted({*fields, "state", "updated_at"}))
    else:
        document.save(update_fields=sorted({*fields, "state", "updated_at"}))  # type: ignore[attr-defined]
    status = t.status if t.status and flow.send_back is not None else ""
    if status and flow.status_once and flow.history.objects.filter(document=document, status_sent=status).exists():
        status = ""
    _history(flow, document, actor, action, old, status, reason)
    record(
        actor,
        audit_action,
        document,
        before={"state": old, **(before or {})},
        after={"state": document.state, **({"reason": reason} if reason else {}), **(after or {})},  # type: ignore[attr-defined]
    )
    if status:
        assert flow.send_back is not None  # a status is only kept when the flow sends it back
        flow.send_back(document, status, actor, description or reason)
    for effect in effects:
        transaction.on_commit(effect)
    return document


def perform(
    flow: Flow,
    document: D,
    action: str,
    *,
    actor,
    audit_action,
    prepare: Callable[[D], P] | None = None,
    change: Callable[[D, P | None], dict | None] | None = None,
    reason: str = "",
    description: str | Callable[[D], str] = "",
    effects: Iterable[Callable[[], None]] = (),
) -> D:
    """One whole step: ``prepare(document)`` (slow, no lock, after a first guard check),
    then in one transaction: lock, guard again, ``change(document, prepared)`` (may refuse;
    returns the audit ``after`` details), :func:`advance`."""
    prepared = None
    if prepare is not None:
        guard(flow, document, action, actor=actor)
        prepared = prepare(document)
    with transaction.atomic():
        document = locked(flow, document)
        guard(flow, document, action, actor=actor)
        details = change(document, prepared) if change is not None else None
        return advance(
            flow,
            document,
            action,
            actor=actor,
            audit_action=audit_action,
            reason=reason,
            description=description(document) if callable(description) else description,
            after=details,
            effects=effects,
        )
