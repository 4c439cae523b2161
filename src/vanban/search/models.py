"""The search index's tables: one entry per document (what is shown and filtered on; the
full-text part lives in the backend's own table or column, see :mod:`.backends`), the
durable queue of documents to (re)index, and texts given from elsewhere (OCR)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

KIND_OUTGOING = "di"
KIND_INCOMING = "den"
KIND_CHOICES = [(KIND_OUTGOING, "Văn bản đi"), (KIND_INCOMING, "Văn bản đến")]


class SearchEntry(models.Model):
    kind = models.CharField(max_length=3, choices=KIND_CHOICES)
    doc_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    doc_date = models.DateField(null=True)
    type_abbr = models.CharField(max_length=20, blank=True)  # folded, upper case: "CV", "QD"
    type_slug = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=20, blank=True)
    urgency = models.CharField(max_length=30, blank=True)
    register_id = models.BigIntegerField(null=True)
    lead_unit_id = models.BigIntegerField(null=True)
    label = models.CharField(max_length=120, blank=True)  # số và ký hiệu as shown
    notation_key = models.CharField(max_length=120, blank=True, db_index=True)
    title = models.TextField()  # trích yếu as written
    parties = models.TextField(blank=True)  # sender, recipients, signer as written
    head = models.TextField(blank=True)  # what was indexed besides the body (title, label, type, parties)
    parties_folded = models.TextField(blank=True)
    body = models.TextField(blank=True)  # the files' text, for snippets and exact marks
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_entry"
        constraints = [models.UniqueConstraint(fields=["kind", "doc_id"], name="search_entry_unique")]
        indexes = [
            models.Index(fields=["agency_id", "doc_date"], name="search_entry_agency_date"),
            models.Index(fields=["agency_id", "id"], name="search_entry_agency_id"),
        ]


class SearchQueue(models.Model):
    """A document to (re)index, written in the transaction that changed it; deleted only
    in the transaction that indexed it, so a crash in between loses nothing."""

    kind = models.CharField(max_length=3, choices=KIND_CHOICES)
    doc_id = models.BigIntegerField()
    queued_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "search_queue"


class SearchText(models.Model):
    """Text of a document that its files' text layer lacks (OCR of a scan), by source."""

    kind = models.CharField(max_length=3, choices=KIND_CHOICES)
    doc_id = models.BigIntegerField()
    source = models.CharField(max_length=30)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_text"
        constraints = [models.UniqueConstraint(fields=["kind", "doc_id", "source"], name="search_text_unique")]
