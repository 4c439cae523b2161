"""The transfer to the archive end to end: the package of closed dossiers with signed
documents verifies (``vanban records verify``, a real subprocess) and carries their
metadata; a blocked dossier is refused with its reasons and nothing is marked transferred;
the archive registers receipt of a good package and refuses a tampered one."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.errors import PackageRefused, TransferRefused
from vanban.records.models import TransferReceipt

from .conftest import issue, paper

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def closed(archive, archival_pdf):
    """Both of Sở Nội vụ's dossiers closed, each with one issued (signed, sealed) document."""
    first = issue(archive, archival_pdf, "Quyết định tuyển dụng công chức", type_code="quyet-dinh")
    records.file_document(archive.tuan.user, archive.personnel, first)
    second = issue(archive, archival_pdf, "Công văn về chuyển đổi số")
    records.file_document(archive.lan.user, archive.digital, second)
    return [
        records.close_dossier(archive.tuan.user, archive.personnel),
        records.close_dossier(archive.lan.user, archive.digital),
    ]


def test_the_package_of_two_closed_dossiers_verifies_and_holds_their_metadata(archive, closed, tmp_path, settings):
    out = tmp_path / "nop-luu.zip"
    result = records.export_transfer(archive.lan.user, closed, out)
    assert result.dossiers == [d.code for d in closed] and result.documents == 2
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}:{ROOT}")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "vanban.cli",
            "records",
            "verify",
            str(out),
            "--trust-roots",
            settings.VANBAN_TRUST_ROOTS,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "KẾT QUẢ: ĐẠT" in run.stdout and "Số hồ sơ: 2; số tài liệu: 2" in run.stdout
    with zipfile.ZipFile(out) as zf:
        ead = etree.fromstring(zf.read(f"hoso/{closed[0].code}/metadata/descriptive/EAD.xml"))
    assert ead.findtext("fileCode") == closed[0].code
    assert ead.findtext("title") == closed[0].title and ead.findtext("maintenance") == "02"
    assert ead.findtext("description").startswith("Người lập hồ sơ: Vũ Anh Tuấn.")


def test_the_exported_dossiers_are_marked_transferred_with_history_and_audit(archive, closed, tmp_path):
    result = records.export_transfer(archive.lan.user, closed, tmp_path / "nop-luu.zip")
    for dossier in closed:
        dossier.refresh_from_db()
        assert dossier.state == "da-nop-luu"
        assert dossier.history.filter(action="transfer").get().reason == f"Gói nộp lưu SHA-256 {result.package_sha256}"
    event = AuditEvent.objects.filter(action="records.transfer.exported").get()
    assert event.after["package_sha256"] == result.package_sha256 and event.after["documents"] == 2


def test_a_dossier_with_an_unsigned_document_is_refused_and_nothing_is_transferred(
    archive, archival_pdf, sample_pdf, tmp_path
):
    records.file_document(archive.tuan.user, archive.personnel, issue(archive, archival_pdf, "Quyết định"))
    personnel = records.close_dossier(archive.tuan.user, archive.personnel)
    records.file_document(archive.lan.user, archive.digital, paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số"))
    digital = records.close_dossier(archive.lan.user, archive.digital)
    out = tmp_path / "nop-luu.zip"
    with pytest.raises(TransferRefused) as exc:
        records.export_transfer(archive.lan.user, [personnel, digital], out)
    assert exc.value.code == "transfer_blocked"
    assert "Văn bản 12/STC-NS – Hướng dẫn chuyển đổi số: chưa được ký số." in exc.value.message_vi
    assert [d["dossier"] for d in exc.value.details] == [digital.code]
    assert not out.exists()
    personnel.refresh_from_db()
    digital.refresh_from_db()
    assert (personnel.state, digital.state) == ("da-dong", "da-dong")


def test_receipt_of_a_good_package_is_recorded(archive, closed, tmp_path):
    out = tmp_path / "nop-luu.zip"
    sent = records.export_transfer(archive.lan.user, closed, out)
    receipt = records.receive_transfer(archive.lan.user, archive.so_noi_vu, out)
    assert receipt.result == TransferReceipt.RESULT_ACCEPTED and receipt.package_sha256 == sent.package_sha256
    assert receipt.dossier_codes == sorted(d.code for d in closed) and receipt.received_by_name == "Nguyễn Thị Lan"
    assert AuditEvent.objects.filter(action="records.transfer.received").count() == 1


def test_a_tampered_package_is_refused_with_its_problems(archive, closed, tmp_path):
    out = tmp_path / "nop-luu.zip"
    records.export_transfer(archive.lan.user, closed, out)
    tampered = tmp_path / "bi-sua.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".pdf"):
                data = data.replace(b"%%EOF", b"%%EOF\n% changed", 1)
            dst.writestr(info.filename, data)
    with pytest.raises(PackageRefused) as exc:
        records.receive_transfer(archive.lan.user, archive.so_noi_vu, tampered)
    assert exc.value.code == "package_invalid" and "checksum-mismatch" in exc.value.message_vi
    receipt = TransferReceipt.objects.get()
    assert receipt.result == TransferReceipt.RESULT_REFUSED and "checksum-mismatch" in [
        p["code"] for p in receipt.problems
    ]
