"""How the connector reaches a hub: one small interface (:class:`HubTransport`), one
implementation per wire protocol, chosen per hub account (``HubAccount.protocol``): the
hub's own API (:mod:`.native`) or the national hub's protocol (:mod:`.vdxp`)."""

from vanban.connector.transports.base import ArrivedItem, Batch, HubTransport, Sent
from vanban.connector.transports.native import NativeTransport, decode_batch
from vanban.connector.transports.vdxp import VdxpTransport

__all__ = [
    "HubTransport",
    "Sent",
    "ArrivedItem",
    "Batch",
    "NativeTransport",
    "VdxpTransport",
    "decode_batch",
    "for_account",
]


def for_account(account) -> HubTransport:
    """The transport for a :class:`~vanban.connector.models.HubAccount`, by its protocol."""
    from vanban.connector.accounts import hub_token
    from vanban.connector.models import HubProtocol

    if account.protocol == HubProtocol.VDXP:
        return VdxpTransport(account.hub_url, account.system_id, hub_token(account), account.agency.code)
    return NativeTransport(account.hub_url, hub_token(account))
