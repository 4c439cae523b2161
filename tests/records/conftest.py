"""Dossiers built from real objects: the personas' agencies, Sở Nội vụ's list of dossiers,
documents issued through the whole outgoing flow (signed by the leader, sealed by the
agency) and a paper document that arrived unsigned."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources

import pikepdf
import pytest
from django.utils import timezone

from vanban import records
from vanban.directory.models import DocumentType
from vanban.records.models import RetentionClass
from vanban.registry import services as registry
from vanban.registry.services import DraftData, RecipientData, incoming


def pdfa(pdf: bytes) -> bytes:
    """``pdf`` made PDF/A-2b as far as :func:`vanban.digitize.is_pdfa` checks (XMP claim,
    output intent with an ICC profile; the sample's fonts are embedded already)."""
    icc = resources.files("ocrmypdf").joinpath("data/sRGB.icc").read_bytes()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        with doc.open_metadata() as meta:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        profile = doc.make_stream(icc)
        profile.N = 3
        doc.Root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier="sRGB",
                    DestOutputProfile=profile,
                )
            ]
        )
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def archival_pdf(sample_pdf) -> bytes:
    return pdfa(sample_pdf)


def issue(office, pdf: bytes, subject: str, type_code: str = "cong-van"):
    """An outgoing document through drafting, approval, the leader's signature, numbering
    and the agency's seal."""
    doc = registry.create_draft(
        office.tuan.user,
        DraftData(
            subject=subject,
            document_type=DocumentType.objects.get(code=type_code),
            signer=office.minh,
            main_file=pdf,
            main_file_name="van-ban.pdf",
            recipients=[RecipientData(unit_id=office.lan.unit.pk)],
        ),
    )
    registry.submit(office.tuan.user, doc)
    registry.approve(office.minh.user, doc)
    registry.sign_document(office.minh.user, doc)
    registry.number_document(office.lan.user, doc)
    return registry.seal_document(office.lan.user, doc)


def paper(office, pdf: bytes, subject: str):
    """A paper document that arrived, its scan stored as given (no signature on it)."""
    return incoming.upload_paper(
        office.lan.user,
        sender_name="Sở Tài chính",
        subject=subject,
        data=pdf,
        name="ban-quet.pdf",
        code_number="12",
        code_notation="STC-NS",
        issued_on=timezone.localdate(),
        document_type=DocumentType.objects.get(code="cong-van"),
    )


def retention(code: str) -> RetentionClass:
    return RetentionClass.objects.get(agency=None, code=code)


@dataclass
class Archive:
    office: object
    year: int
    personnel: object  # "01.TCCB" hồ sơ tuyển dụng công chức, Phòng CCVC, Tuấn, 70 năm
    digital: object  # "02.TH" chuyển đổi số, Văn phòng, Lan, 10 năm

    def __getattr__(self, name):
        return getattr(self.office, name)


@pytest.fixture
def archive(office) -> Archive:
    year = timezone.localdate().year
    ccvc = office.tuan.unit
    personnel = records.add_dossier(
        office.lan.user,
        office.so_noi_vu,
        year,
        records.DossierData(
            title="Hồ sơ tuyển dụng công chức năm " + str(year),
            retention_class=retention("70-nam"),
            heading="Tổ chức cán bộ",
            heading_abbr="TCCB",
            unit=ccvc,
            responsible=office.tuan,
            keyword="tuyển dụng",
            document_types="quyet-dinh",
        ),
    )
    digital = records.add_dossier(
        office.lan.user,
        office.so_noi_vu,
        year,
        records.DossierData(
            title="Hồ sơ về chuyển đổi số của Sở",
            retention_class=retention("10-nam"),
            heading_abbr="TH",
            unit=office.lan.unit,
            responsible=office.lan,
        ),
    )
    return Archive(office, year, personnel, digital)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
