"""Documents given as files on disk (the long-term validation step's output) are copied
from the page cache in windows: the package passes the CRC checks of zipfile and ``unzip
-t``, each entry is its file, and the manifest lists what the same bytes read as streams
give."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from tests.archivepkg.conftest import AGENCY, document_meta, dossier_meta
from vanban.archivepkg import DocumentEntry, DossierEntry, build_package, verify_package
from vanban.archivepkg.manifest import read_manifest


def _datas(pdfs: list[bytes]) -> list[bytes]:
    """A small PDF, one spanning two mapped windows (over 4 MiB), one with an odd length."""
    return [pdfs[0], pdfs[1] + b"\n%" + os.urandom(9 << 20 | 12_345), pdfs[2] + b"\n%" + os.urandom(65_537)]


def _dossier(tmp_path, datas: list[bytes], as_files: bool) -> DossierEntry:
    docs = []
    for k, data in enumerate(datas, 1):
        path = tmp_path / f"ltv-{k}.pdf"
        path.write_bytes(data)
        opener = (lambda p=path: open(p, "rb")) if as_files else (lambda d=data: io.BytesIO(d))
        docs.append(
            DocumentEntry(document_meta(f"H99.2025.09.{k}", f"Văn bản {k}"), f"vb-{k}.pdf", "application/pdf", opener)
        )
    return DossierEntry(dossier_meta("000.00.02.H99.2025.09.VP", "Hồ sơ"), docs)


def test_a_package_of_files_on_disk_passes_the_crc_checks_and_keeps_each_file(tmp_path, keys, pdfs):
    datas = _datas(pdfs)
    out = tmp_path / "p.zip"
    summary = build_package(out, AGENCY, [_dossier(tmp_path, datas, True)], sign_manifest=keys.seal)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        written = [zf.read(n) for n in sorted(n for n in zf.namelist() if n.endswith(".pdf"))]
    assert written == datas
    assert summary.package_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert verify_package(out, trust_roots=keys.roots_pem).ok


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_unzip_finds_no_error_in_a_package_of_files_on_disk(tmp_path, keys, pdfs):
    out = tmp_path / "p.zip"
    build_package(out, AGENCY, [_dossier(tmp_path, _datas(pdfs), True)], sign_manifest=keys.seal)
    done = subprocess.run(["unzip", "-tqq", str(out)], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")


def test_files_on_disk_and_streams_of_the_same_bytes_give_the_same_manifest_lines(tmp_path, keys, pdfs):
    datas = _datas(pdfs)
    listed = []
    for as_files in (True, False):
        out = tmp_path / f"p-{as_files}.zip"
        build_package(out, AGENCY, [_dossier(tmp_path, datas, as_files)], sign_manifest=keys.seal)
        with zipfile.ZipFile(out) as zf:
            root = etree.fromstring(zf.read("METS.xml"))
        entries = read_manifest(root).entries
        listed.append({p: (e.size, e.sha256) for p, e in entries.items() if p.endswith(".pdf")})
    assert listed[0] == listed[1]
    assert sorted(sha for _size, sha in listed[0].values()) == sorted(hashlib.sha256(d).hexdigest() for d in datas)


def test_an_empty_file_on_disk_becomes_an_empty_entry(tmp_path, keys):
    path = tmp_path / "rong.pdf"
    path.write_bytes(b"")
    doc = DocumentEntry(
        document_meta("H99.2025.10.1", "Văn bản"), "rong.pdf", "application/pdf", lambda: open(path, "rb")
    )
    out = tmp_path / "p.zip"
    build_package(
        out, AGENCY, [DossierEntry(dossier_meta("000.00.02.H99.2025.10.VP", "Hồ sơ"), [doc])], sign_manifest=keys.seal
    )
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        assert [zf.read(n) for n in zf.namelist() if n.endswith(".pdf")] == [b""]
