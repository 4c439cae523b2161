"""The checks before a transfer to the archive: a closed dossier whose metadata is complete
and whose documents are PDF/A with valid signatures is ready; one missing a field or holding
an unsigned document is refused with the reason; and the plain data of the package."""

import hashlib

import pytest

from vanban import records
from vanban.audit.models import AuditEvent
from vanban.records.errors import DossierRefused

from .conftest import issue, paper, retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(archive, archival_pdf):
    doc = issue(archive, archival_pdf, "Quyết định tuyển dụng công chức", type_code="quyet-dinh")
    records.file_document(archive.tuan.user, archive.personnel, doc)
    return records.close_dossier(archive.tuan.user, archive.personnel), doc


def blockers(dossier):
    (check,) = records.check_transfer([dossier])
    return [(b.code, b.message_vi) for b in check.blockers]


def test_a_closed_dossier_of_signed_pdfa_documents_with_its_metadata_is_ready(ready):
    dossier, _ = ready
    (check,) = records.check_transfer([dossier])
    assert check.ready, check.blockers


def test_an_open_dossier_is_not_transferred(archive, archival_pdf):
    doc = issue(archive, archival_pdf, "Quyết định tuyển dụng")
    records.file_document(archive.tuan.user, archive.personnel, doc)
    assert blockers(archive.personnel) == [
        ("not_closed", "Hồ sơ đang ở trạng thái “Đang mở”: chỉ nộp lưu hồ sơ đã đóng.")
    ]


def test_a_dossier_missing_a_required_field_is_refused_with_the_field(archive, archival_pdf):
    dossier = records.add_dossier(
        archive.lan.user,
        archive.so_noi_vu,
        archive.year,
        records.DossierData(title="Hồ sơ không ghi người lập", retention_class=retention("10-nam")),
    )
    records.file_document(archive.lan.user, dossier, issue(archive, archival_pdf, "Công văn gửi Sở Tài chính"))
    dossier = records.close_dossier(archive.lan.user, dossier)
    assert blockers(dossier) == [("missing_field", "Hồ sơ thiếu thông tin “Người lập hồ sơ”.")]


def test_a_dossier_holding_an_unsigned_document_is_refused_with_the_reason(archive, sample_pdf):
    doc = paper(archive, sample_pdf, "Hướng dẫn chuyển đổi số")
    records.file_document(archive.lan.user, archive.digital, doc)
    dossier = records.close_dossier(archive.lan.user, archive.digital)
    label = "Văn bản 12/STC-NS – Hướng dẫn chuyển đổi số"
    assert blockers(dossier) == [
        ("not_pdfa", f"{label}: tệp không phải PDF/A."),
        ("unsigned", f"{label}: chưa được ký số."),
    ]
    with pytest.raises(DossierRefused) as exc:
        records.mark_transferred(archive.lan.user, dossier)
    assert exc.value.code == "transfer_blocked" and "chưa được ký số" in exc.value.message_vi
    dossier.refresh_from_db()
    assert dossier.state == "da-dong"


def test_a_ready_dossier_is_marked_transferred(archive, ready):
    dossier, _ = ready
    records.mark_transferred(archive.lan.user, dossier, "Nộp lưu năm nay")
    dossier.refresh_from_db()
    assert dossier.state == "da-nop-luu"
    assert AuditEvent.objects.filter(action="records.dossier.transferred").get().after["reason"] == "Nộp lưu năm nay"


def test_transfer_entries_give_the_spec_metadata_and_open_each_file(archive, ready):
    dossier, doc = ready
    (entry,) = records.transfer_entries([dossier])
    meta = entry.metadata
    assert meta["fileCode"] == f"000.00.02.H99.{archive.year}.01.TCCB"
    assert (meta["organId"], meta["fileCatalog"], meta["fileNotation"]) == ("000.00.02.H99", archive.year, "01.TCCB")
    assert (meta["maintenance"], meta["mode"], meta["language"], meta["totalDoc"]) == ("02", "01", "01", 1)
    assert meta["creator"] == "Vũ Anh Tuấn" and meta["confidenceLevel"] == "01"
    assert meta["startDate"] == meta["endDate"] == doc.issued_on.strftime("%d/%m/%Y")
    (document,) = entry.documents
    assert document.metadata["docCode"] == meta["fileCode"] + ".0000001"
    assert (document.metadata["codeNumber"], document.metadata["codeNotation"]) == (f"{doc.number:02d}", doc.notation)
    assert document.metadata["organName"] == "Sở Nội vụ" and document.metadata["typeName"] == "Quyết định (cá biệt)"
    with document.open() as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256 == doc.signed_file.sha256


def test_a_document_whose_signature_no_longer_verifies_is_refused_with_the_reason(archive, archival_pdf):
    from vanban.storage import get_bytes

    signed = get_bytes(issue(archive, archival_pdf, "Công văn đã ký").signed_file.sha256)
    at = signed.index(b"/ID [<") + 6  # the first revision's file identifier: inside the signed range
    tampered = signed[:at] + (b"0" if signed[at : at + 1] != b"0" else b"1") + signed[at + 1 :]
    doc = paper(archive, tampered, "Công văn đã ký, bị sửa sau khi ký")
    records.file_document(archive.lan.user, archive.digital, doc)
    dossier = records.close_dossier(archive.lan.user, archive.digital)
    codes = [code for code, _ in blockers(dossier)]
    assert "signature_invalid" in codes
    (message,) = [m for code, m in blockers(dossier) if code == "signature_invalid"]
    assert message.startswith("Văn bản 12/STC-NS – Công văn đã ký, bị sửa sau khi ký: chữ ký số không hợp lệ")
