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
    "TransferRefused",
    "PackageRefused",
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


class TransferRefused(RecordsError):
    """A transfer to the archive that cannot be made: dossiers blocked (``details`` lists
    each one's code and its blockers), no seal key, the timestamp authority or the
    revocation server unreachable. Nothing is marked transferred."""

    code = "transfer_refused"


class PackageRefused(RecordsError):
    """A transfer package the archive does not accept: ``details`` lists the verifier's
    problems (code, entry, Vietnamese message)."""

    code = "package_refused"
