"""Holding and cancelling numbers (giữ số, hủy số): held numbers are skipped by ordinary
numbering and used when the clerk picks one; a cancelled number stays in the register;
each step is the clerk's only, and leaves an audit event."""

import pytest

from vanban.audit.models import AuditEvent
from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.errors import NumberingError
from vanban.registry.models import Register
from vanban.registry.services import DraftData, RecipientData

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(office):
    return Register.objects.get(agency=office.so_noi_vu, kind=Register.KIND_OUTGOING, secret=False)


def signed(office, sample_pdf, subject="V/v tổng kết công tác năm 2026"):
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject=subject,
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="a.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    return services.sign_document(office.minh.user, doc)


def test_held_numbers_are_skipped_by_ordinary_numbering(office, register, sample_pdf):
    held = services.reserve_numbers(office.lan.user, register, 2, "Quyết định ký tại hội nghị")
    assert [e.number for e in held] == [1, 2]
    doc = services.number_document(office.lan.user, signed(office, sample_pdf))
    assert doc.so_ky_hieu == "03/SNV-CCVC"


def test_the_clerk_numbers_a_document_with_a_held_number(office, register, sample_pdf):
    services.reserve_numbers(office.lan.user, register, 2, "Giữ cho văn bản của hội nghị")
    held = list(services.reserved_numbers(register, held_year(register)))
    doc = services.number_document(office.lan.user, signed(office, sample_pdf), held[1])
    assert doc.so_ky_hieu == "02/SNV-CCVC"
    assert [e.number for e in services.reserved_numbers(register, held_year(register))] == [1]


def test_a_held_number_is_not_used_twice(office, register, sample_pdf):
    [entry] = services.reserve_numbers(office.lan.user, register, 1, "Giữ số")
    services.number_document(office.lan.user, signed(office, sample_pdf), entry)
    other = signed(office, sample_pdf, "V/v khác")
    with pytest.raises(NumberingError) as refused:
        services.number_document(office.lan.user, other, entry)
    assert refused.value.code == "not_reserved"
    other.refresh_from_db()
    assert other.number is None


def test_a_cancelled_number_stays_in_the_register_and_is_never_given(office, register, sample_pdf):
    [entry] = services.reserve_numbers(office.lan.user, register, 1, "Giữ số")
    services.cancel_number(office.lan.user, entry, "Hội nghị hoãn")
    [kept] = services.number_entries(register, held_year(register))
    assert (kept.number, kept.state, kept.note) == (1, "da-huy", "Hội nghị hoãn")
    assert services.number_document(office.lan.user, signed(office, sample_pdf)).so_ky_hieu == "02/SNV-CCVC"


def test_only_the_agencys_clerk_holds_numbers(office, register):
    for user in (office.minh.user, office.hoa.user):
        with pytest.raises(NumberingError) as refused:
            services.reserve_numbers(user, register, 1, "Giữ số")
        assert refused.value.code == "not_allowed"
    assert not services.number_entries(register, held_year(register)).exists()


def test_a_reason_is_needed_to_hold_or_cancel(office, register):
    with pytest.raises(NumberingError):
        services.reserve_numbers(office.lan.user, register, 1, "  ")
    [entry] = services.reserve_numbers(office.lan.user, register, 1, "Giữ số")
    with pytest.raises(NumberingError):
        services.cancel_number(office.lan.user, entry, "")


def test_holding_and_cancelling_are_audited(office, register):
    [entry] = services.reserve_numbers(office.lan.user, register, 1, "Giữ số cho tờ trình")
    services.cancel_number(office.lan.user, entry, "Không dùng nữa")
    events = list(AuditEvent.objects.filter(action__startswith="registry.register.").order_by("id"))
    assert [(e.action, e.actor_username) for e in events] == [
        ("registry.register.reserved", "lan"),
        ("registry.register.number_cancelled", "lan"),
    ]
    assert events[0].after["numbers"] == [1] and events[1].after["reason"] == "Không dùng nữa"


def held_year(register) -> int:
    from django.utils import timezone

    return timezone.localdate().year


def test_the_pdf_of_a_document_numbered_with_a_held_number_shows_that_number(office, register, sample_pdf, tmp_path):
    import shutil
    import subprocess

    services.reserve_numbers(office.lan.user, register, 3, "Giữ số")
    held = list(services.reserved_numbers(register, held_year(register)))
    doc = services.number_document(office.lan.user, signed(office, sample_pdf), held[2])
    path = tmp_path / "so.pdf"
    path.write_bytes(doc.signed_file.read())
    assert shutil.which("pdftotext"), "poppler-utils"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Số: 03/SNV-CCVC" in text
