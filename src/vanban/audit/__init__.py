"""Hash-chained audit log: every state change writes one event in its own transaction, on
its chain (one per agency, one for the hub, one for the rest; see :mod:`vanban.audit.chain`).

Public API: :func:`record`, :func:`record_many`, :func:`chain_for`, :func:`verify_chain`,
:func:`chain_keys`, :func:`chain_label_vi`, :func:`agency_chain`, :class:`AuditAction`,
:func:`snapshot`, :class:`ChainReport` and the chain keys ``HUB_CHAIN``, ``SYSTEM_CHAIN``.
"""

__all__ = [
    "record",
    "record_many",
    "chain_for",
    "verify_chain",
    "chain_keys",
    "chain_label_vi",
    "agency_chain",
    "snapshot",
    "AuditAction",
    "ChainReport",
    "HUB_CHAIN",
    "SYSTEM_CHAIN",
    "PendingEvent",
]

PUBLIC_MODULES = ("actions",)

_CHAIN_NAMES = {
    "verify_chain",
    "ChainReport",
    "chain_keys",
    "chain_label_vi",
    "agency_chain",
    "HUB_CHAIN",
    "SYSTEM_CHAIN",
}


def __getattr__(name: str):  # lazy: the app registry must be ready before models import
    if name in {"record", "record_many", "snapshot", "chain_for", "PendingEvent"}:
        from vanban.audit import services

        return getattr(services, name)
    if name in _CHAIN_NAMES:
        from vanban.audit import chain

        return getattr(chain, name)
    if name == "AuditAction":
        from vanban.audit.actions import AuditAction

        return AuditAction
    raise AttributeError(name)
