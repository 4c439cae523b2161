"""Long-term validation data (PAdES B-LTA): an issued document (the chairman's signature,
then the province's seal, both timestamped) gets its validation data and a document
timestamp, then still validates with pyHanko years later, after the chairman's
certificate has expired, from the embedded data alone.

These tests use their own CA, made at the real current time, because its certificates
must point at a CRL that is really served (:class:`testkit.pkiservices.PKIServices`,
HTTP on 127.0.0.1) and timestamps carry the real time; the chairman's certificate is
valid for one year only.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation.ades import simulate_future_ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from testkit.pkiservices import PKIServices
from vanban.signing import (
    HttpTimeStamper,
    KeyFileSigner,
    SigningError,
    TestPKI,
    add_long_term_validation,
    add_number_fields,
    fill_number_fields,
    make_sample_pdf,
    make_seal_image,
    make_signature_image,
    seal_pdf,
    sign_pdf,
    validate_pdf,
)
from vanban.signing.pki import IssuedCertificate

PROVINCE = "Ủy ban nhân dân tỉnh Thử Nghiệm"
PROVINCE_CODE = "000.00.12.H53"
YEARS_LATER = timedelta(days=3 * 365)


@pytest.fixture(scope="module")
def live_pki() -> TestPKI:
    return TestPKI.create(None)


@pytest.fixture(scope="module")
def services(live_pki: TestPKI) -> Iterator[PKIServices]:
    with PKIServices(live_pki) as svc:
        yield svc


@pytest.fixture(autouse=True)
def _services_up(services: PKIServices) -> Iterator[None]:
    yield
    services.up()


@pytest.fixture(scope="module")
def chairman(live_pki: TestPKI, services: PKIServices) -> IssuedCertificate:
    return live_pki.issue_person("Nguyễn Văn An", PROVINCE_CODE, PROVINCE, "Chủ tịch", years=1)


@pytest.fixture(scope="module")
def province(live_pki: TestPKI, services: PKIServices) -> IssuedCertificate:
    return live_pki.issue_agency(PROVINCE_CODE, PROVINCE, years=10)


def _issue(person: IssuedCertificate, agency: IssuedCertificate, tsa_url: str | None) -> bytes:
    """As the registry issues a document: visible signature, then the locking seal (B-B;
    B-T when ``tsa_url`` is given)."""
    doc = make_sample_pdf(pages=2)
    stamper = HttpTimeStamper(tsa_url) if tsa_url else None
    signed = sign_pdf(
        doc.pdf,
        KeyFileSigner(person),
        image=make_signature_image(person.common_name),
        box=doc.signature_box,
        timestamper=stamper,
    )
    return seal_pdf(
        signed,
        KeyFileSigner(agency),
        seal_image=make_seal_image(PROVINCE, code=PROVINCE_CODE),
        timestamper=stamper,
    )


@pytest.fixture(scope="module")
def issued(chairman: IssuedCertificate, province: IssuedCertificate, services: PKIServices) -> bytes:
    """Signed and sealed with signature timestamps (B-T)."""
    return _issue(chairman, province, services.tsa_url)


@pytest.fixture(scope="module")
def issued_bb(chairman: IssuedCertificate, province: IssuedCertificate) -> bytes:
    """Signed and sealed as the registry does today: no signature timestamps (B-B)."""
    return _issue(chairman, province, None)


@pytest.fixture(scope="module")
def archived(issued: bytes, live_pki: TestPKI, services: PKIServices) -> bytes:
    return add_long_term_validation(
        issued, trust_roots=[live_pki.root_cert], timestamper=HttpTimeStamper(services.tsa_url)
    )


def _spec(pki: TestPKI) -> PdfSignatureValidationSpec:
    """Revocation information required for every certificate; nothing fetched."""
    root = asn1_x509.Certificate.load(pki.root_cert.public_bytes(Encoding.DER))
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=[root]),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )


def _lta_verdicts(pdf: bytes, pki: TestPKI, when: datetime) -> dict[str, Any]:
    """pyHanko's B-LTA validation of each signature at ``when`` from the file's own data
    (its "future validation" check: no fetching, the last document timestamp's
    certificate taken as not revoked, as a validator then would fetch fresh data for it)."""

    async def run() -> dict[str, Any]:
        reader = PdfFileReader(io.BytesIO(pdf))
        out = {}
        for sig in reader.embedded_regular_signatures:
            res = await simulate_future_ades_lta_validation(sig, _spec(pki), when)
            out[sig.field_name] = res.ades_subindic
        return out

    return asyncio.run(run())


def test_archived_document_validates_as_b_lta_after_the_signers_certificate_expired(
    archived: bytes, live_pki: TestPKI, chairman: IssuedCertificate
) -> None:
    later = datetime.now(tz=UTC) + YEARS_LATER
    assert later > chairman.cert.not_valid_after_utc
    assert _lta_verdicts(archived, live_pki, later) == {"ChuKy1": AdESPassed.OK, "DauCoQuan1": AdESPassed.OK}


def test_without_long_term_data_the_same_validation_fails(issued: bytes, live_pki: TestPKI) -> None:
    later = datetime.now(tz=UTC) + YEARS_LATER
    verdicts = _lta_verdicts(issued, live_pki, later)
    assert set(verdicts) == {"ChuKy1", "DauCoQuan1"}
    assert all(v != AdESPassed.OK for v in verdicts.values())


def _classic_ltv_check(pdf: bytes, pki: TestPKI, when: datetime) -> list[bool]:
    """The classic PAdES LTV check, for signatures without their own timestamp: the last
    document timestamp is valid at ``when``; each signature is valid at that timestamp's
    time from the document security store alone (no fetching, revocation data required)."""
    from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(pki.root_cert.public_bytes(Encoding.DER))
    reader = PdfFileReader(io.BytesIO(pdf))
    if not reader.embedded_timestamp_signatures:
        return [False]
    dss = DocumentSecurityStore.read_dss(reader)
    doc_ts = reader.embedded_timestamp_signatures[-1]
    ts_vc = ValidationContext(trust_roots=[root], other_certs=list(dss.load_certs()), moment=when)
    ts_status = validate_pdf_timestamp(doc_ts, ts_vc)
    if not (ts_status.valid and ts_status.intact and ts_status.trusted):
        return [False]
    vc = dss.as_validation_context(
        {"trust_roots": [root], "moment": ts_status.timestamp, "allow_fetching": False, "revocation_mode": "require"}
    )
    return [validate_pdf_signature(sig, vc).bottom_line for sig in reader.embedded_regular_signatures]


def test_a_document_issued_without_signature_timestamps_verifies_from_its_own_data_years_later(
    issued_bb: bytes, live_pki: TestPKI, services: PKIServices
) -> None:
    archived = add_long_term_validation(issued_bb, trust_roots=[live_pki.root_cert], timestamp_url=services.tsa_url)
    assert _classic_ltv_check(archived, live_pki, datetime.now(tz=UTC) + YEARS_LATER) == [True, True]


def test_without_long_term_data_a_document_issued_without_timestamps_does_not(
    issued_bb: bytes, live_pki: TestPKI
) -> None:
    assert _classic_ltv_check(issued_bb, live_pki, datetime.now(tz=UTC) + YEARS_LATER) == [False]


def test_both_signatures_stay_valid_and_a_document_timestamp_closes_the_file(
    archived: bytes, live_pki: TestPKI
) -> None:
    result = validate_pdf(archived, [live_pki.root_cert])
    assert result.verdict == "valid"
    assert [(s.field_name, s.kind) for s in result.signatures] == [("ChuKy1", "person"), ("DauCoQuan1", "agency")]
    reader = PdfFileReader(io.BytesIO(archived))
    assert [s.field_name for s in reader.embedded_timestamp_signatures] == ["DauThoiGianLuuTru1"]


def test_the_security_store_holds_the_crl_and_the_certificates(
    archived: bytes, live_pki: TestPKI, chairman: IssuedCertificate, province: IssuedCertificate
) -> None:
    from pyhanko.sign.validation import DocumentSecurityStore

    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(archived)))
    serials = {c.serial_number for c in dss.load_certs()}
    assert {chairman.cert.serial_number, province.cert.serial_number} <= serials
    assert dss.crls, "no CRL embedded"
    assert len(dss.vri_entries) >= 2  # one per signature (and the timestamp's)


def test_a_certificate_revoked_before_archiving_is_refused(
    live_pki: TestPKI, services: PKIServices, province: IssuedCertificate
) -> None:
    cu = live_pki.issue_person("Lê Văn Cũ", PROVINCE_CODE, PROVINCE, "Chánh Văn phòng", years=1)
    issued = _issue(cu, province, services.tsa_url)
    live_pki.revoke(cu.cert)
    with pytest.raises(SigningError) as err:
        add_long_term_validation(issued, trust_roots=[live_pki.root_cert], timestamp_url=services.tsa_url)
    assert err.value.code == "ltv_certificate_invalid"
    assert "đã bị thu hồi" in err.value.message_vi


def test_an_unreachable_timestamp_authority_gives_a_clear_error(
    issued: bytes, live_pki: TestPKI, services: PKIServices
) -> None:
    services.down("tsa")
    with pytest.raises(SigningError) as err:
        add_long_term_validation(issued, trust_roots=[live_pki.root_cert], timestamp_url=services.tsa_url)
    assert err.value.code == "tsa_unreachable"
    assert err.value.retryable
    assert "Không kết nối được dịch vụ cấp dấu thời gian" in err.value.message_vi


def test_an_unreachable_crl_gives_a_clear_error(issued: bytes, live_pki: TestPKI, services: PKIServices) -> None:
    services.down("crl")
    with pytest.raises(SigningError) as err:
        add_long_term_validation(issued, trust_roots=[live_pki.root_cert], timestamp_url=services.tsa_url)
    assert err.value.code == "ltv_revocation_unavailable"
    assert err.value.retryable
    assert "Không lấy được thông tin thu hồi chứng thư số" in err.value.message_vi


def test_a_document_without_signature_is_refused(live_pki: TestPKI, services: PKIServices) -> None:
    with pytest.raises(SigningError) as err:
        add_long_term_validation(
            make_sample_pdf(pages=1).pdf, trust_roots=[live_pki.root_cert], timestamp_url=services.tsa_url
        )
    assert err.value.code == "no_signature"


@pytest.fixture(scope="module")
def ocsp_pki() -> Iterator[tuple[TestPKI, PKIServices]]:
    """A CA whose certificates name only an OCSP responder (no CRL distribution point)."""
    pki = TestPKI.create(None)
    with PKIServices(pki, crl=False, ocsp=True) as svc:
        yield pki, svc


def test_with_an_ocsp_responder_the_responses_are_embedded_and_validate_years_later(
    ocsp_pki: tuple[TestPKI, PKIServices],
) -> None:
    from pyhanko.sign.validation import DocumentSecurityStore

    pki, svc = ocsp_pki
    # both certificates expired by then (pyHanko 0.38 judges a still-valid certificate whose
    # embedded OCSP response is stale as a chain failure instead of sliding back to the
    # document timestamp, as it does for a stale CRL)
    person = pki.issue_person("Nguyễn Văn An", PROVINCE_CODE, PROVINCE, "Chủ tịch", years=1)
    agency = pki.issue_agency(PROVINCE_CODE, PROVINCE, years=1)
    archived = add_long_term_validation(
        _issue(person, agency, svc.tsa_url), trust_roots=[pki.root_cert], timestamp_url=svc.tsa_url
    )
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(archived)))
    assert dss.ocsps and not dss.crls
    later = datetime.now(tz=UTC) + YEARS_LATER
    assert _lta_verdicts(archived, pki, later) == {"ChuKy1": AdESPassed.OK, "DauCoQuan1": AdESPassed.OK}


def test_an_unreachable_ocsp_responder_gives_a_clear_error(ocsp_pki: tuple[TestPKI, PKIServices]) -> None:
    pki, svc = ocsp_pki
    person = pki.issue_person("Trần Thị Bình", PROVINCE_CODE, PROVINCE, "Phó Chủ tịch", years=1)
    agency = pki.issue_agency(PROVINCE_CODE, PROVINCE, years=10)
    issued = _issue(person, agency, svc.tsa_url)
    svc.down("ocsp")
    try:
        with pytest.raises(SigningError) as err:
            add_long_term_validation(issued, trust_roots=[pki.root_cert], timestamp_url=svc.tsa_url)
    finally:
        svc.up()
    assert err.value.code == "ltv_revocation_unavailable"


def test_a_document_numbered_before_its_seal_still_validates_once_archived(
    chairman: IssuedCertificate, province: IssuedCertificate, live_pki: TestPKI, services: PKIServices
) -> None:
    # as the registry issues: number fields, the signer, the number filled in, the locking seal
    doc = make_sample_pdf(pages=1)
    pdf = sign_pdf(
        add_number_fields(doc.pdf),
        KeyFileSigner(chairman),
        image=make_signature_image(chairman.common_name),
        box=doc.signature_box,
    )
    pdf = fill_number_fields(pdf, "Số: 13/UBND-VP1", "Hạ Long, ngày 03 tháng 12 năm 2026")
    pdf = seal_pdf(pdf, KeyFileSigner(province), seal_image=make_seal_image(PROVINCE, code=PROVINCE_CODE))
    archived = add_long_term_validation(
        pdf, trust_roots=[live_pki.root_cert], timestamper=HttpTimeStamper(services.tsa_url)
    )
    result = validate_pdf(archived, [live_pki.root_cert])
    assert [(s.field_name, s.verdict) for s in result.signatures] == [("ChuKy1", "valid"), ("DauCoQuan1", "valid")]
