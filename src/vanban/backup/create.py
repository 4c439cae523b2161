"""``create_backup``: the database (every table, as portable JSON lines) and every file its
rows name, in one archive with a manifest of SHA-256 digests, taken while the system runs.

Consistency: the rows are read in one snapshot (:mod:`.snapshot`); the files are copied
after, from the digests those rows name. Stored files are content-addressed and written
before the rows that name them commit, so every file the snapshot names is there."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from vanban import __version__
from vanban.backup.archive import MANIFEST, open_writer
from vanban.backup.errors import FileVanished
from vanban.backup.references import FILE_REFS, PATH_FIELDS, digests_in
from vanban.backup.rows import dumped_models, member_name, write_table
from vanban.backup.sequences import read_sequences
from vanban.backup.snapshot import snapshot
from vanban.storage import BlobCorrupt, BlobMissing, key_for, store

__all__ = ["create_backup", "BackupReport", "FORMAT", "FORMAT_VERSION", "secret_check", "manifest_time_vi"]

FORMAT = "vanban-backup"
FORMAT_VERSION = 1

Progress = Callable[[str], None]


@dataclass
class BackupReport:
    path: Path
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    outside: list[str] = field(default_factory=list)


def secret_check() -> str:
    """A fingerprint of ``SECRET_KEY`` (not the key): a restore tells whether the target has the same one."""
    return hmac.new(settings.SECRET_KEY.encode(), b"vanban-backup-secret-check", hashlib.sha256).hexdigest()[:16]


def _data_dirs() -> list[Path]:
    return [Path(settings.VAR_DIR).resolve(), Path(settings.FILES_DIR).resolve()]


def create_backup(path: str | Path, progress: Progress | None = None) -> BackupReport:
    """Write the archive ``path`` (``.tar``, ``.tar.gz``/``.tgz`` or a folder)."""
    say = progress or (lambda message: None)
    writer = open_writer(Path(path))
    try:
        report = _write(writer, say)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    report.path = Path(path)
    return report


def _write(writer, say: Progress) -> BackupReport:
    refs_by_model: dict[str, list] = {}
    for ref in FILE_REFS:
        refs_by_model.setdefault(ref.model.lower(), []).append(ref)
    paths_by_model: dict[str, list[str]] = {}
    for label, name in PATH_FIELDS:
        paths_by_model.setdefault(label.lower(), []).append(name)
    needed: dict[tuple[str, str], None] = {}  # (namespace, sha256), in the order met
    named_paths: dict[str, None] = {}
    tables: list[dict[str, Any]] = []
    created = timezone.now()
    with snapshot():
        migrations = sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())
        models = dumped_models()
        for i, model in enumerate(models, 1):
            label = model._meta.label_lower
            refs = refs_by_model.get(label, [])
            path_names = paths_by_model.get(label, [])

            def on_row(row: dict[str, Any], refs=refs, path_names=path_names) -> None:
                for ref in refs:
                    for sha in digests_in(ref, row):
                        needed[(ref.namespace, sha)] = None
                for name in path_names:
                    if row[name]:
                        named_paths[str(row[name])] = None

            spool = writer.add_spooled(member_name(model))
            count = write_table(model, spool, on_row if refs or path_names else None)
            sha, size = spool.finish()
            tables.append(
                {
                    "model": label,
                    "table": model._meta.db_table,
                    "member": member_name(model),
                    "rows": count,
                    "sha256": sha,
                    "size": size,
                }
            )
            say(f"Bảng {i}/{len(models)}: {model._meta.db_table} ({count} dòng)")
        sequences = read_sequences(models)
    files = _copy_files(writer, list(needed), say)
    var_files, outside = _copy_paths(writer, list(named_paths), _settings_paths(), say)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "vanban_version": __version__,
        "created_at": created.isoformat(),
        "created_at_vi": timezone.localtime(created).strftime("%d/%m/%Y %H:%M:%S"),
        "database": {"vendor": connection.vendor, "migrations": migrations},
        "storage": getattr(settings, "VANBAN_STORAGE", "local"),
        "secret_key_check": secret_check(),
        "tables": tables,
        "sequences": sequences,
        "files": files,
        "var_dir": str(Path(settings.VAR_DIR).resolve()),
        "var_files": var_files,
        "outside_files": outside,
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    spool = writer.add_spooled(MANIFEST)
    spool.write(data)
    spool.finish()
    return BackupReport(
        path=writer.path,
        manifest=manifest,
        tables=len(tables),
        rows=sum(t["rows"] for t in tables),
        files=len(files) + len(var_files),
        bytes=sum(f["size"] for f in files) + sum(f["size"] for f in var_files),
        outside=outside,
    )


def _copy_files(writer, needed: list[tuple[str, str]], say: Progress) -> list[dict[str, Any]]:
    out = []
    total = len(needed)
    for i, (namespace, sha) in enumerate(needed, 1):
        blobs = store(namespace)
        try:
            key = key_for(sha)
        except ValueError:
            continue  # not a digest (a row written by hand): nothing to copy
        try:
            size = blobs.size(sha)
            with blobs.open(sha) as fh:  # read to the end: the digest is checked
                got, written = writer.add_stream(f"files/{namespace}/{key}", fh, size)
        except BlobMissing as exc:
            raise FileVanished(f"{namespace}/{key}") from exc
        except OSError as exc:  # shorter than its size said: damaged in the store
            raise BlobCorrupt(f"{namespace}/{key}") from exc
        if got != sha:  # a tar member is read to its size, not past: the digest is checked here
            raise BlobCorrupt(f"{namespace}/{key}")
        out.append({"namespace": namespace, "sha256": got, "size": written})
        if i % 100 == 0 or i == total:
            say(f"Tệp {i}/{total}")
    return out


def _settings_paths() -> list[str]:
    """Files the settings name that the system keeps in its data folder: the trusted roots."""
    value = getattr(settings, "VANBAN_TRUST_ROOTS", "")
    if not value:
        return []
    roots = Path(value)
    found = sorted(roots.glob("*.pem")) if roots.is_dir() else [roots] if roots.is_file() else []
    return [str(p) for p in found]


def never_copied() -> set[Path]:
    """Files no backup holds, even when a row names them: the key-encryption key (its own
    file or the generated default) and the secret key file. A backup carries the key files
    sealed; the key that opens them is kept apart, so one stolen copy does not give both."""
    var = Path(settings.VAR_DIR)
    out = {(var / "key-encryption-key").resolve(), (var / "secret_key").resolve()}
    for name in ("VANBAN_KEY_ENCRYPTION_KEY_FILE", "SECRET_KEY_FILE"):
        value = getattr(settings, name, "") or os.environ.get(name, "")
        if value:
            out.add(Path(value).resolve())
    return out


def _copy_paths(
    writer, paths: list[str], configured: list[str], say: Progress
) -> tuple[list[dict[str, Any]], list[str]]:
    """Files named by path (rows' ``paths``, the settings' ``configured``): those under the
    data folders go in the archive (``var/...``); the rows' others are listed as outside."""
    roots = _data_dirs()
    var = roots[0]
    never = never_copied()
    outside: list[str] = []
    members: dict[str, dict[str, Any]] = {}
    for value, from_row in [(p, True) for p in sorted(paths)] + [(p, False) for p in configured]:
        p = Path(value)
        resolved = p.resolve() if p.is_absolute() else (var / p).resolve()
        if resolved in never:
            continue
        if not any(resolved.is_relative_to(r) for r in roots) or not resolved.is_file():
            if from_row:
                outside.append(value)
            continue
        try:
            rel = resolved.relative_to(var).as_posix()
        except ValueError:  # under FILES_DIR kept outside VAR_DIR
            rel = "files-dir/" + resolved.relative_to(roots[1]).as_posix()
        member = f"var/{rel}"
        if member in members:
            members[member]["paths"].append(value)
            continue
        with open(resolved, "rb") as fh:
            sha, written = writer.add_stream(member, fh, os.fstat(fh.fileno()).st_size)
        members[member] = {"member": member, "paths": [value], "sha256": sha, "size": written}
    kept = list(members.values())
    if kept:
        say(f"Tệp khóa và chứng thư trong thư mục dữ liệu: {len(kept)}")
    return kept, outside


def manifest_time_vi(manifest: dict[str, Any]) -> str:
    try:
        return timezone.localtime(dt.datetime.fromisoformat(manifest["created_at"])).strftime("%d/%m/%Y %H:%M")
    except (KeyError, ValueError):
        return "?"
