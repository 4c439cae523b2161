"""Build a transfer package (gói nộp lưu), streamed: :func:`build_package`.

Memory stays bounded whatever the number of documents: each document's file is opened
through its ``open()`` callable and copied into the ZIP in 1 MiB chunks while its SHA-256 is
computed; the ZIP is written to a non-seekable wrapper (entries carry data descriptors,
ZIP64 where a size is unknown or large) that also hashes the package as it goes, so its
SHA-256 needs no second read. What is kept per file is its manifest line (path, size,
checksum). The documents' files are stored (PDFs and images are already compressed), the
XML and the list deflated. Layout: :mod:`vanban.archivepkg.layout`.
"""

from __future__ import annotations

import hashlib
import io
import queue
import re
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any, BinaryIO

from vanban.archivepkg import layout
from vanban.archivepkg import manifest as _manifest
from vanban.archivepkg.errors import ArchivePackageError, DuplicateEntry, MetadataError
from vanban.archivepkg.fieldmap import DOCUMENT_FIELDS, DOSSIER_FIELDS
from vanban.archivepkg.metadata import (
    COMPUTED_DOCUMENT,
    COMPUTED_DOSSIER,
    check_values,
    document_values,
    dossier_values,
    require_fields,
    to_xml,
)
from vanban.archivepkg.model import AgencyInfo, BuildSummary, DocumentEntry, DossierEntry
from vanban.archivepkg.mucluc import MucLucWriter
from vanban.archivepkg.zipstream import ZipStream
from vanban.signing import Signer, now_vn

__all__ = ["build_package", "CHUNK"]

CHUNK = 1 << 20
_ZIP64_FROM = 1 << 31
_DEPTH = 16
_SMALL = 64 << 10
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _HashPipe:
    """SHA-256 off the main thread, in order: hashlib releases the GIL on large buffers, so
    each file's hash and the package's run on a second core beside the copying. The queue
    is bounded (:data:`_DEPTH` items), so is the memory it holds.

    Files are read into a pool of :data:`_DEPTH` reusable buffers (:meth:`buffer`), handed
    back by the hashing thread once every hash of the chunk has seen them: no new memory
    per chunk, which for files of a few hundred KB cost more than the hashing (each fresh
    buffer is mapped and zeroed page by page, then unmapped). One queue item per chunk
    carries all its hashes and what to do after them."""

    def __init__(self) -> None:
        self.q: queue.Queue[tuple[tuple[Any, ...], Any, Callable[[], object] | None] | None] = queue.Queue(_DEPTH * 3)
        self.free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(_DEPTH):
            self.free.put(bytearray(CHUNK))
        self.thread = threading.Thread(target=self._run, name="archivepkg-sha256", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.q.get()) is not None:
            shas, data, after = item
            for sha in shas:
                sha.update(data)
            if after is not None:
                after()
            self.q.task_done()
        self.q.task_done()

    def buffer(self) -> bytearray:
        """A buffer of :data:`CHUNK` bytes to read into (waits while all are in the queue)."""
        return self.free.get()

    def update(self, shas: tuple[Any, ...], data: Any, after: Callable[[], object] | None = None) -> None:
        """Hash ``data`` into each of ``shas``, then call ``after`` (e.g. the buffer back to the pool)."""
        self.q.put((shas, data, after))

    def wait(self) -> None:
        """Every update so far has been applied."""
        self.q.join()

    def close(self) -> None:
        self.q.put(None)
        self.thread.join()


class _HashingSink(io.RawIOBase):
    """Write-only, non-seekable: passes bytes to ``out`` and hashes and counts them.

    The ZIP's small pieces (headers, descriptors, the central directory) are gathered and
    handed to the hashing thread in one piece, ahead of the next large write, so the thread
    is woken about once per file, not once per header."""

    abandoned = False  # a build that failed: nothing more is written

    def __init__(self, out: IO[bytes], pipe: _HashPipe) -> None:
        self.out = out
        self.pipe = pipe
        self.sha = hashlib.sha256()
        self.count = 0
        self.small = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: bytes) -> int:  # type: ignore[override]
        n = len(data)
        if self.abandoned:
            return n
        self.out.write(data)
        self.count += n
        if n < _SMALL:
            self.small += data
            if len(self.small) >= _SMALL:
                self._pass_small()
        else:
            self._pass_small()
            self.pipe.update((self.sha,), data)
        return n

    def write_chunk(self, data: Any, file_sha: Any, after: Callable[[], object] | None) -> None:
        """Write a chunk of a file's data: the package's hash and ``file_sha`` (if any) get
        it in one hand-off, then ``after`` runs on the hashing thread."""
        self.out.write(data)
        self.count += len(data)
        self._pass_small()
        self.pipe.update((self.sha,) if file_sha is None else (file_sha, self.sha), data, after)

    def _pass_small(self) -> None:
        if self.small:
            self.pipe.update((self.sha,), bytes(self.small))
            self.small.clear()

    def tell(self) -> int:
        return self.count

    def flush(self) -> None:
        self._pass_small()
        self.out.flush()


class _Writer:
    """The ZIP being written and the manifest lines collected for it."""

    def __init__(self, sink: _HashingSink, pipe: _HashPipe) -> None:
        moment = now_vn()
        date_time = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
        self.zip = ZipStream(sink, date_time)
        self.sink = sink
        self.pipe = pipe
        self.pending: list[tuple[str, int, Any, str, str, str]] = []  # path, size, sha, use, type, dossier
        self.names: set[str] = set()

    def entries(self) -> list[_manifest.ManifestEntry]:
        """The manifest lines of what was written so far (waits for the hashing)."""
        self.pipe.wait()
        return [
            _manifest.ManifestEntry(p, n, sha if isinstance(sha, str) else sha.hexdigest(), u, t, d)
            for p, n, sha, u, t, d in self.pending
        ]

    def _claim(self, name: str) -> None:
        if name in self.names:
            raise DuplicateEntry(f"Tệp “{name}” xuất hiện hai lần trong gói.", f"Entry {name} written twice.")
        self.names.add(name)

    def put(self, name: str, data: bytes, *, compress: bool = True) -> None:
        """An entry of ``data`` not listed in the manifest (the manifest itself)."""
        self._claim(name)
        self.zip.add(name, data, deflate=compress)

    def add_bytes(
        self, name: str, data: bytes, use: str, media_type: str, dossier: str = "", *, compress: bool = True
    ) -> None:
        self.put(name, data, compress=compress)
        self.pending.append((name, len(data), hashlib.sha256(data), use, media_type, dossier))

    def add_stream(
        self,
        name: str,
        src: BinaryIO,
        size: int | None,
        use: str,
        media_type: str,
        dossier: str = "",
        known_sha256: str | None = None,
    ) -> int:
        """Copy ``src`` into a stored entry; its CRC-32 is taken here on the bytes read, its
        SHA-256 (unless known) and the package's on the hashing thread."""
        self._claim(name)
        entry = self.zip.begin(name, zip64=size is None or size >= _ZIP64_FROM)
        file_sha = None if known_sha256 else hashlib.sha256()
        crc = count = 0
        readinto = getattr(src, "readinto", None)
        if readinto is None:  # a stream without readinto: a new bytes object per chunk
            while chunk := src.read(CHUNK):
                crc = zlib.crc32(chunk, crc)
                self.sink.write_chunk(chunk, file_sha, None)
                count += len(chunk)
        else:
            free = self.pipe.free
            while True:
                buf = self.pipe.buffer()
                n = readinto(buf)
                if not n:
                    free.put(buf)
                    break
                view = memoryview(buf)[:n]
                crc = zlib.crc32(view, crc)
                self.sink.write_chunk(view, file_sha, partial(free.put, buf))
                count += n
        try:
            self.zip.end(entry, crc, count, count)
        except ValueError:
            raise ArchivePackageError(
                f"Tệp “{name}” lớn hơn kích thước đã khai ({size} byte) và vượt 2 GiB.",
                f"{name}: {count} bytes, more than the declared {size} and over 2 GiB.",
                code="file-larger-than-declared",
            ) from None
        self.pending.append((name, count, known_sha256 or file_sha, use, media_type, dossier))
        return count


def _checked(values: dict[str, str], kind: str, what: str) -> bytes:
    """The XML of ``values``, once they pass the checks the verifier will make."""
    problems = check_values(values, kind)
    if problems:
        raise MetadataError(
            f"{what}: " + " ".join(vi for _code, vi, _en in problems),
            f"{what}: " + " ".join(en for _code, _vi, en in problems),
            details={"problems": [code for code, _vi, _en in problems]},
        )
    return to_xml(kind, values)


def _document(w: _Writer, doc: DocumentEntry, file_code: str, ordinal: int, maintenance: str) -> tuple[int, int]:
    """Write one document's file and ``EAD_doc``; ``(bytes, pages)``."""
    what = f"Tài liệu số {ordinal} của hồ sơ {file_code}"
    require_fields(doc.metadata, DOCUMENT_FIELDS, what, COMPUTED_DOCUMENT)
    md = _checked(
        document_values(doc.metadata, arc_doc_code=f"{file_code}.{ordinal:07d}", maintenance=maintenance),
        "document",
        what,
    )
    folder = layout.dossier_folder(file_code).split("/", 1)[1]
    known = doc.sha256.lower() if doc.sha256 else None
    if known is not None and not _SHA256.match(known):
        raise MetadataError(f"{what}: mã SHA-256 đã biết không hợp lệ.", f"{what}: bad known SHA-256.")
    try:
        src = doc.open()
    except OSError as exc:
        raise ArchivePackageError(
            f"{what}: không mở được tệp “{doc.file_name}” ({exc.strerror}).",
            f"{what}: cannot open {doc.file_name}: {exc}",
            code="file-unreadable",
        ) from None
    with src:
        size = w.add_stream(
            layout.document_data(file_code, ordinal, doc.file_name),
            src,
            doc.size,
            "data",
            doc.media_type,
            folder,
            known,
        )
    w.add_bytes(layout.document_metadata(file_code, ordinal), md, "metadata", "text/xml", folder, compress=False)
    try:
        pages = int(doc.metadata.get("PageAmount", "0") or 0)
    except ValueError:
        pages = 0
    return size, pages


def build_package(
    out: str | Path | IO[bytes],
    agency: AgencyInfo,
    dossiers: Iterable[DossierEntry],
    *,
    sign_manifest: Signer,
    year_label: str = "",
) -> BuildSummary:
    """Write the transfer package of ``dossiers`` to ``out`` (a path or a binary stream).

    ``sign_manifest`` is the agency seal's :class:`vanban.signing.Signer` (a key file, a
    PKCS#11 token or a remote signer): it signs the manifest's ``SignedInfo`` only.
    Raises :class:`~vanban.archivepkg.errors.MetadataError` for a dossier or document
    missing a required field; a package written to a path is then removed, one written to
    a stream is left incomplete (check the dossiers first). ``year_label`` heads the mục lục (e.g. ``"năm 2025"``).
    """
    if isinstance(out, (str, Path)):
        try:
            with open(out, "wb") as fh:
                return build_package(fh, agency, dossiers, sign_manifest=sign_manifest, year_label=year_label)
        except BaseException:
            Path(out).unlink(missing_ok=True)  # no half-written package left behind
            raise
    pipe = _HashPipe()  # one thread: with the main one, as many as the two cores we plan for
    sink = _HashingSink(out, pipe)
    w = _Writer(sink, pipe)
    muc_luc = MucLucWriter(agency, year_label)
    try:
        counts = _write_all(w, muc_luc, dossiers, sign_manifest, agency)
        sink.flush()
    except BaseException:
        sink.abandoned = True
        muc_luc.discard()
        raise
    finally:
        pipe.close()
    n_dossiers, n_docs, content = counts
    return BuildSummary(
        dossiers=n_dossiers,
        documents=n_docs,
        entries=len(w.pending) + 1,
        content_bytes=content,
        package_bytes=sink.count,
        package_sha256=sink.sha.hexdigest(),
        signer_subject=sign_manifest.certificate.subject.rfc4514_string(),
    )


def _write_all(
    w: _Writer, muc_luc: MucLucWriter, dossiers: Iterable[DossierEntry], signer: Signer, agency: AgencyInfo
) -> tuple[int, int, int]:
    folders: set[str] = set()
    n_dossiers = n_docs = content = 0
    for dossier in dossiers:
        meta = dossier.metadata
        require_fields(meta, DOSSIER_FIELDS, f"Hồ sơ số {n_dossiers + 1}", COMPUTED_DOSSIER)
        file_code = str(meta["FileCode"]).strip()
        folder = layout.dossier_folder(file_code)
        if folder in folders:
            raise DuplicateEntry(
                f"Hai hồ sơ cùng mã “{file_code}”.", f"Two dossiers share the code {file_code}.", details=[file_code]
            )
        folders.add(folder)
        maintenance = str(meta.get("Maintenance", ""))
        docs = pages = 0
        for doc in dossier.documents:
            docs += 1
            size, doc_pages = _document(w, doc, file_code, docs, maintenance)
            content += size
            pages += doc_pages
        md = _checked(dossier_values(meta, doc_total=docs, page_total=pages), "dossier", f"Hồ sơ {file_code}")
        w.add_bytes(
            layout.dossier_metadata(file_code), md, "metadata", "text/xml", folder.split("/", 1)[1], compress=False
        )
        muc_luc.add(meta, documents=docs, pages=pages)
        n_dossiers += 1
        n_docs += docs
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as tmp:
        muc_luc.save(tmp)
        tmp.seek(0)
        w.add_stream(layout.MUC_LUC, tmp, None, "mucluc", _XLSX)  # type: ignore[arg-type]
    sums = "".join(f"{e.sha256}  {e.path}\n" for e in w.entries()).encode("utf-8")
    w.add_bytes(layout.CHECKSUMS, sums, "checksums", "text/plain")
    root = _manifest.build_manifest(agency, w.entries(), now_vn().isoformat(timespec="seconds"))
    signed = _manifest.sign_manifest(root, signer)
    w.put(layout.MANIFEST, signed)
    w.zip.close()
    return n_dossiers, n_docs, content


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
