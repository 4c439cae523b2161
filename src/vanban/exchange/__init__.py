"""The interconnection hub (trục liên thông): accepts XML-signed edXML packages from
authenticated agencies, stores them durably, delivers them to inboxes, relays statuses,
keeps a per-recipient timeline and forwards to other hubs. Never imports the office apps.

Service functions live in :mod:`vanban.exchange.services`, the HTTP API in
:mod:`vanban.exchange.api`, background forwarding in :mod:`vanban.exchange.tasks`.
"""

__all__: list[str] = []

# the office apps never import the hub; the entry points (CLI, demo) use these
PUBLIC_MODULES: tuple[str, ...] = ()
