"""Hub accounts of the agencies hosted here: set one (the credential sealed at rest: the
native API's token, or the VDXP system's shared secret), read it back, and the
XML-signing identity that signs what the agency sends."""

from __future__ import annotations

from django.db import transaction

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.connector.errors import ConnectorError, NoAccount
from vanban.connector.models import HubAccount, HubProtocol
from vanban.connector.secrets_box import seal, unseal
from vanban.edxml import SigningIdentity, load_identity, sign
from vanban.keystore import read_key
from vanban.secretbox import SecretBoxError

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
    actor,
    agency,
    *,
    hub_url: str,
    token: str = "",
    signing_key_path: str = "",
    signing_cert_path: str = "",
    protocol: str = HubProtocol.NATIVE,
    system_id: str = "",
    secret: str = "",
) -> HubAccount:
    """Set how ``agency`` reaches its hub: the hub's own API (``hub_url`` its ``/hub/v1/``
    base, ``token``) or, with ``protocol="vdxp"``, the national hub's protocol (``hub_url``
    the endpoint, e.g. ``https://truc.gov.vn/vdxp``, ``system_id`` and ``secret`` as the
    hub's operator issued them). The credential is sealed at rest and never audited."""
    if protocol not in HubProtocol.values:
        raise ConnectorError(
            f"Giao thức trục {protocol!r} không được hỗ trợ (chọn native hoặc vdxp).",
            f"Unknown hub protocol {protocol!r} (native or vdxp).",
            code="invalid_protocol",
        )
    if not hub_url.startswith(("http://", "https://")):
        raise ConnectorError("Địa chỉ trục phải là http(s)://.", "The hub URL must be http(s)://.", code="invalid_url")
    if protocol == HubProtocol.VDXP:
        credential = secret
        if not system_id.strip() or not secret:
            raise ConnectorError(
                "Trục VDXP cần mã hệ thống (systemid) và khóa bí mật do đơn vị vận hành trục cấp.",
                "A VDXP hub needs the system id and the secret its operator issued.",
                code="vdxp_credentials_missing",
            )
        if not (system_id.isascii() and secret.isascii()):
            # the vendor's client sends header values one byte per character: a hub could
            # never verify a request signed with them
            raise ConnectorError(
                "Mã hệ thống và khóa bí mật VDXP chỉ được gồm ký tự ASCII (không dấu).",
                "The VDXP system id and secret must be ASCII.",
                code="vdxp_credentials_not_ascii",
            )
    else:
        credential, system_id = token, ""
    with transaction.atomic():
        account, created = HubAccount.objects.update_or_create(
            agency=agency,
            defaults=dict(
                protocol=protocol,
                hub_url=hub_url,
                system_id=system_id.strip(),
                token_sealed=seal(credential),
                active=True,
                signing_key_path=signing_key_path,
                signing_cert_path=signing_cert_path,
            ),
        )
        # the credential itself is never written to the audit log
        audit.record(
            actor,
            AuditAction.CONNECTOR_ACCOUNT_SET,
            account,
            after={
                "agency": agency.code,
                "protocol": protocol,
                "hub_url": hub_url,
                "system_id": account.system_id,
                "created": created,
                "signing_key_path": signing_key_path,
            },
        )
    return account


def hub_token(account: HubAccount) -> str:
    """The account's credential in clear: the API token, or the VDXP shared secret."""
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
    try:
        key = read_key(account.signing_key_path)
    except SecretBoxError as exc:
        raise NoAccount(exc.message_vi, exc.message_en, code=exc.code) from exc
    return load_identity(key, account.signing_cert_path or None, name=account.signing_key_path)


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
