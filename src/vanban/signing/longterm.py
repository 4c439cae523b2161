"""Long-term validation data for signed PDFs (PAdES B-LTA), added when a document is
archived so that its signatures still verify after the certificates expire or the CA
goes away.

:func:`add_long_term_validation` walks every signature of the file (the signer's, the
agency seal, their RFC 3161 timestamps), builds each certificate path to the trust roots
and fetches the revocation information the certificates point at (CRL distribution
points, OCSP), failing hard when it cannot be had; it writes certificates, CRLs and OCSP
responses into the document security store (DSS, with a VRI entry per signature) and
closes the revision with a document timestamp from a timestamp authority, whose own
validation data follows in a last DSS update. Everything is an incremental update: the
earlier signatures' bytes are untouched, and these are the "LTA updates" that a locked
(DocMDP "no changes") document allows.

The data is fetched at archiving time: a signature whose certificate is already revoked
or expired then cannot be made long-term valid and is refused with a clear
:class:`~vanban.signing.errors.SigningError`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info

from vanban.signing._async import run_sync
from vanban.signing.errors import SigningError
from vanban.signing.pdf import _guard
from vanban.signing.timestamps import HttpTimeStamper

__all__ = ["add_long_term_validation", "LTA_TIMESTAMP_FIELD"]

LTA_TIMESTAMP_FIELD = "DauThoiGianLuuTru"


def _asn1(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def add_long_term_validation(
    pdf_bytes: bytes,
    *,
    trust_roots: Sequence[x509.Certificate],
    timestamper: TimeStamper | None = None,
    timestamp_url: str | None = None,
    other_certs: Sequence[x509.Certificate] = (),
    moment: datetime | None = None,
    fetch_timeout: float = 10.0,
) -> bytes:
    """The PDF with validation data for every signature and a document timestamp
    (PAdES B-LTA). ``timestamper`` (or ``timestamp_url``) is the timestamp authority;
    revocation information is fetched from the addresses in the certificates.
    ``moment`` is the time the paths are checked at (default now).

    Raises :class:`SigningError`: ``no_signature``, ``ltv_revocation_unavailable`` (CRL /
    OCSP unreachable), ``ltv_certificate_invalid`` (revoked, expired or untrusted now),
    ``tsa_unreachable`` / ``tsa_bad_reply``, ``ltv_failed``.
    """
    stamper = timestamper or (HttpTimeStamper(timestamp_url, timeout=fetch_timeout) if timestamp_url else None)
    if stamper is None:
        raise SigningError(
            "Chưa cấu hình dịch vụ cấp dấu thời gian cho dữ liệu kiểm tra dài hạn.",
            "No timestamp authority given for long-term validation data.",
            code="tsa_missing",
        )
    _guard(pdf_bytes)
    return run_sync(_add_ltv(pdf_bytes, trust_roots, stamper, other_certs, moment, fetch_timeout))


def _context(
    trust_roots: Sequence[x509.Certificate],
    other_certs: Sequence[x509.Certificate],
    moment: datetime | None,
    fetch_timeout: float,
) -> Any:
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers import OwnedFetcherBackend
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    return ValidationContext(
        trust_roots=[_asn1(c) for c in trust_roots],
        other_certs=[_asn1(c) for c in other_certs],
        allow_fetching=True,
        revocation_mode="hard-fail",
        moment=moment,
        fetcher_backend=OwnedFetcherBackend(AIOHttpFetcherBackend(per_request_timeout=max(1, int(fetch_timeout)))),
    )


async def _add_ltv(
    pdf_bytes: bytes,
    trust_roots: Sequence[x509.Certificate],
    stamper: TimeStamper,
    other_certs: Sequence[x509.Certificate],
    moment: datetime | None,
    fetch_timeout: float,
) -> bytes:
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:
        raise SigningError("Không đọc được tệp PDF.", f"Cannot read the PDF: {exc}", code="pdf_unreadable") from exc
    if not sigs:
        raise SigningError(
            "Văn bản không có chữ ký số để bổ sung dữ liệu kiểm tra dài hạn.",
            "The document carries no signature to make long-term valid.",
            code="no_signature",
        )
    vc = _context(trust_roots, other_certs, moment, fetch_timeout)
    try:
        per_sig = []
        for sig in sigs:
            try:
                paths = await collect_validation_info(sig, vc)
            except SigningError:
                raise
            except Exception as exc:
                raise _path_error(sig, exc) from exc
            per_sig.append((sig, paths))
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        for sig, paths in per_sig:
            DocumentSecurityStore.supply_dss_in_writer(
                writer,
                sig.pkcs7_content.hex().encode("ascii"),
                paths=paths,
                validation_context=vc,
            )
        out = io.BytesIO()
        try:
            await PdfTimeStamper(stamper, field_name=_free_name(sigs)).async_timestamp_pdf(
                writer, "sha256", validation_context=vc, output=out
            )
        except SigningError:
            raise
        except Exception as exc:
            raise _path_error(None, exc) from exc
        return out.getvalue()
    finally:
        await vc.aclose()


def _free_name(sigs: list[Any]) -> str:
    taken = {s.field_name for s in sigs}
    n = 1
    while f"{LTA_TIMESTAMP_FIELD}{n}" in taken:
        n += 1
    return f"{LTA_TIMESTAMP_FIELD}{n}"


def _path_error(sig: Any, exc: Exception) -> SigningError:
    """One clear error for what pyHanko's path validation raised."""
    from pyhanko_certvalidator.errors import (
        InsufficientRevinfoError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    which = f" ({sig.field_name})" if sig is not None else " (dấu thời gian)"
    which_en = f" ({sig.field_name})" if sig is not None else " (the timestamp)"
    if isinstance(exc, InsufficientRevinfoError):
        return SigningError(
            f"Không lấy được thông tin thu hồi chứng thư số (CRL/OCSP){which}: máy chủ của tổ chức "
            "chứng thực không trả lời. Hãy thử lại sau.",
            f"Revocation information (CRL/OCSP) unavailable{which_en}: {exc}",
            code="ltv_revocation_unavailable",
            retryable=True,
        )
    if isinstance(exc, RevokedError):
        return SigningError(
            f"Chứng thư số của chữ ký{which} đã bị thu hồi: không thể bổ sung dữ liệu kiểm tra dài hạn.",
            f"A certificate{which_en} is revoked: {exc}",
            code="ltv_certificate_invalid",
        )
    if isinstance(exc, (PathBuildingError, PathValidationError)):
        return SigningError(
            f"Chứng thư số của chữ ký{which} không hợp lệ tại thời điểm này (hết hạn, bị thu hồi hoặc "
            "không chuỗi về tổ chức chứng thực tin cậy).",
            f"The certificate path{which_en} does not validate now: {exc}",
            code="ltv_certificate_invalid",
        )
    return SigningError(
        f"Không bổ sung được dữ liệu kiểm tra dài hạn cho văn bản{which}.",
        f"Cannot add long-term validation data{which_en}: {type(exc).__name__}: {exc}",
        code="ltv_failed",
        retryable=True,
    )
