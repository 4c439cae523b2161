"""Numbers and notations: one series per register and year, 1..N under concurrency,
reserved and cancelled numbers never reused."""

import datetime as dt
import os
import threading

import pytest
from django.db import connection, transaction

from vanban.directory.models import DocumentType
from vanban.registry import numbering
from vanban.registry.errors import NumberingError
from vanban.registry.models import OutgoingDocument, Register, RegisterEntry
from vanban.registry.services import number_document

pytestmark = pytest.mark.django_db


def signed_docs(office, sample_pdf, n, type_code="cong-van"):
    """Documents already signed (state set directly: the signing is not what is tested)."""
    from vanban.registry.files import accept_main_file
    from vanban.registry.models import DocumentVersion

    pdf, _, _ = accept_main_file(sample_pdf, "a.pdf")
    dtype = DocumentType.objects.get(code=type_code)
    docs = []
    for i in range(n):
        d = OutgoingDocument.objects.create(
            agency=office.so_noi_vu,
            unit=office.tuan.unit,
            drafter=office.tuan,
            document_type=dtype,
            subject=f"Văn bản {i}",
            signer=office.minh,
            state="da-ky",
            signed_file=pdf,
        )
        DocumentVersion.objects.create(document=d, number=1, file=pdf, author=office.tuan)
        docs.append(d)
    return docs


def test_numbers_below_ten_take_a_leading_zero():
    assert [numbering.format_number(n) for n in (1, 9, 10, 123)] == ["01", "09", "10", "123"]


def test_notation_rules(office):
    snv = office.so_noi_vu
    qd = DocumentType.objects.get(code="quyet-dinh")
    cv = DocumentType.objects.get(code="cong-van")
    tt = DocumentType.objects.get(code="thong-tu")
    assert numbering.build_notation(qd, snv, office.tuan.unit, 2026) == "QĐ-SNV"
    assert numbering.build_notation(cv, snv, office.tuan.unit, 2026) == "SNV-CCVC"
    assert numbering.build_notation(cv, snv, None, 2026) == "SNV"
    assert numbering.build_notation(tt, snv, None, 2026) == "2026/TT-SNV"


def test_series_restart_at_01_each_calendar_year(office):
    reg = numbering.select_register(office.so_noi_vu, Register.KIND_OUTGOING, None, secret=False)
    with transaction.atomic():
        a = numbering.take_number(reg, dt.date(2025, 12, 31))
        b = numbering.take_number(reg, dt.date(2026, 1, 1))
        c = numbering.take_number(reg, dt.date(2026, 1, 2))
    assert (a.number, b.number, c.number) == (1, 1, 2)


def test_a_type_with_its_own_register_has_its_own_series(office, sample_pdf):
    qd = DocumentType.objects.get(code="quyet-dinh")
    own = Register.objects.create(agency=office.so_noi_vu, kind="di", name="Sổ quyết định")
    own.document_types.add(qd)
    (cv_doc,) = signed_docs(office, sample_pdf, 1)
    (qd_doc,) = signed_docs(office, sample_pdf, 1, "quyet-dinh")
    number_document(office.lan.user, cv_doc)
    number_document(office.lan.user, qd_doc)
    qd_doc.refresh_from_db()
    cv_doc.refresh_from_db()
    assert (qd_doc.register, qd_doc.so_ky_hieu) == (own, "01/QĐ-SNV")
    assert cv_doc.so_ky_hieu == "01/SNV-CCVC"


def test_reserved_and_cancelled_numbers_are_skipped_and_kept(office, sample_pdf):
    reg = numbering.select_register(office.so_noi_vu, Register.KIND_OUTGOING, None, secret=False)
    today = dt.date.today()
    with transaction.atomic():
        first = numbering.take_number(reg, today)
        reserved = numbering.reserve_numbers(reg, today, 2, "Giữ cho quyết định khen thưởng")
        numbering.cancel_number(reserved[1], "Không dùng đến")
    (doc,) = signed_docs(office, sample_pdf, 1)
    number_document(office.lan.user, doc)
    doc.refresh_from_db()
    assert (first.number, [r.number for r in reserved], doc.number) == (1, [2, 3], 4)
    states = dict(RegisterEntry.objects.values_list("number", "state"))
    assert states == {1: "da-dung", 2: "giu-cho", 3: "da-huy", 4: "da-dung"}


def test_an_agency_without_a_register_is_told_to_create_one(personas):
    with pytest.raises(NumberingError) as exc:
        numbering.select_register(personas.xa, Register.KIND_OUTGOING, None, secret=False)
    assert "chưa có sổ văn bản đi" in exc.value.message_vi


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_numbering_gives_1_to_n_exactly(office, sample_pdf):
    docs = signed_docs(office, sample_pdf, 24)
    errors = []
    barrier = threading.Barrier(8)
    chunks = [docs[i::8] for i in range(8)]

    def work(chunk):
        try:
            barrier.wait()
            for d in chunk:
                number_document(office.lan.user, d)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 25))
    assert sorted(RegisterEntry.objects.values_list("number", flat=True)) == list(range(1, 25))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_numbers_are_taken_only_inside_the_transaction_that_records_them(personas):
    """The series moves on and its entry is written in one transaction, or neither."""
    from vanban.registry.models import RegisterYear
    from vanban.registry.setup import ensure_registers

    ensure_registers(personas.so_noi_vu)
    reg = numbering.select_register(personas.so_noi_vu, Register.KIND_OUTGOING, None, secret=False)
    with pytest.raises(RuntimeError):
        numbering.take_number(reg, dt.date.today())
    assert not RegisterYear.objects.filter(register=reg, last_number__gt=0).exists()
    with transaction.atomic():
        assert numbering.take_number(reg, dt.date.today()).number == 1


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="set DATABASE_URL=postgresql://... to run on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_numbering_in_one_agency_does_not_wait_for_another(office, sample_pdf):
    """While Sở Nội vụ's clerk numbers a document (not yet committed), Sở KH&CN's clerk
    numbers one at once (its register series and its audit chain are its own); a second
    document of Sở Nội vụ waits for the first (same series: numbers stay 1..N)."""
    from django.db import OperationalError, connections

    from vanban.directory import services as directory

    clerk = directory.create_person(
        None,
        username="vt.khcn",
        password="mat-khau-thu-nghiem-2026",
        full_name="Văn Thư KH&CN",
        agency=office.so_khcn,
        unit=office.hoa.unit,
        roles=["van-thu"],
    )
    snv_first, snv_second = signed_docs(office, sample_pdf, 2)
    skhcn_doc = OutgoingDocument.objects.create(
        agency=office.so_khcn,
        unit=office.hoa.unit,
        drafter=office.hoa,
        document_type=DocumentType.objects.get(code="cong-van"),
        subject="Văn bản của Sở KH&CN",
        signer=office.son,
        state="da-ky",
        signed_file=snv_first.signed_file,
    )
    outcome = {}

    def number(user, doc, key):
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL lock_timeout = '2s'")
                number_document(user, doc)
            outcome[key] = "numbered"
        except OperationalError:
            outcome[key] = "waited"
        finally:
            connections.close_all()

    with transaction.atomic():
        number_document(office.lan.user, snv_first)
        for user, doc, key in ((clerk.user, skhcn_doc, "other agency"), (office.lan.user, snv_second, "same agency")):
            thread = threading.Thread(target=number, args=(user, doc, key))
            thread.start()
            thread.join(20)
    assert outcome == {"other agency": "numbered", "same agency": "waited"}
    number_document(office.lan.user, snv_second)
    assert sorted(OutgoingDocument.objects.filter(agency=office.so_noi_vu).values_list("number", flat=True)) == [1, 2]
    assert OutgoingDocument.objects.get(pk=skhcn_doc.pk).number == 1
