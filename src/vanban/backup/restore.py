"""``verify_archive`` and ``restore_backup``: an archive checked member by member against
its manifest (every SHA-256 and size) before anything is written, then its files put in the
store and its rows loaded in one transaction, on an empty target (migrated, no data) unless
``force``. The search engine's own part is rebuilt from the restored entries and the
tables' next ids put back (PostgreSQL sequences, SQLite's ``sqlite_sequence``)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from vanban.backup.archive import ArchiveReader, check_name, open_reader
from vanban.backup.create import FORMAT, FORMAT_VERSION, secret_check
from vanban.backup.errors import ArchiveCorrupt, ArchiveUnsafe, BackupError, SchemaMismatch, TargetNotEmpty
from vanban.backup.references import PATH_FIELDS, SEEDED_TABLES
from vanban.backup.rows import dumped_models, insert_rows, read_table
from vanban.backup.sequences import restore_sequences
from vanban.storage import key_for, store

__all__ = ["verify_archive", "restore_backup", "RestoreReport"]

Progress = Callable[[str], None]


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    files: int = 0
    warnings: list[str] = field(default_factory=list)


def _corrupt(vi: str, en: str) -> ArchiveCorrupt:
    return ArchiveCorrupt(vi, en)


def _manifest(reader: ArchiveReader) -> dict[str, Any]:
    try:
        manifest = json.loads(reader.read_manifest())
    except (ValueError, UnicodeDecodeError) as exc:
        raise _corrupt("bản kê manifest.json không phải JSON hợp lệ.", f"manifest.json is not JSON ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _corrupt("không phải bản sao lưu của vanban.", "not a vanban backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu dạng {manifest.get('format_version')!r}, phiên bản này đọc dạng {FORMAT_VERSION}.",
            f"Backup format {manifest.get('format_version')!r}; this version reads {FORMAT_VERSION}.",
            code="backup_format_unknown",
        )
    return manifest


def _expected(manifest: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Member name -> (sha256, size), as the manifest declares; the manifest's own entries checked."""
    out: dict[str, tuple[str, int]] = {}
    try:
        entries = [(t["member"], t["sha256"], t["size"]) for t in manifest["tables"]]
        entries += [
            (f"files/{f['namespace']}/{key_for(f['sha256'])}", f["sha256"], f["size"]) for f in manifest["files"]
        ]
        entries += [(f["member"], f["sha256"], f["size"]) for f in manifest["var_files"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise _corrupt("bản kê thiếu thông tin hoặc sai dạng.", f"the manifest is malformed ({exc}).") from exc
    for name, sha, size in entries:
        check_name(name)
        if not isinstance(size, int) or size < 0 or not isinstance(sha, str):
            raise _corrupt(f"kích thước hoặc mã băm của {name} không hợp lệ.", f"bad size or digest for {name}.")
        if name in out:
            raise _corrupt(f"bản kê ghi {name} hai lần.", f"the manifest lists {name} twice.")
        out[name] = (sha, size)
    return out


def _check_members(reader: ArchiveReader, expected: dict[str, tuple[str, int]], say: Progress) -> None:
    extra = sorted(set(reader.members) - set(expected) - {"manifest.json"})
    if extra:
        raise _corrupt(f"có thành phần không ghi trong bản kê: {extra[0]}.", f"member not in the manifest: {extra[0]}.")
    total = len(expected)
    for i, (name, (sha, size)) in enumerate(expected.items(), 1):
        digest = hashlib.sha256()
        for chunk in reader.chunks(name, size):
            digest.update(chunk)
        if digest.hexdigest() != sha:
            raise _corrupt(
                f"nội dung của {name} không khớp mã SHA-256 trong bản kê.",
                f"the content of {name} does not match its SHA-256 in the manifest.",
            )
        if i % 200 == 0 or i == total:
            say(f"Đã kiểm tra {i}/{total} thành phần")


def verify_archive(path: str | Path, progress: Progress | None = None) -> dict[str, Any]:
    """Check every member of the archive against its manifest; the manifest. Writes nothing."""
    reader = open_reader(Path(path))
    try:
        manifest = _manifest(reader)
        _check_members(reader, _expected(manifest), progress or (lambda m: None))
        return manifest
    finally:
        reader.close()


def _check_schema(manifest: dict[str, Any]) -> None:
    theirs = {f"{a}.{n}" for a, n in manifest["database"]["migrations"]}
    ours = {f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()}
    if theirs != ours:
        raise SchemaMismatch(sorted(theirs - ours), sorted(ours - theirs))


def _target_path(entry: dict[str, Any]) -> Path:
    """Where a ``var/...`` member goes: under this installation's data folder, never outside
    it (a link already in the folder does not lead out either)."""
    rel = check_name(entry["member"]).removeprefix("var/")
    root = Path(settings.VAR_DIR).resolve()
    if rel.startswith("files-dir/"):
        root, rel = Path(settings.FILES_DIR).resolve(), rel.removeprefix("files-dir/")
    target = root / rel
    if not target.resolve().is_relative_to(root):
        raise ArchiveUnsafe(f"{entry['member']} dẫn ra ngoài thư mục dữ liệu.", f"{entry['member']} leads outside.")
    return target


def _non_empty(models_: list, manifest: dict[str, Any]) -> list[str]:
    found = [m._meta.db_table for m in models_ if m._meta.db_table not in SEEDED_TABLES and m._base_manager.exists()]
    for entry in manifest["var_files"]:
        target = _target_path(entry)
        if target.exists() and _sha_of(target) != entry["sha256"]:
            found.append(str(target))
    return found


def _sha_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_files(reader: ArchiveReader, manifest: dict[str, Any], say: Progress) -> int:
    total = len(manifest["files"])
    for i, f in enumerate(manifest["files"], 1):
        name = f"files/{f['namespace']}/{key_for(f['sha256'])}"
        data = b"".join(reader.chunks(name, f["size"]))
        if hashlib.sha256(data).hexdigest() != f["sha256"]:  # changed since it was checked
            raise _corrupt(f"nội dung của {name} đã thay đổi.", f"{name} changed while being restored.")
        store(f["namespace"]).put(data, f["sha256"])
        if i % 100 == 0 or i == total:
            say(f"Đã chép {i}/{total} tệp vào kho")
    for entry in manifest["var_files"]:
        target = _target_path(entry)
        data = b"".join(reader.chunks(entry["member"], entry["size"]))
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise _corrupt(f"nội dung của {entry['member']} đã thay đổi.", f"{entry['member']} changed.")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.with_name(f".{target.name}.restoring")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    return total + len(manifest["var_files"])


def _lines(reader: ArchiveReader, name: str, size: int, sha256: str) -> Iterator[bytes]:
    """The member's lines (linear time, however long a line is); at the end its digest is
    checked again, so a member changed since it was verified rolls the load back."""
    digest = hashlib.sha256()
    pending: list[bytes] = []
    for chunk in reader.chunks(name, size):
        digest.update(chunk)
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            pending.append(chunk[start:end])
            yield b"".join(pending)
            pending, start = [], end + 1
        if start < len(chunk):
            pending.append(chunk[start:])
    if pending:
        yield b"".join(pending)
    if digest.hexdigest() != sha256:
        raise _corrupt(f"nội dung của {name} đã thay đổi.", f"{name} changed while being restored.")


def _moved_paths(manifest: dict[str, Any]) -> dict[str, str]:
    """Old path -> where the file is now, for the rows that name key files."""
    return {old: str(_target_path(e)) for e in manifest["var_files"] for old in e.get("paths", ())}


def _load(reader: ArchiveReader, manifest: dict[str, Any], models_: list, force: bool, say: Progress) -> int:
    by_label = {m._meta.label_lower: m for m in models_}
    listed = {t["model"] for t in manifest["tables"]}
    if listed != set(by_label):
        missing = sorted(set(by_label) - listed) or sorted(listed - set(by_label))
        raise SchemaMismatch([], missing)
    moved = _moved_paths(manifest)
    path_fields = {(label.lower(), name) for label, name in PATH_FIELDS}
    qn = connection.ops.quote_name
    total = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            for m in models_:
                if force or m._meta.db_table in SEEDED_TABLES:
                    cursor.execute(f"DELETE FROM {qn(m._meta.db_table)}")
        for i, t in enumerate(manifest["tables"], 1):
            model = by_label[t["model"]]
            try:
                header, rows = read_table(model, _lines(reader, t["member"], t["size"], t["sha256"]))
            except (ValueError, StopIteration) as exc:
                raise _corrupt(f"bảng {t['table']} không đọc được ({exc}).", f"table {t['table']}: {exc}.") from exc
            fix = [
                i
                for i, name in enumerate(header["fields"])
                if (t["model"], model._meta.get_field(name).name) in path_fields
            ]
            if fix:
                rows = _moving(rows, fix, moved)
            try:
                n = insert_rows(model, header, rows)
            except (ValueError, TypeError, ValidationError) as exc:
                raise _corrupt(f"bảng {t['table']} có giá trị sai ({exc}).", f"table {t['table']}: {exc}.") from exc
            if n != t["rows"]:
                raise _corrupt(
                    f"bảng {t['table']} có {n} dòng, bản kê ghi {t['rows']}.", f"table {t['table']}: {n} rows."
                )
            total += n
            say(f"Bảng {i}/{len(manifest['tables'])}: {t['table']} ({n} dòng)")
        restore_sequences(models_, manifest.get("sequences") or {})
        from vanban.search import rebuild_engine

        rebuild_engine()
        connection.check_constraints()
    return total


def _moving(rows: Iterator[list[Any]], fix: list[int], moved: dict[str, str]) -> Iterator[list[Any]]:
    for values in rows:
        for i in fix:
            if values[i] in moved:
                values[i] = moved[values[i]]
        yield values


def restore_backup(path: str | Path, *, force: bool = False, progress: Progress | None = None) -> RestoreReport:
    """Bring the archive back into this installation's database and stores."""
    say = progress or (lambda message: None)
    reader = open_reader(Path(path))
    try:
        manifest = _manifest(reader)
        say(f"Kiểm tra bản sao lưu ({len(reader.members)} thành phần)…")
        _check_members(reader, _expected(manifest), say)
        _check_schema(manifest)
        models_ = dumped_models()
        found = _non_empty(models_, manifest)
        if found and not force:
            raise TargetNotEmpty(found)
        report = RestoreReport(manifest=manifest, tables=len(manifest["tables"]))
        if manifest.get("secret_key_check") != secret_check():
            report.warnings.append(
                "SECRET_KEY của máy này khác máy đã sao lưu: khóa truy cập trục (đã mã hóa) và phiên đăng nhập"
                " sẽ không dùng được; hãy đặt lại SECRET_KEY như máy cũ (xem docs/operator.md)."
            )
        outside = manifest.get("outside_files") or []
        if outside:
            shown = ", ".join(outside[:3]) + (f" và {len(outside) - 3} tệp khác" if len(outside) > 3 else "")
            report.warnings.append(
                f"{len(outside)} tệp khóa nằm ngoài thư mục dữ liệu nên không có trong bản sao lưu ({shown}):"
                " hãy chép lại đúng chỗ cũ (danh sách đủ: outside_files trong manifest.json)."
            )
        report.files = _write_files(reader, manifest, say)
        try:
            report.rows = _load(reader, manifest, models_, force, say)
        except (IntegrityError, DatabaseError) as exc:
            raise BackupError(
                f"Không nạp được dữ liệu, không có gì thay đổi trong cơ sở dữ liệu: {exc}",
                f"Loading failed, the database is unchanged: {exc}",
                code="restore_load_failed",
            ) from exc
        return report
    finally:
        reader.close()
