"""One date format on every page: dd/mm/yyyy and dd/mm/yyyy HH:MM in Vietnam time; signature
times (ISO 8601 in the signature checks) are shown through the same filter."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from vanban.directory.models import DocumentType
from vanban.registry import services
from vanban.registry.services import DraftData, RecipientData
from vanban.web.templatetags.vndates import vn_date, vn_datetime, vn_document_date

PASSWORD = "mat-khau-thu-nghiem-2026"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_an_iso_time_in_utc_is_written_in_vietnam_time():
    assert vn_datetime("2026-12-02T01:30:15Z") == "02/12/2026 08:30"


def test_an_aware_datetime_is_written_in_vietnam_time():
    assert vn_datetime(dt.datetime(2026, 12, 2, 23, 5, tzinfo=dt.UTC)) == "03/12/2026 06:05"


def test_a_date_is_dd_mm_yyyy():
    assert vn_date(dt.date(2026, 1, 5)) == "05/01/2026" and vn_date("2026-01-05") == "05/01/2026"


def test_a_documents_date_is_written_as_decree_30_writes_it_with_the_agencys_place():
    assert vn_document_date(dt.date(2026, 12, 2), "Quảng Ninh") == "Quảng Ninh, ngày 02 tháng 12 năm 2026"
    assert vn_document_date(dt.date(2026, 2, 15), "Hạ Long") == "Hạ Long, ngày 15 tháng 02 năm 2026"


def test_nothing_is_written_as_nothing():
    assert vn_datetime(None) == "" and vn_date("") == ""


@pytest.mark.django_db
def test_signature_times_on_the_outgoing_page_are_not_iso(client, office, sample_pdf):
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v kiểm tra thời gian ký",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    assert client.login(username="minh", password=PASSWORD)
    page = client.get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    section = page[page.index('id="validation"') :]
    section = section[: section.index("</section>")]
    assert re.search(r"ký lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}<", section) and not ISO.search(section)


@pytest.mark.django_db
def test_the_numbered_documents_page_gives_its_date_as_the_document_does(client, office, sample_pdf, settings):
    office.so_noi_vu.place = "Quảng Ninh"
    office.so_noi_vu.save()
    doc = services.create_draft(
        office.tuan.user,
        DraftData(
            subject="V/v ngày của văn bản",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=office.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    doc = services.number_document(office.lan.user, doc)
    assert client.login(username="lan", password=PASSWORD)
    page = client.get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    shown = page[page.index('id="document-date">') + len('id="document-date">') :].split("<", 1)[0]
    assert re.fullmatch(r"Quảng Ninh, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}", shown), shown
