"""``vanban records export`` and ``receive``: the package of closed dossiers written with
what was exported (counts, bytes, SHA-256), a refusal listing each dossier's blockers with
exit 1, and the archive's receipt of the package."""

import hashlib

import pytest

from tests.records.conftest import archival_pdf, archive, issue, paper  # noqa: F401 (fixtures)
from vanban import records
from vanban.cli import main
from vanban.records.models import Dossier, TransferReceipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(archive, archival_pdf):  # noqa: F811
    records.file_document(archive.tuan.user, archive.personnel, issue(archive, archival_pdf, "Quyết định tuyển dụng"))
    records.file_document(archive.lan.user, archive.digital, issue(archive, archival_pdf, "Công văn chuyển đổi số"))
    return [
        records.close_dossier(archive.tuan.user, archive.personnel),
        records.close_dossier(archive.lan.user, archive.digital),
    ]


def test_export_of_a_year_writes_the_package_and_says_what_it_holds(archive, closed, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "nop-luu.zip"
    args = [
        "records",
        "export",
        "--year",
        str(archive.year),
        "--agency",
        "000.00.02.H99",
        "--as",
        "lan",
        "-o",
        str(out),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"Đã lập gói nộp lưu {out}: 2 hồ sơ, 2 tài liệu, {out.stat().st_size} byte" in printed
    assert f"SHA-256 của gói: {sha}" in printed
    assert set(Dossier.objects.values_list("state", flat=True)) == {"da-nop-luu"}


def test_a_refused_export_lists_the_blockers_and_exits_1(archive, archival_pdf, sample_pdf, tmp_path, capsys):  # noqa: F811
    records.file_document(archive.lan.user, archive.digital, paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số"))
    digital = records.close_dossier(archive.lan.user, archive.digital)
    out = tmp_path / "nop-luu.zip"
    assert main(["records", "export", "--dossier", digital.code, "--as", "lan", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Chưa nộp lưu được; không hồ sơ nào được đánh dấu đã nộp lưu. [transfer_blocked]")
    assert f"  Hồ sơ {digital.code}:\n" in err
    assert "    - Văn bản 12/STC-NS – Hướng dẫn chuyển đổi số: chưa được ký số." in err
    assert not out.exists() and not list(tmp_path.iterdir())
    digital.refresh_from_db()
    assert digital.state == "da-dong"


def test_the_archive_receives_the_exported_package(archive, closed, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "nop-luu.zip"
    codes = [arg for d in closed for arg in ("--dossier", d.code)]
    assert main(["records", "export", *codes, "--as", "lan", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["records", "receive", str(out), "--agency", "000.00.02.H99", "--as", "lan"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Đã tiếp nhận gói nộp lưu {out} của Sở Nội vụ (000.00.02.H99).")
    assert TransferReceipt.objects.get().result == "da-nhan"


def test_a_damaged_package_is_refused_on_receipt_with_exit_1(archive, tmp_path, capsys):  # noqa: F811
    bad = tmp_path / "hong.zip"
    bad.write_bytes(b"not a zip")
    assert main(["records", "receive", str(bad), "--agency", "000.00.02.H99", "--as", "lan"]) == 1
    err = capsys.readouterr().err
    assert "[package_invalid]" in err and "[not-a-zip] Tệp không phải gói ZIP đọc được." in err
    assert TransferReceipt.objects.get().result == "tu-choi"
