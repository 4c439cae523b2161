"""One error base for the transfer-package library, on :class:`vanban.errors.DomainError`.

Building raises these for input the caller can fix (a dossier missing a required field, two
dossiers with one code, a file that cannot be read). Verifying never raises them for a bad
package: it returns a :class:`~vanban.archivepkg.report.PackageReport` listing the problems;
only a package that cannot be opened at all (no such file) raises :class:`PackageUnreadable`.
"""

from __future__ import annotations

from vanban.errors import DomainError

__all__ = ["ArchivePackageError", "MetadataError", "PackageUnreadable", "DuplicateEntry"]


class ArchivePackageError(DomainError):
    """Base of the package library's errors (``code`` in ``kebab-case``, never reused)."""

    code = "archive-package"


class MetadataError(ArchivePackageError):
    """A dossier's or document's metadata lacks a required field or breaks a rule."""

    code = "metadata-invalid"


class DuplicateEntry(ArchivePackageError):
    """Two dossiers with one code (their folders would collide in the package)."""

    code = "duplicate-entry"


class PackageUnreadable(ArchivePackageError):
    """The package given to the verifier cannot be opened (no such file, permission)."""

    code = "package-unreadable"
