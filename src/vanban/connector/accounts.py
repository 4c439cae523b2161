"""Hub accounts of the agencies hosted here: set one (the token sealed at rest), read its
token, and the XML-signing identity that signs what the agency sends."""

from __future__ import annotations

from django.db import transaction

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.connector.errors import ConnectorError, NoAccount
from vanban.connector.models import HubAccount
from vanban.connector.secrets_box import seal, unseal
from vanban.edxml import SigningIdentity, load_identity, sign

__all__ = [
    "set_account",
    "has_account",
    "hub_token",
    "account_for",
    "signing_identity",
    "sign_envelope",
    "active_accounts",
]


def set_account(
    actor, agency, *, hub_url: str, token: str, signing_key_path: str = "", signing_cert_path: str = ""
) -> HubAccount:
    if not hub_url.startswith(("http://", "https://")):
        raise ConnectorError("Địa chỉ trục phải là http(s)://.", "The hub URL must be http(s)://.", code="invalid_url")
    with transaction.atomic():
        account, created = HubAccount.objects.update_or_create(
            agency=agency,
            defaults=dict(
                hub_url=hub_url,
                token_sealed=seal(token),
                active=True,
                signing_key_path=signing_key_path,
                signing_cert_path=signing_cert_path,
            ),
        )
        # the token itself is never written to the audit log
        audit.record(
            actor,
            AuditAction.CONNECTOR_ACCOUNT_SET,
            account,
            after={
                "agency": agency.code,
                "hub_url": hub_url,
                "created": created,
                "signing_key_path": signing_key_path,
            },
        )
    return account


def hub_token(account: HubAccount) -> str:
    return unseal(account.token_sealed)


def active_accounts() -> list[HubAccount]:
    return list(HubAccount.objects.filter(active=True).select_related("agency"))


def account_for(agency_id: int) -> HubAccount:
    """The agency's active account; :class:`NoAccount` (worth retrying: an administrator
    may set it) when there is none."""
    account = HubAccount.objects.select_related("agency").filter(agency_id=agency_id, active=True).first()
    if account is None:
        raise NoAccount("Cơ quan chưa có tài khoản trục liên thông.", "The agency has no hub account.", retryable=True)
    return account


def signing_identity(account: HubAccount) -> SigningIdentity:
    """The account's XML-signing key; refused for good (not retried) when it has none."""
    if not account.signing_key_path:
        raise NoAccount(
            "Tài khoản trục chưa có khóa ký XML.", "The hub account has no XML-signing key.", code="no_signing_key"
        )
    return load_identity(account.signing_key_path, account.signing_cert_path or None)


def sign_envelope(agency, data: bytes) -> bytes:
    """XML-sign an envelope with the key of ``agency``'s hub account (the transport
    signature the hub checks against the sender); :class:`NoAccount` when there is none."""
    account = HubAccount.objects.filter(agency=agency, active=True).first()
    if account is None:
        raise NoAccount(
            f"{agency.name} chưa được kết nối với trục liên thông (chưa có tài khoản trục).",
            f"{agency.code} has no hub account.",
            code="no_account",
        )
    return sign(data, signing_identity(account))


def has_account(agency) -> bool:
    """Whether ``agency`` can send through a hub."""
    return HubAccount.objects.filter(agency=agency, active=True).exists()
