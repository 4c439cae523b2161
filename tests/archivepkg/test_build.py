"""Building a transfer package: what the archive receives is complete, sealed and in the
spec's form (metadata fields, mục lục columns, checksums)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from lxml import etree
from openpyxl import load_workbook
from signxml import XMLVerifier
from signxml.verifier import SignatureConfiguration

from tests.archivepkg.conftest import AGENCY, document_meta, dossier_meta, make_dossiers
from vanban.archivepkg import (
    DOCUMENT_FIELDS,
    DOSSIER_FIELDS,
    MUC_LUC_COLUMNS,
    DocumentEntry,
    DossierEntry,
    MetadataError,
    build_package,
    verify_package,
)

DOSSIER_MD = "hoso/000.00.02.H99.2025.01.TCCB/metadata/descriptive/EAD.xml"
DOC_MD = "hoso/000.00.02.H99.2025.01.TCCB/representations/rep1/metadata/descriptive/EAD_doc_0000001.xml"


def _xml(package, name):
    with zipfile.ZipFile(package) as zf:
        return etree.fromstring(zf.read(name))


def test_a_built_package_verifies(package, keys):
    report = verify_package(package, trust_roots=keys.roots_pem)
    assert report.ok, report.problems
    assert (report.dossiers, report.documents, report.agency_code) == (2, 3, AGENCY.code)


def test_the_summary_counts_what_was_written_and_hashes_the_package(tmp_path, keys, pdfs):
    out = tmp_path / "p.zip"
    summary = build_package(out, AGENCY, make_dossiers(pdfs), sign_manifest=keys.seal)
    assert (summary.dossiers, summary.documents, summary.entries) == (2, 3, 11)
    assert summary.content_bytes == sum(len(p) for p in (pdfs[0], pdfs[1], pdfs[2]))
    assert summary.package_bytes == out.stat().st_size
    assert summary.package_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_the_package_follows_the_spec_layout(package):
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
    assert {"METS.xml", "checksums.sha256", "muc-luc-ho-so.xlsx", DOSSIER_MD, DOC_MD} <= names
    data = "hoso/000.00.02.H99.2025.01.TCCB/representations/rep1/data/0000001_quyết_định_tuyển_dụng.pdf"
    assert data in names


def test_the_dossier_metadata_has_the_spec_required_fields(package):
    root = _xml(package, DOSSIER_MD)
    present = {el.tag: el.text for el in root}
    required = {f.element for f in DOSSIER_FIELDS if f.required}
    assert {"fileCode", "title", "maintenance", "mode", "language", "startDate", "endDate"} <= required
    assert required <= set(present)
    assert present["fileCode"] == "000.00.02.H99.2025.01.TCCB"
    assert present["totalDoc"] == "2"
    assert present["numberOfPage"] == "2"
    assert present["description"].startswith("Người lập hồ sơ: Vũ Anh Tuấn.")


def test_the_document_metadata_has_the_spec_required_fields(package):
    present = {el.tag: el.text for el in _xml(package, DOC_MD)}
    assert {f.element for f in DOCUMENT_FIELDS if f.required} <= set(present)
    assert present["docCode"] == "000.00.02.H99.2025.01.TCCB.0000001"  # mã hồ sơ + 7-digit ordinal
    assert present["maintenance"] == "01"  # taken from the dossier


def test_the_muc_luc_lists_the_dossiers_with_the_spec_columns(package):
    with zipfile.ZipFile(package) as zf:
        wb = load_workbook(io.BytesIO(zf.read("muc-luc-ho-so.xlsx")), read_only=True)
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Số TT")
    assert rows[header_at] == [name for name, _ in MUC_LUC_COLUMNS]
    assert rows[header_at] == [
        "Số TT",
        "Số, ký hiệu hồ sơ",
        "Tiêu đề hồ sơ",
        "Thời gian tài liệu",
        "Thời hạn bảo quản",
        "Số tờ/số trang",
        "Ghi chú",
    ]
    first, second = rows[header_at + 1], rows[header_at + 2]
    assert first[:5] == [
        1,
        "000.00.02.H99.2025.01.TCCB",
        "Hồ sơ tuyển dụng công chức năm 2025",
        "06/01/2025 - 30/12/2025",
        "Vĩnh viễn",
    ]
    assert second[:2] == [2, "000.00.02.H99.2025.02.VP"] and second[4] == "10 năm"
    assert any(r and "Tổng số hồ sơ: 2. Tổng số tệp tin: 3." == r[0] for r in rows)


def test_the_checksums_file_lists_every_entry_but_the_manifest(package):
    with zipfile.ZipFile(package) as zf:
        lines = zf.read("checksums.sha256").decode().splitlines()
        sums = dict(reversed(line.split("  ", 1)) for line in lines)
        for name, sha in sums.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == sha
        assert set(sums) == set(zf.namelist()) - {"METS.xml", "checksums.sha256"}


def test_the_manifest_signature_verifies_with_signxml_too(package, keys):
    """An independent XML-DSig implementation accepts the seal's signature."""
    with zipfile.ZipFile(package) as zf:
        root = etree.fromstring(zf.read("METS.xml"))
    config = SignatureConfiguration(require_x509=True, expect_references=1)
    result = XMLVerifier().verify(root, x509_cert=keys.seal.certificate, expect_config=config)
    assert result.signed_xml is not None


def test_an_ecdsa_seal_signs_a_package_that_verifies(tmp_path, keys, pdfs):
    from vanban.signing import KeyFileSigner

    seal = KeyFileSigner(keys.pki.issue_agency(AGENCY.code, AGENCY.name, "ec-p256"))
    out = tmp_path / "ec.zip"
    build_package(out, AGENCY, make_dossiers(pdfs), sign_manifest=seal)
    assert verify_package(out, trust_roots=keys.roots_pem).ok


def test_a_dossier_missing_a_required_field_is_refused_with_its_label(tmp_path, keys):
    meta = dossier_meta("000.00.02.H99.2025.03.VP", "Hồ sơ thiếu")
    del meta["Title"]
    with pytest.raises(MetadataError) as exc:
        build_package(tmp_path / "x.zip", AGENCY, [DossierEntry(meta, [])], sign_manifest=keys.seal)
    assert "Tiêu đề hồ sơ" in exc.value.message_vi


def test_a_document_with_a_value_outside_its_code_list_is_refused(tmp_path, keys, pdfs):
    doc_meta = document_meta("H99.2025.03.1", "Tờ trình") | {"Mode": "09"}
    doc = DocumentEntry(doc_meta, "to-trinh.pdf", "application/pdf", lambda: io.BytesIO(pdfs[0]))
    dossier = DossierEntry(dossier_meta("000.00.02.H99.2025.03.VP", "Hồ sơ"), [doc])
    with pytest.raises(MetadataError) as exc:
        build_package(tmp_path / "x.zip", AGENCY, [dossier], sign_manifest=keys.seal)
    assert "Chế độ sử dụng" in exc.value.message_vi


def test_a_refused_build_leaves_no_half_written_package(tmp_path, keys, pdfs):
    good, bad = make_dossiers(pdfs)
    broken = DossierEntry({k: v for k, v in bad.metadata.items() if k != "Rights"}, bad.documents)
    out = tmp_path / "x.zip"
    with pytest.raises(MetadataError):
        build_package(out, AGENCY, [good, broken], sign_manifest=keys.seal)
    assert not out.exists()
