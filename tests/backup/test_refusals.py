"""What a restore refuses, loading nothing: an archive whose bytes no longer match their
manifest (a file, a row, a member missing or added), one built to write outside its folder
(``..``, an absolute name, a link), and a target that already holds data (unless --force)."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from tests.backup.conftest import key_files_in
from tests.backup.helpers import every_row, files_under
from vanban.backup import (
    ArchiveCorrupt,
    ArchiveUnsafe,
    SchemaMismatch,
    TargetNotEmpty,
    create_backup,
    restore_backup,
    verify_archive,
)
from vanban.cli import main
from vanban.directory import services as directory
from vanban.directory.models import Agency, Level
from vanban.registry.setup import register_key_file
from vanban.signing import make_seal_image

pytestmark = pytest.mark.django_db


def _take(agency, registry_pki, var: Path, folder: Path) -> Path:
    """A backup folder of the database with ``agency``'s key file and seal image."""
    keys = key_files_in(var, registry_pki, names=("snv",))
    register_key_file(agency, keys["snv"][0], keys["snv"][1], make_seal_image("Sở Nội vụ"))
    create_backup(folder)
    return folder


@pytest.fixture(scope="module")
def archive_once(django_db_setup, django_db_blocker, registry_pki, tmp_path_factory) -> Path:
    """One small backup for the tests that only damage it: taken once, the rows rolled back."""
    base = tmp_path_factory.mktemp("mau")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=base / "var", FILES_DIR=base / "files"):
        with transaction.atomic():
            agency = directory.create_agency(
                None, code="000.00.02.H99", name="Sở Nội vụ", level=Level.objects.get(code="tinh")
            )
            folder = _take(agency, registry_pki, base / "var", base / "sao-luu")
            transaction.set_rollback(True)
    return folder


@pytest.fixture
def small(archive_once, tmp_path) -> Path:
    """A copy of the small backup folder, to damage."""
    return Path(shutil.copytree(archive_once, tmp_path / "sao-luu"))


@pytest.fixture
def taken(personas, registry_pki, var_dir, tmp_path) -> Path:
    """A backup of the personas' agencies, this test's database holding what it holds."""
    return _take(personas.so_noi_vu, registry_pki, var_dir, tmp_path / "sao-luu")


@pytest.fixture
def elsewhere(tmp_path, settings):
    """Empty data and file folders to restore into: what a refused restore must leave empty."""
    settings.VAR_DIR = tmp_path / "dich" / "var"
    settings.FILES_DIR = tmp_path / "dich" / "files"
    return tmp_path / "dich"


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _a_stored_file(folder: Path) -> Path:
    f = _manifest(folder)["files"][0]
    return folder / "files" / f["namespace"] / f["sha256"][:2] / f["sha256"][2:4] / f["sha256"]


def flip_a_byte_of_a_stored_file(folder: Path) -> None:
    path = _a_stored_file(folder)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def edit_an_audit_event(folder: Path) -> None:
    path = folder / "db" / "audit.auditevent.jsonl"
    text = path.read_text(encoding="utf-8")
    assert "Sở Nội vụ" in text
    path.write_text(text.replace("Sở Nội vụ", "Sở Nội vụ giả", 1), encoding="utf-8")


def remove_a_stored_file(folder: Path) -> None:
    _a_stored_file(folder).unlink()


def add_a_key_file(folder: Path) -> None:
    (folder / "var" / "pki" / "keys" / "them.p12").write_bytes(b"not in the manifest")


@pytest.mark.parametrize(
    "tamper", [flip_a_byte_of_a_stored_file, edit_an_audit_event, remove_a_stored_file, add_a_key_file]
)
def test_an_altered_archive_is_refused_before_anything_is_written(small, elsewhere, tamper):
    tamper(small)
    rows = every_row()
    with pytest.raises(ArchiveCorrupt) as exc:
        restore_backup(small, force=True)
    assert exc.value.code == "backup_archive_corrupt"
    assert exc.value.message_vi.startswith("Bản sao lưu bị hỏng hoặc đã bị sửa, không khôi phục gì")
    assert every_row() == rows
    assert not elsewhere.exists() or files_under(elsewhere) == {}


def test_the_check_command_names_the_damaged_member(small, capsys):
    assert main(["restore", "--check", "--quiet", str(small)]) == 0
    assert "mọi mã SHA-256 khớp" in capsys.readouterr().out
    flip_a_byte_of_a_stored_file(small)
    assert main(["restore", "--check", "--quiet", str(small)]) == 1
    err = capsys.readouterr().err
    assert "không khớp mã SHA-256" in err and "[backup_archive_corrupt]" in err


def _tar_with(folder: Path, out: Path, extra: tarfile.TarInfo | None = None, data: bytes = b"") -> Path:
    """The backup folder as a tar file (as ``tar cf out -C folder .`` makes it), plus ``extra``."""
    with tarfile.open(out, "w") as tar:
        tar.add(folder, arcname=".")
        if extra is not None:
            tar.addfile(extra, io.BytesIO(data) if data else None)
    return out


def _member(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, size, link
    return info


@pytest.mark.parametrize(
    "member",
    [
        _member("var/../../../tmp/vanban-thoat.txt", size=5),
        _member("/tmp/vanban-thoat.txt", size=5),
        _member("var/pki/keys/loi-tat.p12", tarfile.SYMTYPE, link="/etc/passwd"),
        _member("var/pki/keys/cung.p12", tarfile.LNKTYPE, link="manifest.json"),
        _member("var/pki/thiet-bi", tarfile.CHRTYPE),
    ],
    ids=["dot-dot", "absolute", "symlink", "hard-link", "device"],
)
def test_a_member_that_could_write_elsewhere_is_refused(small, elsewhere, tmp_path, member):
    archive = _tar_with(small, tmp_path / "doc-hai.tar", member, b"thoat" if member.size else b"")
    with pytest.raises(ArchiveUnsafe) as exc:
        verify_archive(archive)
    assert exc.value.code == "backup_archive_unsafe"
    with pytest.raises(ArchiveUnsafe):
        restore_backup(archive, force=True)
    assert not Path("/tmp/vanban-thoat.txt").exists()
    assert not elsewhere.exists() or files_under(elsewhere) == {}


def test_a_member_longer_than_declared_is_refused(small, tmp_path):
    stored = _a_stored_file(small)
    stored.write_bytes(stored.read_bytes() + b"\0" * 4096)
    with pytest.raises(ArchiveCorrupt) as exc:
        verify_archive(_tar_with(small, tmp_path / "dai.tar"))
    assert "bản kê ghi" in exc.value.message_vi


def test_a_target_with_data_is_refused_and_left_as_it_was(taken, elsewhere, capsys):
    rows = every_row()
    with pytest.raises(TargetNotEmpty):
        restore_backup(taken)
    assert every_row() == rows
    assert main(["restore", "--quiet", str(taken)]) == 1
    err = capsys.readouterr().err
    assert "Nơi khôi phục đã có dữ liệu" in err and "--force" in err and "[restore_target_not_empty]" in err
    assert not elsewhere.exists() or files_under(elsewhere) == {}


def test_force_replaces_the_data_there_with_the_archives(taken, personas, elsewhere):
    rows = every_row()
    directory.create_agency(None, code="000.00.30.H99", name="Sở Tài chính", level=personas.so_noi_vu.level)
    report = restore_backup(taken, force=True)
    assert report.rows == sum(len(r) for r in rows.values())
    assert not Agency.objects.filter(code="000.00.30.H99").exists()
    moved = (str(taken.parent / "var"), str(elsewhere / "var"))
    rows["registry_signingkey"] = sorted(r.replace(*moved) for r in rows["registry_signingkey"])
    assert every_row() == rows
    assert (elsewhere / "var" / "pki" / "keys" / "snv.p12").is_file()


def test_an_archive_of_another_schema_is_refused(small, elsewhere):
    manifest = _manifest(small)
    manifest["database"]["migrations"] = [m for m in manifest["database"]["migrations"] if m[0] != "search"]
    (small / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SchemaMismatch) as exc:
        restore_backup(small, force=True)
    assert exc.value.code == "restore_schema_mismatch"
    assert "đúng phiên bản vanban" in exc.value.message_vi and "search.0001_initial" in exc.value.message_vi
    assert not elsewhere.exists() or files_under(elsewhere) == {}


def test_a_different_secret_key_is_pointed_out(taken, settings, elsewhere):
    settings.SECRET_KEY = "mot-khoa-khac-han-" * 3
    report = restore_backup(taken, force=True)
    assert any("SECRET_KEY của máy này khác máy đã sao lưu" in w for w in report.warnings)
