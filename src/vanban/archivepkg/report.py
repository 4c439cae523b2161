"""The verifier's answer: a bottom line (:attr:`PackageReport.ok`) and the problems found,
each with a stable code, a Vietnamese and an English message and the entry it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Problem", "PackageReport", "VerifyLimits"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package; ``path`` names the entry (``""``: the package)."""

    code: str
    message_vi: str
    message_en: str
    path: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_vi": self.message_vi, "message_en": self.message_en, "path": self.path}

    def line_vi(self) -> str:
        return f"[{self.code}] {self.path + ': ' if self.path else ''}{self.message_vi}"


@dataclass(frozen=True)
class VerifyLimits:
    """Bounds on what a package may make the verifier read (zip bombs, huge manifests)."""

    max_entries: int = 500_000
    max_entry_size: int = 8 << 30
    max_total_size: int = 1 << 40
    max_ratio: int = 200  # uncompressed / compressed, for entries over 1 MiB
    max_manifest_size: int = 256 << 20
    max_metadata_size: int = 4 << 20


@dataclass
class PackageReport:
    """What :func:`~vanban.archivepkg.verify_package` found."""

    problems: list[Problem] = field(default_factory=list)
    agency_code: str = ""
    agency_name: str = ""
    signer_subject: str | None = None
    signer_agency_code: str | None = None
    dossiers: int = 0
    documents: int = 0
    files_checked: int = 0
    bytes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, vi: str, en: str, path: str = "") -> None:
        self.problems.append(Problem(code, vi, en, path))

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "agency_code": self.agency_code,
            "agency_name": self.agency_name,
            "signer_subject": self.signer_subject,
            "signer_agency_code": self.signer_agency_code,
            "dossiers": self.dossiers,
            "documents": self.documents,
            "files_checked": self.files_checked,
            "bytes_checked": self.bytes_checked,
            "problems": [p.to_dict() for p in self.problems],
        }
