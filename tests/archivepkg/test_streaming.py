"""The builder reads the documents one at a time and in chunks: a file larger than a chunk
comes out whole and with the right checksum, and no two files are ever open together."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

from tests.archivepkg.conftest import AGENCY, document_meta, dossier_meta
from vanban.archivepkg import DocumentEntry, DossierEntry, build_package, verify_package


class _Tracked(io.BytesIO):
    open_now = 0
    most = 0

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        type(self).open_now += 1
        type(self).most = max(type(self).most, type(self).open_now)

    def close(self) -> None:
        if not self.closed:
            type(self).open_now -= 1
        super().close()


def test_files_are_opened_one_at_a_time_and_closed(tmp_path, keys, pdfs):
    docs = [
        DocumentEntry(
            document_meta(f"H99.2025.05.{k}", f"Văn bản {k}"),
            f"vb-{k}.pdf",
            "application/pdf",
            lambda k=k: _Tracked(pdfs[k % 3]),
        )
        for k in range(1, 8)
    ]
    build_package(
        tmp_path / "p.zip",
        AGENCY,
        [DossierEntry(dossier_meta("000.00.02.H99.2025.05.VP", "Hồ sơ"), docs)],
        sign_manifest=keys.seal,
    )
    assert (_Tracked.most, _Tracked.open_now) == (1, 0)


def test_a_file_larger_than_a_chunk_comes_out_whole(tmp_path, keys, pdfs):
    big = pdfs[0] + b"\n%" + os.urandom(5 << 20)  # a PDF followed by 5 MiB: several 1 MiB chunks
    doc = DocumentEntry(
        document_meta("H99.2025.06.1", "Bản vẽ"), "ban-ve.pdf", "application/pdf", lambda: io.BytesIO(big)
    )
    out = tmp_path / "p.zip"
    build_package(
        out, AGENCY, [DossierEntry(dossier_meta("000.00.02.H99.2025.06.VP", "Hồ sơ"), [doc])], sign_manifest=keys.seal
    )
    with zipfile.ZipFile(out) as zf:
        name = next(n for n in zf.namelist() if n.endswith("ban-ve.pdf"))
        assert hashlib.sha256(zf.read(name)).digest() == hashlib.sha256(big).digest()
    assert verify_package(out, trust_roots=keys.roots_pem).ok


def test_a_known_sha256_is_used_so_a_stored_file_gone_bad_is_caught_by_the_verifier(tmp_path, keys, pdfs):
    """The store keys the file by its SHA-256; the bytes read now differ (bit rot): the
    package carries the stored hash, and verifying it names the damaged file."""
    stored_sha = hashlib.sha256(pdfs[0]).hexdigest()
    rotten = bytearray(pdfs[0])
    rotten[100] ^= 0x01
    doc = DocumentEntry(
        document_meta("H99.2025.07.1", "Quyết định"),
        "qd.pdf",
        "application/pdf",
        lambda: io.BytesIO(bytes(rotten)),
        sha256=stored_sha,
    )
    out = tmp_path / "p.zip"
    dossier = DossierEntry(dossier_meta("000.00.02.H99.2025.07.VP", "Hồ sơ"), [doc])
    build_package(out, AGENCY, [dossier], sign_manifest=keys.seal)
    report = verify_package(out, trust_roots=keys.roots_pem)
    assert [(p.code, p.path.rsplit("/", 1)[-1]) for p in report.problems] == [("checksum-mismatch", "0000001_qd.pdf")]


class _ReadOnly:
    """A stream with ``read`` only (as some storage backends give): no ``readinto``."""

    def __init__(self, data: bytes) -> None:
        self._io = io.BytesIO(data)
        self.read = self._io.read

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._io.close()


def test_many_files_through_the_reused_buffers_keep_their_bytes_and_the_package_its_digest(tmp_path, keys, pdfs):
    """More files than the builder has read buffers, some larger than one: each comes out as
    it went in, the manifest's checksums match them, the package's digest matches the file."""
    datas = [pdfs[k % 3] + b"\n%" + os.urandom((k * 97_331) % (3 << 20)) for k in range(40)]
    docs = [
        DocumentEntry(
            document_meta(f"H99.2025.08.{k}", f"Văn bản {k}"),
            f"vb-{k}.pdf",
            "application/pdf",
            (lambda d=d: _ReadOnly(d)) if k % 4 == 0 else (lambda d=d: io.BytesIO(d)),
        )
        for k, d in enumerate(datas, 1)
    ]
    out = tmp_path / "p.zip"
    summary = build_package(
        out, AGENCY, [DossierEntry(dossier_meta("000.00.02.H99.2025.08.VP", "Hồ sơ"), docs)], sign_manifest=keys.seal
    )
    with zipfile.ZipFile(out) as zf:
        written = {n.rsplit("/", 1)[-1].split("_", 1)[1]: zf.read(n) for n in zf.namelist() if n.endswith(".pdf")}
    assert [written.get(f"vb-{k}.pdf") == d for k, d in enumerate(datas, 1)] == [True] * 40
    assert summary.package_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert verify_package(out, trust_roots=keys.roots_pem).ok
