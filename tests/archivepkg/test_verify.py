"""Verifying a package anyone gives us: each fault is found, named, and reported in
Vietnamese; hostile archives are refused without crashing."""

from __future__ import annotations

import hashlib
import io
import zipfile

from lxml import etree

from tests.archivepkg.conftest import AGENCY, make_dossiers
from tests.archivepkg.rewrite import rewrite
from vanban.archivepkg import build_package, layout, manifest, verify_package

DATA = "hoso/000.00.02.H99.2025.02.VP/representations/rep1/data/0000001_bao-cao.pdf"


def _problems(report):
    return {(p.code, p.path) for p in report.problems}


def test_a_corrupted_file_is_found_by_its_checksum_and_named(package, keys, tmp_path):
    with zipfile.ZipFile(package) as zf:
        data = bytearray(zf.read(DATA))
    data[len(data) // 2] ^= 0xFF
    bad = rewrite(package, tmp_path / "bad.zip", replace={DATA: bytes(data)})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert not report.ok
    assert _problems(report) == {("checksum-mismatch", DATA)}
    assert "SHA-256" in report.problems[0].message_vi


def test_a_damaged_zip_entry_is_reported_not_raised(package, keys, tmp_path):
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zf:
        info = zf.getinfo(DATA)
    raw[info.header_offset + 30 + len(info.filename.encode()) + 500] ^= 0xFF  # inside the stored data
    bad = tmp_path / "crc.zip"
    bad.write_bytes(bytes(raw))
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert ("entry-unreadable", DATA) in _problems(report)


def test_a_tampered_manifest_fails_the_signature_check(package, keys, tmp_path):
    with zipfile.ZipFile(package) as zf:
        mets = zf.read("METS.xml").decode()
    tampered = mets.replace("<name>Sở Nội vụ tỉnh Thử Nghiệm</name>", "<name>Sở Nội vụ</name>")
    assert tampered != mets
    bad = rewrite(package, tmp_path / "bad.zip", replace={"METS.xml": tampered.encode()})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert ("signature-invalid", "METS.xml") in _problems(report)
    assert "bản kê đã bị thay đổi sau khi ký" in report.problems[0].message_vi


def test_a_package_sealed_by_an_untrusted_certificate_is_refused(tmp_path, keys, pdfs):
    out = tmp_path / "outsider.zip"
    build_package(out, AGENCY, make_dossiers(pdfs), sign_manifest=keys.outsider)
    report = verify_package(out, trust_roots=keys.roots_pem)
    assert _problems(report) == {("signature-untrusted-certificate", "METS.xml")}
    assert "chứng thư gốc tin cậy" in report.problems[0].message_vi


def test_a_manifest_signed_by_a_person_not_the_agency_seal_is_refused(tmp_path, keys, pdfs):
    out = tmp_path / "person.zip"
    build_package(out, AGENCY, make_dossiers(pdfs), sign_manifest=keys.officer)
    report = verify_package(out, trust_roots=keys.roots_pem)
    assert _problems(report) == {("signature-not-seal", "METS.xml")}


def test_a_seal_of_another_agency_is_refused(tmp_path, keys, pdfs):
    from vanban.signing import KeyFileSigner

    other = KeyFileSigner(keys.pki.issue_agency("000.00.03.H99", "Sở Khoa học và Công nghệ"))
    out = tmp_path / "other.zip"
    build_package(out, AGENCY, make_dossiers(pdfs), sign_manifest=other)
    report = verify_package(out, trust_roots=keys.roots_pem)
    assert _problems(report) == {("signature-sender-mismatch", "METS.xml")}


def test_a_missing_file_is_found(package, keys, tmp_path):
    bad = rewrite(package, tmp_path / "bad.zip", drop={DATA})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert ("missing-file", DATA) in _problems(report)


def test_an_extra_file_is_found(package, keys, tmp_path):
    extra = "hoso/000.00.02.H99.2025.02.VP/representations/rep1/data/0000002_them.pdf"
    bad = rewrite(package, tmp_path / "bad.zip", add={extra: b"%PDF-1.7 not listed"})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert ("extra-file", extra) in _problems(report)


def test_a_path_traversal_name_is_refused(package, keys, tmp_path):
    bad = rewrite(package, tmp_path / "bad.zip", add={"../../etc/cron.d/x": b"* * * * * root sh", "/tmp/abs": b"x"})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert {("unsafe-name", "../../etc/cron.d/x"), ("unsafe-name", "/tmp/abs")} <= _problems(report)


def test_a_zip_bomb_entry_is_not_read(package, keys, tmp_path):
    bad = rewrite(package, tmp_path / "bomb.zip", add={"hoso/bomb.bin": b"\0" * (64 << 20)})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert ("compression-ratio", "hoso/bomb.bin") in _problems(report)


def test_metadata_missing_a_required_field_is_found(package, keys, tmp_path):
    """The field is gone from EAD.xml (the manifest and checksums made to match cannot be:
    the signature would break), so both the missing field and the checksum are reported."""
    name = "hoso/000.00.02.H99.2025.02.VP/metadata/descriptive/EAD.xml"
    with zipfile.ZipFile(package) as zf:
        xml = zf.read(name).decode()
    start, end = xml.index("<title>"), xml.index("</title>") + len("</title>")
    bad = rewrite(package, tmp_path / "bad.zip", replace={name: (xml[:start] + xml[end:]).encode()})
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert {("metadata-missing", name), ("checksum-mismatch", name)} <= _problems(report)
    assert any("Tiêu đề hồ sơ" in p.message_vi for p in report.problems)


def test_a_file_that_is_not_a_zip_is_reported(keys, tmp_path):
    report = verify_package(io.BytesIO(b"%PDF-1.7 this is not a package"), trust_roots=keys.roots_pem)
    assert report.codes() == ["not-a-zip"]


def test_a_package_without_a_manifest_is_reported(package, keys, tmp_path):
    bad = rewrite(package, tmp_path / "bad.zip", drop={"METS.xml"})
    assert verify_package(bad, trust_roots=keys.roots_pem).codes() == ["manifest-missing"]


def test_a_manifest_with_an_xml_bomb_is_reported(package, keys, tmp_path):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><mets>&b;</mets>'
    bad = rewrite(package, tmp_path / "bad.zip", replace={"METS.xml": bomb})
    assert verify_package(bad, trust_roots=keys.roots_pem).codes() == ["manifest-invalid"]


def test_a_dossier_holding_fewer_documents_than_its_total_is_found(package, keys, tmp_path):
    """The manifest, checksums and EAD.xml are made to agree (re-signed by the same seal)
    with one document taken out: the count in EAD.xml still says 2."""
    folder = "hoso/000.00.02.H99.2025.01.TCCB/representations/rep1/"
    gone = {folder + "data/0000002_cong-van.pdf", folder + "metadata/descriptive/EAD_doc_0000002.xml"}
    with zipfile.ZipFile(package) as zf:
        root = etree.fromstring(zf.read("METS.xml"))
        kept = {n: zf.read(n) for n in zf.namelist() if n not in gone and n not in ("METS.xml", layout.CHECKSUMS)}
    content = manifest.read_manifest(root)
    entries = [e for p, e in content.entries.items() if p in kept]
    sums = "".join(f"{e.sha256}  {e.path}\n" for e in entries).encode()
    entries.append(
        manifest.ManifestEntry(layout.CHECKSUMS, len(sums), hashlib.sha256(sums).hexdigest(), "checksums", "text/plain")
    )
    signed = manifest.sign_manifest(manifest.build_manifest(AGENCY, entries, "2026-01-01T00:00:00+07:00"), keys.seal)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as out:
        for n, data in kept.items():
            out.writestr(n, data)
        out.writestr(layout.CHECKSUMS, sums)
        out.writestr("METS.xml", signed)
    report = verify_package(bad, trust_roots=keys.roots_pem)
    assert report.codes() == ["structure"]
    assert "Tổng số tài liệu ghi 2 nhưng hồ sơ có 1 tài liệu" in report.problems[0].message_vi
