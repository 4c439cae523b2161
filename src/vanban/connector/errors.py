"""Errors of the connector, on :class:`vanban.errors.DomainError`: stable code, Vietnamese
and English messages, and whether trying again can help (a hub that is down) or not (the
hub refused the package)."""

from __future__ import annotations

from vanban.errors import DomainError


class ConnectorError(DomainError):
    code = "connector_error"


class NoAccount(ConnectorError):
    code = "no_hub_account"


class HubUnavailable(ConnectorError):
    code = "hub_unavailable"
    retryable = True

    def __init__(self, detail: str) -> None:
        super().__init__(f"Không kết nối được trục liên thông: {detail}", f"The hub cannot be reached: {detail}")


class HubRefused(ConnectorError):
    code = "hub_refused"


class PackageUnreadable(ConnectorError):
    """What the hub delivered cannot be read as the package it was listed as (not edXML,
    or an envelope listed as a status): fetching it again gives the same bytes, so the
    inbox refuses it at the hub where the protocol can say so (VDXP ``updateStatus fail``)."""

    code = "unreadable_package"


class AttachmentRefused(PackageUnreadable):
    """A package whose attached PDF :func:`vanban.pdfguard.check_pdf` refuses (a
    decompression bomb, too deep, encrypted): refused at the hub like an unreadable one,
    with the attachment and the PDF's refusal code in ``details``."""

    code = "attachment_refused"
