"""Every change of dossiers: one function per step (see the modules)."""

from vanban.records.services.archive import TransferExport, export_transfer, receive_transfer
from vanban.records.services.disposal import (
    appraise_disposal,
    decide_disposal,
    destroy_disposal,
    expired_dossiers,
    expires_in,
    hold_dossier,
    mark_transferred,
    release_dossier,
    review_disposal,
    start_disposal,
    stop_disposal,
)
from vanban.records.services.filing import (
    Proposal,
    annotate,
    close_dossier,
    dossier_of,
    file_document,
    open_work_dossier,
    propose_dossiers,
)
from vanban.records.services.importer import HEADERS, import_list
from vanban.records.services.lists import (
    DossierData,
    add_dossier,
    copy_list,
    create_list,
    edit_dossier,
    retention_classes,
)

__all__ = [
    "TransferExport",
    "export_transfer",
    "receive_transfer",
    "DossierData",
    "HEADERS",
    "Proposal",
    "add_dossier",
    "annotate",
    "appraise_disposal",
    "close_dossier",
    "copy_list",
    "create_list",
    "decide_disposal",
    "destroy_disposal",
    "dossier_of",
    "edit_dossier",
    "expired_dossiers",
    "expires_in",
    "file_document",
    "hold_dossier",
    "import_list",
    "mark_transferred",
    "open_work_dossier",
    "propose_dossiers",
    "release_dossier",
    "retention_classes",
    "review_disposal",
    "start_disposal",
    "stop_disposal",
]
