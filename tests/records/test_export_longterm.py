"""Long-term validity on transfer: with a timestamp authority configured, every PDF that
goes into the package carries validation data (a DSS with the CRL) and a document
timestamp, its signatures still validate, and an unreachable TSA or CRL server refuses the
transfer with a clear error, nothing marked transferred.

Sở Nội vụ's keys here come from a CA made for this module whose certificates point at a CRL
really served (:class:`testkit.pkiservices.PKIServices`, HTTP on 127.0.0.1)."""

import io
import zipfile
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore

from testkit.pkiservices import PKIServices
from vanban import records
from vanban.records.errors import TransferRefused
from vanban.signing import TestPKI, validate_pdf

from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[tuple[TestPKI, PKIServices, dict]]:
    d = tmp_path_factory.mktemp("live-pki")
    pki = TestPKI.create(None)
    with PKIServices(pki) as services:  # before issuing: the certificates name its CRL
        files = {}
        for name, made in {
            "snv": pki.issue_agency("000.00.02.H99", "Sở Nội vụ"),
            "minh": pki.issue_person("Trần Quang Minh", "000.00.02.H99", "Sở Nội vụ", "Giám đốc", "ec-p256"),
        }.items():
            files[name] = (made.write_pkcs12(d / f"{name}.p12"), made.cert_pem().decode())
        root = d / "root.pem"
        root.write_bytes(pki.root_cert.public_bytes(Encoding.PEM))
        files["root"] = root
        yield pki, services, files


@pytest.fixture
def services(live, archive, settings) -> Iterator[PKIServices]:
    from vanban.registry.setup import register_key_file

    pki, svc, files = live
    register_key_file(archive.so_noi_vu, *files["snv"])
    register_key_file(archive.minh, *files["minh"])
    settings.VANBAN_TRUST_ROOTS = str(files["root"])
    settings.VANBAN_ARCHIVE_TSA_URL = svc.tsa_url
    yield svc
    svc.up()


@pytest.fixture
def closed(archive, archival_pdf, services):
    records.file_document(archive.tuan.user, archive.personnel, issue(archive, archival_pdf, "Quyết định tuyển dụng"))
    records.file_document(archive.lan.user, archive.digital, issue(archive, archival_pdf, "Công văn chuyển đổi số"))
    return [
        records.close_dossier(archive.tuan.user, archive.personnel),
        records.close_dossier(archive.lan.user, archive.digital),
    ]


def pdfs(path) -> list[bytes]:
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in zf.namelist() if n.endswith(".pdf")]


def test_each_pdf_in_the_package_has_a_dss_and_a_document_timestamp(archive, closed, live, tmp_path):
    out = tmp_path / "nop-luu.zip"
    result = records.export_transfer(archive.lan.user, closed, out)
    assert result.long_term
    files = pdfs(out)
    assert len(files) == 2
    for data in files:
        reader = PdfFileReader(io.BytesIO(data))
        assert [s.field_name for s in reader.embedded_timestamp_signatures] == ["DauThoiGianLuuTru1"]
        dss = DocumentSecurityStore.read_dss(reader)
        assert dss.crls, "no CRL embedded"


def test_the_signatures_of_each_archived_pdf_are_intact_and_trusted(archive, closed, live, tmp_path):
    out = tmp_path / "nop-luu.zip"
    records.export_transfer(archive.lan.user, closed, out)
    for data in pdfs(out):
        result = validate_pdf(data, [live[0].root_cert])
        assert [(s.kind, s.intact, s.trusted) for s in result.signatures] == [
            ("person", True, True),
            ("agency", True, True),
        ]


def test_the_signatures_of_each_archived_pdf_still_validate(archive, closed, live, tmp_path):
    out = tmp_path / "nop-luu.zip"
    records.export_transfer(archive.lan.user, closed, out)
    pki = live[0]
    for data in pdfs(out):
        result = validate_pdf(data, [pki.root_cert])
        assert result.verdict == "valid"
        assert [s.kind for s in result.signatures] == ["person", "agency"]


@pytest.mark.parametrize("down", ["tsa", "crl"])
def test_an_unreachable_service_refuses_the_transfer_and_nothing_is_marked(archive, closed, services, tmp_path, down):
    services.down(down)
    out = tmp_path / "nop-luu.zip"
    with pytest.raises(TransferRefused) as exc:
        records.export_transfer(archive.lan.user, closed, out)
    assert exc.value.message_vi.startswith("Không bổ sung được dữ liệu kiểm tra dài hạn cho chữ ký số")
    assert exc.value.message_vi.endswith("Chưa hồ sơ nào được nộp lưu.")
    assert not out.exists()
    for dossier in closed:
        dossier.refresh_from_db()
        assert dossier.state == "da-dong"


def test_the_package_of_rewritten_pdfs_verifies_with_their_new_checksums(archive, closed, live, tmp_path):
    from vanban.archivepkg import verify_package

    out = tmp_path / "nop-luu.zip"
    records.export_transfer(archive.lan.user, closed, out)
    report = verify_package(out, trust_roots=live[2]["root"])
    assert report.ok, report
