"""Dossiers and the agency archive (Django app): retention classes, the yearly list of
dossiers (danh mục hồ sơ, imported from a spreadsheet or copied from last year), filing
each document into one dossier (with a proposed dossier and why), work dossiers, closing
(a closed dossier is frozen: only annotations), the checks before a transfer to the
archive (nộp lưu), the transfer package itself (sealed, its PDFs made long-term valid) and
its receipt on the archive's side, and retention and
destruction (a yearly proposal, the steps up to the decision, holds).

Every change is one service function through the registry's flow engine (history row and
audit event). Facts: ``spec/archive.md`` §1–4; values the spec marks unconfirmed are data
under ``data/``. The names below import their modules on first use."""

from __future__ import annotations

from typing import Any

PUBLIC_MODULES = ("models", "states", "errors")

_WHERE = {
    # the list of dossiers
    "DossierData": "vanban.records.services",
    "create_list": "vanban.records.services",
    "add_dossier": "vanban.records.services",
    "edit_dossier": "vanban.records.services",
    "copy_list": "vanban.records.services",
    "import_list": "vanban.records.services",
    "retention_classes": "vanban.records.services",
    "HEADERS": "vanban.records.services",
    # filing
    "Proposal": "vanban.records.services",
    "file_document": "vanban.records.services",
    "dossier_of": "vanban.records.services",
    "propose_dossiers": "vanban.records.services",
    "open_work_dossier": "vanban.records.services",
    "close_dossier": "vanban.records.services",
    "annotate": "vanban.records.services",
    # transfer to the archive
    "Blocker": "vanban.records.transfer",
    "TransferCheck": "vanban.records.transfer",
    "TransferDossier": "vanban.records.transfer",
    "TransferDocument": "vanban.records.transfer",
    "check_transfer": "vanban.records.transfer",
    "transfer_entries": "vanban.records.transfer",
    "dossier_metadata": "vanban.records.transfer",
    "document_metadata": "vanban.records.transfer",
    "mark_transferred": "vanban.records.services",
    "TransferExport": "vanban.records.services",
    "export_transfer": "vanban.records.services",
    "receive_transfer": "vanban.records.services",
    # retention and destruction
    "expires_in": "vanban.records.services",
    "expired_dossiers": "vanban.records.services",
    "start_disposal": "vanban.records.services",
    "review_disposal": "vanban.records.services",
    "appraise_disposal": "vanban.records.services",
    "decide_disposal": "vanban.records.services",
    "destroy_disposal": "vanban.records.services",
    "stop_disposal": "vanban.records.services",
    "hold_dossier": "vanban.records.services",
    "release_dossier": "vanban.records.services",
    # reading
    "DossierPage": "vanban.records.queries",
    "visible_dossiers": "vanban.records.queries",
    "dossier_page": "vanban.records.queries",
    "get_dossier": "vanban.records.queries",
    "open_document": "vanban.records.queries",
    "state_counts": "vanban.records.queries",
    "visible_disposals": "vanban.records.queries",
    "get_disposal": "vanban.records.queries",
    "FilingChoices": "vanban.records.queries",
    "filing_choices": "vanban.records.queries",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
