"""A transfer package built once per test from real PDFs, sealed by an agency certificate
of the test CA.

Personas: Sở Nội vụ tỉnh Thử Nghiệm (``000.00.02.H99``) transfers two dossiers of 2025 to
its archive; its seal certificate comes from ``CA thử nghiệm``; ``outsider`` is an agency
certified by another root (``CA lạ``) that the archive does not trust; ``officer`` is a
person's certificate of the same CA (not a seal).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from vanban.archivepkg import AgencyInfo, DocumentEntry, DossierEntry, build_package
from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf

AGENCY = AgencyInfo("000.00.02.H99", "Sở Nội vụ tỉnh Thử Nghiệm", "Văn phòng Sở")


@dataclass
class Keys:
    pki: TestPKI
    seal: KeyFileSigner
    outsider: KeyFileSigner
    officer: KeyFileSigner
    roots_pem: Path


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> Keys:
    d = tmp_path_factory.mktemp("archivepkg-pki")
    pki = TestPKI.create(d / "ca")
    other = TestPKI.create(None, name="CA lạ")
    seal = KeyFileSigner(pki.issue_agency(AGENCY.code, AGENCY.name))
    outsider = KeyFileSigner(other.issue_agency(AGENCY.code, AGENCY.name, "ec-p256"))
    officer = KeyFileSigner(pki.issue_person("Vũ Anh Tuấn", AGENCY.code, AGENCY.name, "Chuyên viên", "ec-p256"))
    roots = d / "roots.pem"
    roots.write_bytes(pki.root.cert_pem())
    return Keys(pki, seal, outsider, officer, roots)


@pytest.fixture(scope="session")
def pdfs() -> list[bytes]:
    return [
        make_sample_pdf(title="QUYẾT ĐỊNH", number="Số: 15/QĐ-SNV").pdf,
        make_sample_pdf(title="CÔNG VĂN", number="Số: 210/SNV-VP", pages=2).pdf,
        make_sample_pdf(title="BÁO CÁO", number="Số: 31/BC-SNV").pdf,
    ]


def dossier_meta(code: str, title: str, maintenance: str = "01") -> dict[str, str]:
    return {
        "FileCode": code,
        "Title": title,
        "Maintenance": maintenance,
        "Rights": "01",
        "Creator": "Vũ Anh Tuấn",
        "Language": "01",
        "StartDate": "06/01/2025",
        "EndDate": "30/12/2025",
        "ConfidenceLevel": "01",
        "Description": "Hồ sơ đã được lập đầy đủ.",
    }


def document_meta(doc_id: str, subject: str, pages: int = 1) -> dict[str, str]:
    return {
        "DocCode": doc_id,
        "TypeName": "02",
        "CodeNumber": "15",
        "CodeNotation": "QĐ-SNV",
        "IssuedDate": "15/03/2025",
        "OrganName": AGENCY.name,
        "Subject": subject,
        "Language": "01",
        "PageAmount": str(pages),
        "Mode": "01",
        "ConfidenceLevel": "01",
    }


def make_dossiers(pdfs: list[bytes]) -> list[DossierEntry]:
    def doc(doc_id: str, subject: str, data: bytes, name: str) -> DocumentEntry:
        return DocumentEntry(document_meta(doc_id, subject), name, "application/pdf", lambda: io.BytesIO(data))

    return [
        DossierEntry(
            dossier_meta("000.00.02.H99.2025.01.TCCB", "Hồ sơ tuyển dụng công chức năm 2025"),
            [
                doc("H99.2025.01.1", "Quyết định tuyển dụng công chức", pdfs[0], "quyết định tuyển dụng.pdf"),
                doc("H99.2025.01.2", "Công văn đề nghị bổ sung chỉ tiêu", pdfs[1], "cong-van.pdf"),
            ],
        ),
        DossierEntry(
            dossier_meta("000.00.02.H99.2025.02.VP", "Báo cáo tổng kết công tác năm 2025", "06"),
            [doc("H99.2025.02.1", "Báo cáo tổng kết", pdfs[2], "bao-cao.pdf")],
        ),
    ]


@pytest.fixture
def package(tmp_path, keys, pdfs) -> Path:
    out = tmp_path / "nop-luu-2025.zip"
    build_package(out, AGENCY, make_dossiers(pdfs), sign_manifest=keys.seal, year_label="năm 2025")
    return out
