"""What the builder is given: the agency, its dossiers and their documents (frozen).

A :class:`DocumentEntry` carries an ``open()`` callable, not the bytes: the builder opens
one file at a time and copies it in chunks, so a year of documents never sits in memory.
Metadata are mappings keyed by the internal field names of
:mod:`vanban.archivepkg.fieldmap` (NĐ 30/2020 Phụ lục VI for a dossier, TT 02/2019 for a
document); values are strings (numbers and dates already formatted, dates DD/MM/YYYY).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

__all__ = ["AgencyInfo", "DossierEntry", "DocumentEntry", "BuildSummary"]


@dataclass(frozen=True)
class AgencyInfo:
    """The transferring agency: its identifier code (QĐ 20/2020) and name."""

    code: str
    name: str
    unit: str = ""  # đơn vị giao nộp, shown in the mục lục heading


@dataclass(frozen=True)
class DocumentEntry:
    """One document of a dossier: metadata (spec §1.3), its file and how to read it."""

    metadata: Mapping[str, str]
    file_name: str
    media_type: str
    open: Callable[[], BinaryIO]
    size: int | None = None  # when known; a larger-than-2-GiB or unknown size gets ZIP64
    # The file's SHA-256 when already known (the content-addressed store keys files by it):
    # written to the manifest as is and the file not hashed again, so a stored file that no
    # longer matches is caught by whoever verifies the package instead of being re-sealed.
    sha256: str | None = None


@dataclass(frozen=True)
class DossierEntry:
    """One dossier (hồ sơ): metadata (spec §1.2) and its documents, read once, in order."""

    metadata: Mapping[str, str]
    documents: Iterable[DocumentEntry] = field(default_factory=tuple)


@dataclass(frozen=True)
class BuildSummary:
    """What :func:`~vanban.archivepkg.build_package` wrote."""

    dossiers: int
    documents: int
    entries: int  # every file in the ZIP, manifest included
    content_bytes: int  # the documents' files
    package_bytes: int  # the ZIP itself
    package_sha256: str
    signer_subject: str

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)
