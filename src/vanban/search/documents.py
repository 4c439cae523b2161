"""What of a registry document goes into the index: its fields (:class:`IndexDoc`) and the
text of its files (main PDF, attachments: the text layer, bounded), plus any text given by
:func:`vanban.search.index_text` (OCR)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from vanban.registry.models import IncomingDocument, OutgoingDocument
from vanban.search.models import KIND_INCOMING, KIND_OUTGOING, SearchText
from vanban.storage import BlobCorrupt, BlobMissing, get_bytes
from vanban.textsearch import fold, notation_key, pdf_text

logger = logging.getLogger(__name__)

__all__ = ["IndexDoc", "load", "MAX_BODY"]

MAX_BODY = 300_000  # characters of text kept per document


@dataclass
class IndexDoc:
    kind: str
    doc_id: int
    agency_id: int
    doc_date: dt.date | None
    title: str
    label: str = ""
    parties: str = ""
    type_name: str = ""
    type_abbr: str = ""
    type_slug: str = ""
    state: str = ""
    urgency: str = ""
    register_id: int | None = None
    lead_unit_id: int | None = None
    body: str = ""

    @property
    def head(self) -> str:
        """Everything but the files' text: matched with more weight."""
        return " ".join(x for x in (self.title, self.label, self.type_name, self.type_abbr, self.parties) if x)

    @property
    def notation_key(self) -> str:
        return notation_key(self.label) if self.label else ""


def _file_text(sha256: str | None) -> str:
    if not sha256:
        return ""
    try:
        return pdf_text(get_bytes(sha256))
    except (BlobMissing, BlobCorrupt):
        logger.warning("search: file %s missing or corrupt, indexed without its text", sha256)
        return ""


def _extra(kind: str, doc_id: int) -> list[str]:
    return list(SearchText.objects.filter(kind=kind, doc_id=doc_id).order_by("source").values_list("text", flat=True))


def _join(parts: list[str]) -> str:
    return "\n".join(p for p in parts if p)[:MAX_BODY]


def _outgoing(doc: OutgoingDocument) -> IndexDoc:
    version = doc.current_version
    main = doc.signed_file.sha256 if doc.signed_file is not None else (version.file.sha256 if version else None)
    texts = [_file_text(main)]
    texts += [
        _file_text((a.signed_file or a.file).sha256) for a in doc.attachments.select_related("file", "signed_file")
    ]
    parties = [doc.agency.name, doc.unit.name if doc.unit else "", doc.signer.full_name]
    parties += [r.name for r in doc.recipients.all()]
    t = doc.document_type
    return IndexDoc(
        kind=KIND_OUTGOING,
        doc_id=doc.pk,
        agency_id=doc.agency_id,
        doc_date=doc.issued_on or doc.created_at.date(),
        title=doc.subject,
        label=doc.so_ky_hieu,
        parties=" · ".join(p for p in parties if p),
        type_name=t.name,
        type_abbr=fold(t.abbreviation).upper(),
        type_slug=t.code,
        state=doc.state,
        urgency=doc.urgency.code if doc.urgency else "",
        register_id=doc.register_id,
        body=_join(texts + _extra(KIND_OUTGOING, doc.pk)),
    )


def _incoming(doc: IncomingDocument) -> IndexDoc:
    t = doc.document_type
    # a paper document's digitized copy (PDF/A with the OCR text layer) when there is one
    main = doc.digitized_file or doc.main_file
    parties = [doc.sender_name, doc.signer_name]
    return IndexDoc(
        kind=KIND_INCOMING,
        doc_id=doc.pk,
        agency_id=doc.agency_id,
        doc_date=doc.issued_on or doc.arrived_at.date(),
        title=doc.subject,
        label=doc.so_ky_hieu,
        parties=" · ".join(p for p in parties if p),
        type_name=t.name if t else doc.type_name,
        type_abbr=fold(t.abbreviation).upper() if t else "",
        type_slug=t.code if t else "",
        state=doc.state,
        urgency=doc.urgency.code if doc.urgency else "",
        register_id=doc.register_id,
        lead_unit_id=doc.lead_unit_id,
        body=_join([_file_text(main.sha256 if main is not None else None), *_extra(KIND_INCOMING, doc.pk)]),
    )


def load(kind: str, doc_id: int) -> IndexDoc | None:
    """The document's index fields, or None when it no longer exists."""
    if kind == KIND_OUTGOING:
        out = (
            OutgoingDocument.objects.select_related(
                "agency", "unit", "signer", "document_type", "urgency", "signed_file"
            )
            .filter(pk=doc_id)
            .first()
        )
        return _outgoing(out) if out is not None else None
    inc = (
        IncomingDocument.objects.select_related("document_type", "urgency", "main_file", "digitized_file")
        .filter(pk=doc_id)
        .first()
    )
    return _incoming(inc) if inc is not None else None
