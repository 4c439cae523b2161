"""Unread marks: record that a person opened a document's page, and tell which of a page of
documents they have not opened yet (one query for the whole page)."""

from __future__ import annotations

from collections.abc import Iterable

from vanban.registry.models.reads import DocumentKind, DocumentRead

__all__ = ["DocumentKind", "mark_read", "unread"]


def mark_read(person, kind: DocumentKind, document_id: int) -> None:
    """The person has opened the document (kept once: the first time counts)."""
    if person is None:
        return
    DocumentRead.objects.bulk_create(
        [DocumentRead(person=person, kind=kind, document_id=document_id)], ignore_conflicts=True
    )


def unread(person, kind: DocumentKind, document_ids: Iterable[int]) -> set[int]:
    """Those of ``document_ids`` the person has never opened."""
    ids = set(document_ids)
    if person is None or not ids:
        return set()
    seen = DocumentRead.objects.filter(person=person, kind=kind, document_id__in=ids).values_list(
        "document_id", flat=True
    )
    return ids - set(seen)
