"""Errors of the dossiers app: stable machine code, Vietnamese and English messages."""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = [
    "RecordsError",
    "DossierRefused",
    "DossierFrozen",
    "FilingRefused",
    "ListImportRefused",
    "DisposalRefused",
]


class RecordsError(DomainError):
    code = "records_error"


class DossierRefused(RecordsError):
    """A step on a dossier the person may not take, or in a state that does not allow it."""

    code = "dossier_refused"


class DossierFrozen(RecordsError):
    """A change to a closed (transferred, destroyed) dossier: only annotations are allowed."""

    code = "dossier_frozen"


class FilingRefused(RecordsError):
    code = "filing_refused"


class ListImportRefused(RecordsError):
    """A spreadsheet of the list of dossiers with rows in error; ``details`` lists them
    (``{"row": n, "message": "..."}``) and nothing was written."""

    code = "list_import_refused"


class DisposalRefused(RecordsError):
    code = "disposal_refused"
