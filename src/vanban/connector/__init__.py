"""The office's connector to a hub: the outbox (documents and statuses queued inside the
step that sends them, sent by a worker with backoff), the inbox pulled from the hub
through a transport (long-polled where the hub allows it) and the arrival pipeline that
verifies, de-duplicates and stores what arrives once. Reaches the hub only over HTTP;
never imports :mod:`vanban.exchange`, and knows nothing of registers.

Other apps use only the names below (typed results; no connector model or file):

- send: :func:`send_document`, :func:`send_status`;
- what arrived: :func:`arrivals` since a cursor, :func:`mark_taken`, :func:`statuses`
  since a cursor, :func:`secret_refusals`;
- what became of what was sent: :func:`delivery_states`, :func:`timelines`;
- accounts: :func:`set_account`, :func:`has_account`;
- errors: :class:`ConnectorError`.

The names load on first use (the app's models are not ready when Django imports this
package).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vanban.connector.accounts import has_account, set_account
    from vanban.connector.errors import ConnectorError
    from vanban.connector.face import (
        ArrivedDocument,
        ArrivedFile,
        ArrivedStatus,
        Delivery,
        Queued,
        SecretRefusal,
        arrivals,
        delivery_states,
        mark_taken,
        secret_refusals,
        send_document,
        send_status,
        sign_envelope,
        statuses,
        timelines,
    )

_WHERE = {
    "set_account": "accounts",
    "has_account": "accounts",
    "ConnectorError": "errors",
    **dict.fromkeys(
        (
            "ArrivedDocument",
            "ArrivedFile",
            "ArrivedStatus",
            "Delivery",
            "Queued",
            "SecretRefusal",
            "arrivals",
            "delivery_states",
            "mark_taken",
            "secret_refusals",
            "send_document",
            "send_status",
            "sign_envelope",
            "statuses",
            "timelines",
        ),
        "face",
    ),
}

__all__ = [
    "ArrivedDocument",
    "ArrivedFile",
    "ArrivedStatus",
    "ConnectorError",
    "Delivery",
    "Queued",
    "SecretRefusal",
    "arrivals",
    "delivery_states",
    "has_account",
    "mark_taken",
    "secret_refusals",
    "send_document",
    "send_status",
    "set_account",
    "sign_envelope",
    "statuses",
    "timelines",
]
assert sorted(__all__) == sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'vanban.connector' has no attribute {name!r}")
    return getattr(importlib.import_module(f"vanban.connector.{module}"), name)
