"""Hash-chained audit log: every state change writes one event in its own transaction.

Public API: :func:`record`, :func:`record_many`, :func:`verify_chain`,
:class:`AuditAction`, :func:`snapshot`.
"""

__all__ = ["record", "record_many", "verify_chain", "snapshot", "AuditAction", "ChainReport", "PendingEvent"]

PUBLIC_MODULES = ("actions",)


def __getattr__(name: str):  # lazy: the app registry must be ready before models import
    if name in {"record", "record_many", "snapshot", "PendingEvent"}:
        from vanban.audit import services

        return getattr(services, name)
    if name in {"verify_chain", "ChainReport"}:
        from vanban.audit import chain

        return getattr(chain, name)
    if name == "AuditAction":
        from vanban.audit.actions import AuditAction

        return AuditAction
    raise AttributeError(name)
