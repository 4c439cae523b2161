"""The archive on disk: a tar file (``.tar``, or ``.tar.gz`` / ``.tgz`` compressed) or a
folder, with the same member names. Writing goes to ``<name>.partial`` first and is renamed
at the end, so a name that exists is a finished archive. Reading is bounded: only regular
files under names of the expected forms (no absolute path, no ``..``, no link, no device),
each member read at most to the size the manifest declares."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from vanban.backup.errors import ArchiveCorrupt, ArchiveUnsafe, BackupError
from vanban.storage import NAMESPACES

__all__ = ["ArchiveWriter", "ArchiveReader", "open_writer", "open_reader", "check_name", "MANIFEST", "CHUNK"]

MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024
_NS = "|".join(NAMESPACES)
_NAMES = (
    re.compile(r"manifest\.json"),
    re.compile(r"db/[a-z0-9_]+\.[a-z0-9_]+\.jsonl"),
    re.compile(rf"files/(?:{_NS})/[0-9a-f]{{2}}/[0-9a-f]{{2}}/[0-9a-f]{{64}}"),
    re.compile(r"var(?:/[^/\\\x00-\x1f\x7f]+)+"),
)


def check_name(name: str) -> str:
    """``name`` if it is a member name this format uses; :class:`ArchiveUnsafe` otherwise."""
    parts = name.split("/")
    if not any(p.fullmatch(name) for p in _NAMES) or any(p in ("", ".", "..") for p in parts):
        raise ArchiveUnsafe(
            f"tên thành phần không hợp lệ {name[:200]!r} (chỉ chấp nhận đường dẫn tương đối, không có “..”).",
            f"member name not allowed: {name[:200]!r}.",
        )
    return name


def _is_tar(path: Path) -> bool:
    return path.name.endswith((".tar", ".tar.gz", ".tgz"))


class _Hashing(io.RawIOBase):
    """A write-through file that counts and hashes what passes."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.hash, self.size = raw, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.raw.write(data)
        self.hash.update(data)
        self.size += len(data)
        return len(data)


class ArchiveWriter:
    """Members written one after another; :meth:`close` makes the archive appear."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if self.path.exists():
            raise BackupError(
                f"Đã có {self.path}: hãy chọn tên khác (không ghi đè bản sao lưu cũ).",
                f"{self.path} exists: choose another name.",
                code="backup_target_exists",
            )
        self.partial = self.path.with_name(self.path.name + ".partial")
        if self.partial.exists():
            shutil.rmtree(self.partial) if self.partial.is_dir() else self.partial.unlink()
        self.tar: tarfile.TarFile | None = None
        self._file: IO[bytes] | None = None
        if _is_tar(self.path):
            # private to the service account: the archive holds every document and key file
            self._file = os.fdopen(os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
            mode = "w:gz" if self.path.name.endswith(("gz", "tgz")) else "w"
            self.tar = tarfile.open(fileobj=self._file, mode=mode, format=tarfile.PAX_FORMAT)  # type: ignore[call-overload]
        else:
            self.partial.mkdir(parents=True, mode=0o700)

    def add_stream(self, name: str, source: BinaryIO, size: int) -> tuple[str, int]:
        """Copy ``size`` bytes of ``source`` under ``name``; their digest and size."""
        if self.tar is not None:
            info = tarfile.TarInfo(check_name(name))
            info.size, info.mode, info.mtime = size, 0o600, int(time.time())
            hashing = _HashingReader(source)
            self.tar.addfile(info, hashing)
            return hashing.hash.hexdigest(), hashing.size
        target = self.partial / check_name(name)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            out = _Hashing(fh)
            shutil.copyfileobj(source, out, CHUNK)
        return out.hash.hexdigest(), out.size

    def add_spooled(self, name: str) -> _Spool:
        """A file to write a member into (its size known only at the end)."""
        return _Spool(self, name)

    def close(self) -> None:
        if self.tar is not None and self._file is not None:
            self.tar.close()
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        if self.tar is not None and self._file is not None:
            self.tar.close()
            self._file.close()
        if self.partial.is_dir():
            shutil.rmtree(self.partial, ignore_errors=True)
        elif self.partial.exists():
            self.partial.unlink()


class _HashingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.hash, self.size = raw, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.hash.update(data)
        self.size += len(data)
        return data


class _Spool:
    """Written to a temporary file, added to the archive on :meth:`finish`."""

    def __init__(self, writer: ArchiveWriter, name: str) -> None:
        self.writer, self.name = writer, name
        self.file = tempfile.TemporaryFile()

    def write(self, data: bytes) -> int:
        return self.file.write(data)

    def finish(self) -> tuple[str, int]:
        size = self.file.tell()
        self.file.seek(0)
        try:
            return self.writer.add_stream(self.name, self.file, size)
        finally:
            self.file.close()


def open_writer(path: Path) -> ArchiveWriter:
    return ArchiveWriter(path)


class ArchiveReader:
    """Members of a tar file or a folder, by name, checked for safety when listed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.tar: tarfile.TarFile | None = None
        self.members: dict[str, int] = {}
        self._infos: dict[str, tarfile.TarInfo] = {}
        if self.path.is_dir():
            self._list_folder()
        elif self.path.is_file():
            try:
                self.tar = tarfile.open(self.path, "r:*")
                self._list_tar()
            except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
                raise ArchiveCorrupt(f"không đọc được tệp tar ({exc}).", f"unreadable tar file ({exc}).") from exc
        else:
            raise BackupError(
                f"Không có bản sao lưu {self.path}.", f"No backup at {self.path}.", code="backup_not_found"
            )

    def _add(self, name: str, size: int) -> None:
        check_name(name)
        if name in self.members:
            raise ArchiveUnsafe(f"thành phần {name} xuất hiện hai lần.", f"member {name} appears twice.")
        self.members[name] = size

    def _list_tar(self) -> None:
        """Regular files only; folders (``tar cf x.tar -C folder .`` makes them) are passed
        over, as is a leading ``./``; links and devices are refused."""
        assert self.tar is not None
        for info in self.tar:
            name = info.name.removeprefix("./")
            if info.isdir():
                if name.rstrip("/") not in ("", "."):
                    check_name("var/" + name.rstrip("/"))  # a folder name without "..", not absolute
                continue
            if not info.isreg():
                kind = "liên kết" if info.issym() or info.islnk() else "tệp đặc biệt"
                raise ArchiveUnsafe(
                    f"thành phần {info.name[:200]!r} là {kind}, không phải tệp thường.",
                    f"member {info.name[:200]!r} is not a regular file.",
                )
            self._add(name, info.size)
            self._infos[name] = info

    def _list_folder(self) -> None:
        root = self.path
        for folder, dirs, files in os.walk(root, followlinks=False):
            for d in dirs:
                if os.path.islink(os.path.join(folder, d)):
                    raise ArchiveUnsafe(f"{d} là liên kết.", f"{d} is a symbolic link.")
            for f in files:
                full = os.path.join(folder, f)
                st = os.lstat(full)
                name = Path(full).relative_to(root).as_posix()
                if not os.path.isfile(full) or os.path.islink(full):
                    raise ArchiveUnsafe(f"{name} không phải tệp thường.", f"{name} is not a regular file.")
                self._add(name, st.st_size)

    def open(self, name: str, size: int) -> BinaryIO:
        """The member ``name``, which must be ``size`` bytes long (as the manifest says)."""
        if name not in self.members:
            raise ArchiveCorrupt(f"thiếu thành phần {name}.", f"member {name} is missing.")
        if self.members[name] != size:
            raise ArchiveCorrupt(
                f"thành phần {name} có {self.members[name]} byte, bản kê ghi {size} byte.",
                f"member {name} is {self.members[name]} bytes, the manifest says {size}.",
            )
        if self.tar is not None:
            fh = self.tar.extractfile(self._infos[name])
            assert fh is not None
            return fh  # type: ignore[return-value]
        return open(self.path / name, "rb")

    def read_manifest(self) -> bytes:
        size = self.members.get(MANIFEST)
        if size is None:
            raise ArchiveCorrupt("không có bản kê manifest.json.", "no manifest.json.")
        if size > MANIFEST_MAX_BYTES:
            raise ArchiveCorrupt("bản kê quá lớn.", "the manifest is too large.")
        with self.open(MANIFEST, size) as fh:
            return fh.read(size + 1)

    def chunks(self, name: str, size: int) -> Iterator[bytes]:
        """The bytes of ``name`` in chunks, exactly ``size`` of them."""
        left = size
        with self.open(name, size) as fh:
            while left > 0:
                chunk = fh.read(min(CHUNK, left))
                if not chunk:
                    raise ArchiveCorrupt(f"thành phần {name} bị cắt cụt.", f"member {name} is truncated.")
                left -= len(chunk)
                yield chunk

    def close(self) -> None:
        if self.tar is not None:
            self.tar.close()


def open_reader(path: Path) -> ArchiveReader:
    return ArchiveReader(path)
