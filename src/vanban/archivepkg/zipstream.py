"""A ZIP written front to back, for :mod:`vanban.archivepkg.builder`: :class:`ZipStream`.

It writes what :class:`zipfile.ZipFile` writes to a non-seekable stream, byte for byte (the
tests compare them): each entry's local header carries flag 3 (sizes and CRC-32 follow the
data, in a data descriptor), an entry opened as ZIP64 gets the ZIP64 extra field and an
8-byte descriptor, the central directory gives an entry's sizes and offset in a ZIP64 extra
field once they pass 2 GiB, and ZIP64 end records follow when the count, offset or size of
the directory needs them. The caller computes each entry's CRC-32 (the builder does it on
the bytes it already holds, once) and writes the data itself: the stream does no copying
and keeps one small record per entry.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ZipStream", "ZipEntry", "ZIP64_LIMIT"]

ZIP64_LIMIT = (1 << 31) - 1  # as zipfile: a size or offset above this needs ZIP64
_FILECOUNT_LIMIT = (1 << 16) - 1
_DEFAULT_VERSION = 20
_ZIP64_VERSION = 45
_CREATE_SYSTEM = 3  # Unix, as zipfile on it
_STORED, _DEFLATED = 0, 8
_DATA_DESCRIPTOR = 0x08
_UTF8_NAME = 0x800
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")


class _Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...

    def tell(self) -> int: ...


@dataclass
class ZipEntry:
    """One entry: what its central directory record needs."""

    name: bytes
    flags: int
    method: int
    zip64: bool
    offset: int
    external_attr: int
    crc: int = 0
    compressed: int = 0
    size: int = 0


class ZipStream:
    """Entries written in order to ``sink`` (anything with ``write`` and ``tell``).

    :meth:`begin` writes an entry's local header; the caller then writes its data to the
    sink and calls :meth:`end` with the CRC-32 and sizes; :meth:`add` does both for bytes
    in memory. :meth:`close` writes the central directory."""

    def __init__(self, sink: _Sink, date_time: tuple[int, int, int, int, int, int]) -> None:
        self.sink = sink
        y, mo, d, h, mi, s = date_time
        self._dos = ((h << 11 | mi << 5 | s // 2), ((y - 1980) << 9 | mo << 5 | d))
        self.entries: list[ZipEntry] = []

    def begin(self, name: str, *, deflate: bool = False, zip64: bool = False, mode: int = 0o640) -> ZipEntry:
        """Write the local header of ``name``; ``zip64`` for data that may pass 2 GiB."""
        try:
            raw, flags = name.encode("ascii"), _DATA_DESCRIPTOR
        except UnicodeEncodeError:
            raw, flags = name.encode("utf-8"), _DATA_DESCRIPTOR | _UTF8_NAME
        method = _DEFLATED if deflate else _STORED
        entry = ZipEntry(raw, flags, method, zip64, self.sink.tell(), mode << 16)
        extra = struct.pack("<HHQQ", 1, 16, 0, 0) if zip64 else b""
        version = _ZIP64_VERSION if zip64 else _DEFAULT_VERSION
        size = 0xFFFFFFFF if zip64 else 0
        tm, dt = self._dos
        header = _LOCAL.pack(b"PK\x03\x04", version, 0, flags, method, tm, dt, 0, size, size, len(raw), len(extra))
        self.sink.write(header + raw + extra)
        self.entries.append(entry)
        return entry

    def end(self, entry: ZipEntry, crc: int, compressed: int, size: int) -> None:
        """Write ``entry``'s data descriptor (its data has just been written)."""
        if not entry.zip64 and (size > ZIP64_LIMIT or compressed > ZIP64_LIMIT):
            raise ValueError(f"{entry.name!r}: {size} bytes need an entry begun with zip64=True")
        entry.crc, entry.compressed, entry.size = crc, compressed, size
        fmt = "<4sLQQ" if entry.zip64 else "<4sLLL"
        self.sink.write(struct.pack(fmt, b"PK\x07\x08", crc, compressed, size))

    def add(self, name: str, data: bytes, *, deflate: bool = False) -> None:
        """One entry of ``data`` (deflated as zipfile does it, or stored)."""
        entry = self.begin(name, deflate=deflate, zip64=len(data) > ZIP64_LIMIT)
        body = data
        if deflate:
            squeeze = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            body = squeeze.compress(data) + squeeze.flush()
        self.sink.write(body)
        self.end(entry, zlib.crc32(data), len(body), len(data))

    def close(self) -> None:
        """Write the central directory and the end records."""
        start = self.sink.tell()
        tm, dt = self._dos
        for e in self.entries:
            extra64: list[int] = []
            size, compressed, offset = e.size, e.compressed, e.offset
            if size > ZIP64_LIMIT or compressed > ZIP64_LIMIT:
                extra64 += [size, compressed]
                size = compressed = 0xFFFFFFFF
            if offset > ZIP64_LIMIT:
                extra64.append(offset)
                offset = 0xFFFFFFFF
            extra = struct.pack(f"<HH{len(extra64)}Q", 1, 8 * len(extra64), *extra64) if extra64 else b""
            version = _ZIP64_VERSION if (extra64 or e.zip64) else _DEFAULT_VERSION
            record = _CENTRAL.pack(
                b"PK\x01\x02",
                version,
                _CREATE_SYSTEM,
                version,
                0,
                e.flags,
                e.method,
                tm,
                dt,
                e.crc,
                compressed,
                size,
                len(e.name),
                len(extra),
                0,
                0,
                0,
                e.external_attr,
                offset,
            )
            self.sink.write(record + e.name + extra)
        end = self.sink.tell()
        count, length = len(self.entries), end - start
        tail = b""
        if count > _FILECOUNT_LIMIT or start > ZIP64_LIMIT or length > ZIP64_LIMIT:
            tail += _END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, length, start)
            tail += _LOCATOR64.pack(b"PK\x06\x07", 0, end, 1)
            count, length, start = min(count, 0xFFFF), min(length, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
        self.sink.write(tail + _END.pack(b"PK\x05\x06", 0, 0, count, count, length, start, 0))
