"""How the connector reaches a hub: one small interface (:class:`HubTransport`), one
implementation per wire protocol, chosen per hub account."""

from vanban.connector.transports.base import ArrivedItem, Batch, HubTransport, Sent
from vanban.connector.transports.native import NativeTransport, decode_batch

__all__ = ["HubTransport", "Sent", "ArrivedItem", "Batch", "NativeTransport", "decode_batch", "for_account"]


def for_account(account) -> HubTransport:
    """The transport for a :class:`~vanban.connector.models.HubAccount` (today every hub
    speaks the native API)."""
    from vanban.connector.accounts import hub_token

    return NativeTransport(account.hub_url, hub_token(account))
