"""Build a transfer package (gói nộp lưu), streamed: :func:`build_package`.

Memory stays bounded whatever the number of documents. A document given as a plain file
(``open(path, "rb")``, as the long-term validation step gives its output) is mapped a
window of :data:`_WINDOW` bytes at a time: its CRC-32, the write into the ZIP and the
SHA-256s read the page cache where it lies, with no copy into a buffer. Any other stream
(the blob store's reader, which checks the digest as it reads) is read in 1 MiB chunks into
a pool of reused buffers. Each file's SHA-256 (unless the caller knows it) and the
package's run on one hashing thread beside the copying. The ZIP is written front to back by
:class:`~vanban.archivepkg.zipstream.ZipStream` (entries carry data descriptors, ZIP64
where a size is unknown or large: what :mod:`zipfile` writes to a stream), through a sink
that also hashes the package as it goes, so its SHA-256 needs no second read. What is kept
per file is its manifest line (path, size, checksum). The documents' files are stored (PDFs
and images are already compressed), the document and dossier XML stored too, the checksums
and the manifest deflated. Layout: :mod:`vanban.archivepkg.layout`.
"""

from __future__ import annotations

import hashlib
import io
import mmap
import os
import queue
import re
import stat
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
_SLOTS = _DEPTH * 3
_WINDOW = 4 * CHUNK  # a plain file is mapped this much at a time
_SMALL = 64 << 10
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


_Update = tuple[Any, Any]  # (a hashlib object, bytes or a buffer to feed it)


class _HashPipe:
    """SHA-256 off the main thread, in order: hashlib releases the GIL on large buffers, so
    each file's hash and the package's run on a second core beside the copying. An item
    carries every hash a chunk needs and what to do once they have seen it (the buffer back
    to the pool, the file window unmapped). At most :data:`_SLOTS` items wait (a token per
    item), so the memory they hold stays bounded.

    Files that are not plain files are read into a pool of :data:`_DEPTH` reusable buffers
    (:meth:`buffer`): no new memory per chunk, which for files of a few hundred KB cost more
    than the hashing (each fresh buffer is mapped and zeroed page by page, then unmapped).
    The queues are :class:`queue.SimpleQueue` (C): a hand-off costs no Python lock."""

    def __init__(self) -> None:
        self.q: queue.SimpleQueue[tuple[tuple[_Update, ...], Callable[[], object] | None] | None] = queue.SimpleQueue()
        self.slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(_SLOTS):
            self.slots.put(None)
        self.free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(_DEPTH):
            self.free.put(bytearray(CHUNK))
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="archivepkg-sha256", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.q.get()) is not None:
            updates, after = item
            try:
                if self.failed is None:
                    for sha, data in updates:
                        sha.update(data)
            except BaseException as exc:  # pragma: no cover - hashlib does not fail on bytes
                self.failed = exc
            finally:
                if after is not None:
                    after()
                self.slots.put(None)

    def buffer(self) -> bytearray:
        """A buffer of :data:`CHUNK` bytes to read into (waits while all are in the queue)."""
        return self.free.get()

    def update(self, updates: tuple[_Update, ...], after: Callable[[], object] | None = None) -> None:
        """Feed each ``(sha, data)`` of ``updates`` in order, then call ``after``."""
        self.slots.get()
        self.q.put((updates, after))

    def wait(self) -> None:
        """Every update so far has been applied."""
        done = threading.Event()
        self.update((), done.set)
        done.wait()
        if self.failed is not None:
            raise self.failed

    def close(self) -> None:
        self.q.put(None)
        self.thread.join()


class _HashingSink(io.RawIOBase):
    """Write-only, non-seekable: passes bytes to ``out`` and hashes and counts them.

    The ZIP's small pieces (headers, descriptors, the central directory) are gathered and
    handed to the hashing thread with the next chunk of file data, so the thread is woken
    about once per chunk, not once per header."""

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
                self.pipe.update(((self.sha, self._take_small()),))
        else:
            self.pipe.update(((self.sha, self._take_small()), (self.sha, data)))
        return n

    def write_chunk(self, data: Any, file_sha: Any, after: Callable[[], object] | None) -> None:
        """Write a chunk of a file's data: the package's hash and ``file_sha`` (if any) get
        it in one hand-off, then ``after`` runs on the hashing thread."""
        self.out.write(data)
        self.count += len(data)
        updates: tuple[_Update, ...] = ((self.sha, self._take_small()),) if self.small else ()
        if file_sha is not None:
            updates += ((file_sha, data),)
        self.pipe.update(updates + ((self.sha, data),), after)

    def _take_small(self) -> bytes:
        small = bytes(self.small)
        self.small.clear()
        return small

    def tell(self) -> int:
        return self.count

    def flush(self) -> None:
        if self.small:
            self.pipe.update(((self.sha, self._take_small()),))
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
        plain = _plain_file(src)
        if plain is not None:
            size = plain[2] - plain[1]
        entry = self.zip.begin(name, zip64=size is None or size >= _ZIP64_FROM)
        file_sha = None if known_sha256 else hashlib.sha256()
        copied = self._copy_mapped(*plain, file_sha) if plain is not None else None
        crc, count = copied if copied is not None else self._copy_read(src, file_sha)
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

    def _copy_mapped(self, fd: int, at: int, end: int, file_sha: Any) -> tuple[int, int] | None:
        """A plain file's bytes from ``at`` to ``end``, mapped a window at a time: the CRC-32,
        the write and the hashes read the page cache where it lies, no copy into a buffer. A
        window takes a pool buffer as its token (the buffer unused), so at most
        :data:`_DEPTH` windows are mapped at once. ``None`` if the file cannot be mapped
        (nothing written yet: the caller reads it instead)."""
        crc = 0
        start = at
        while at < end:
            token = self.pipe.buffer()
            base = at - at % mmap.ALLOCATIONGRANULARITY
            length = min(end - base, _WINDOW)
            try:
                mapped = mmap.mmap(fd, length, flags=_MAP_FLAGS, prot=mmap.PROT_READ, offset=base)
            except OSError as exc:
                self.pipe.free.put(token)
                if at == start:
                    return None
                raise ArchivePackageError(
                    f"Không đọc tiếp được tệp ({exc.strerror}).", f"Cannot read on: {exc}", code="file-unreadable"
                ) from None
            view = memoryview(mapped)[at - base :]
            crc = zlib.crc32(view, crc)
            self.sink.write_chunk(view, file_sha, partial(_unmap, view, mapped, self.pipe.free, token))
            at = base + length
        return crc, at - start

    def _copy_read(self, src: BinaryIO, file_sha: Any) -> tuple[int, int]:
        """Any other stream, read in chunks into the pool's buffers (or ``read`` without ``readinto``)."""
        crc = count = 0
        readinto = getattr(src, "readinto", None)
        if readinto is None:  # a new bytes object per chunk
            while chunk := src.read(CHUNK):
                crc = zlib.crc32(chunk, crc)
                self.sink.write_chunk(chunk, file_sha, None)
                count += len(chunk)
            return crc, count
        free = self.pipe.free
        while True:
            buf = self.pipe.buffer()
            n = readinto(buf)
            if not n:
                free.put(buf)
                return crc, count
            view = memoryview(buf)[:n]
            crc = zlib.crc32(view, crc)
            self.sink.write_chunk(view, file_sha, partial(free.put, buf))
            count += n


_MAP_FLAGS = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)  # populate: one fault per window, not per page


def _plain_file(src: BinaryIO) -> tuple[int, int, int] | None:
    """``(fd, position, end)`` of a regular file opened as ``open(path, "rb")`` (buffered or
    not); ``None`` for anything else, e.g. the blob store's reader that checks the digest as
    it reads, which must be read through."""
    raw = src.raw if type(src) is io.BufferedReader else src
    if type(raw) is not io.FileIO:
        return None
    try:
        fd = raw.fileno()
        st = os.fstat(fd)
        at = src.tell()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode) or not at < st.st_size:  # empty by its size (maybe /proc): read it
        return None
    return fd, at, st.st_size


def _unmap(view: memoryview, mapped: mmap.mmap, free: queue.SimpleQueue[bytearray], token: bytearray) -> None:
    """On the hashing thread, once every hash has seen the window."""
    view.release()
    try:
        mapped.close()
    except BufferError:  # pragma: no cover - a view still held: unmapped when collected
        pass
    free.put(token)


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
