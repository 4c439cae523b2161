"""The package's own ZIP writer writes what :mod:`zipfile` writes to a stream it cannot seek,
byte for byte: stored and deflated entries, a Vietnamese name, an entry opened as ZIP64,
and the ZIP64 records of offsets past 4 GiB."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import pytest

from vanban.archivepkg.zipstream import ZIP64_LIMIT, ZipStream

WHEN = (2025, 12, 30, 16, 45, 31)
ENTRIES = [  # name, data, deflate, zip64
    ("hoso/000.00.02.H99.2025.01.VP/representations/rep1/data/0000001_qd.pdf", os.urandom(70_000), False, False),
    ("hoso/000.00.02.H99.2025.01.VP/metadata/descriptive/EAD.xml", b"<EAD>" + b"x" * 9000 + b"</EAD>", True, False),
    ("hoso/000.00.02.H99.2025.01.VP/representations/rep1/data/0000002_quyết định.pdf", b"%PDF-1.7", False, False),
    ("muc-luc-ho-so.xlsx", os.urandom(3000), False, True),
    ("checksums.sha256", b"", True, False),
]


class _Stream(io.RawIOBase):
    """Write-only, not seekable, as the builder's sink; ``before`` bytes count as written
    already (not kept), so offsets can pass 4 GiB without writing them."""

    def __init__(self, before: int = 0) -> None:
        self.data = bytearray()
        self.before = before

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b) -> int:  # type: ignore[no-untyped-def]
        self.data += b
        return len(b)

    def tell(self) -> int:
        return self.before + len(self.data)


def _with_zipfile(sink: _Stream) -> bytes:
    with zipfile.ZipFile(sink, "w", allowZip64=True) as zf:
        for name, data, deflate, zip64 in ENTRIES:
            info = zipfile.ZipInfo(name, WHEN)
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            info.external_attr = 0o640 << 16
            with zf.open(info, "w", force_zip64=zip64) as dst:
                dst.write(data)
    return bytes(sink.data)


def _with_zipstream(sink: _Stream) -> bytes:
    zs = ZipStream(sink, WHEN)
    for name, data, deflate, zip64 in ENTRIES:
        if zip64:
            entry = zs.begin(name, zip64=True)
            sink.write(data)
            zs.end(entry, zlib.crc32(data), len(data), len(data))
        else:
            zs.add(name, data, deflate=deflate)
    zs.close()
    return bytes(sink.data)


def test_the_entries_are_the_bytes_zipfile_writes():
    written = _with_zipstream(_Stream())
    assert written == _with_zipfile(_Stream())
    with zipfile.ZipFile(io.BytesIO(written)) as zf:
        assert zf.testzip() is None
        assert [zf.read(name) for name, *_ in ENTRIES] == [data for _name, data, *_ in ENTRIES]


def test_offsets_past_4_gib_get_the_zip64_records_zipfile_writes():
    before = 5 << 30  # as if 5 GiB of entries came first
    assert _with_zipstream(_Stream(before)) == _with_zipfile(_Stream(before))


def test_an_entry_not_begun_as_zip64_refuses_more_than_2_gib():
    zs = ZipStream(_Stream(), WHEN)
    entry = zs.begin("lon.pdf")
    with pytest.raises(ValueError):
        zs.end(entry, 0, ZIP64_LIMIT + 1, ZIP64_LIMIT + 1)
