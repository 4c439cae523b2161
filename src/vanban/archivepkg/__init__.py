"""The transfer-to-archive package (gói nộp lưu): build it, streamed, and verify one anyone
gives us. Pure library: never imports Django; the ``records`` app calls it.

:func:`build_package` writes a ZIP in the layout of :mod:`vanban.archivepkg.layout`: each
document's file and metadata (``EAD_doc``), each dossier's metadata (``EAD.xml``), the
handover list (mục lục hồ sơ, ``.xlsx``), SHA-256 checksums, and the manifest (``METS.xml``)
listing every entry with its SHA-256 and size, sealed by the agency (XML-DSig through a
:class:`vanban.signing.Signer`). :func:`verify_package` checks such a package and returns a
:class:`PackageReport`. Field names, required fields and code lists are data, in
:mod:`vanban.archivepkg.fieldmap` (several are unconfirmed; spec notes ``archive.md`` §5).
"""

from vanban.archivepkg.builder import build_package
from vanban.archivepkg.errors import ArchivePackageError, DuplicateEntry, MetadataError, PackageUnreadable
from vanban.archivepkg.fieldmap import DOCUMENT_FIELDS, DOSSIER_FIELDS, MUC_LUC_COLUMNS, Field
from vanban.archivepkg.model import AgencyInfo, BuildSummary, DocumentEntry, DossierEntry
from vanban.archivepkg.report import PackageReport, Problem, VerifyLimits
from vanban.archivepkg.verifier import TrustRoots, verify_package

__all__ = [
    "build_package",
    "verify_package",
    "AgencyInfo",
    "DossierEntry",
    "DocumentEntry",
    "BuildSummary",
    "PackageReport",
    "Problem",
    "VerifyLimits",
    "TrustRoots",
    "Field",
    "DOSSIER_FIELDS",
    "DOCUMENT_FIELDS",
    "MUC_LUC_COLUMNS",
    "ArchivePackageError",
    "MetadataError",
    "DuplicateEntry",
    "PackageUnreadable",
]
