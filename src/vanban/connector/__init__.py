"""The office's connector to a hub: the outbox that issuing writes (sent by a worker task
with backoff) and the inbox pulled from the hub (verified, de-duplicated, stored, answered
``01``). Reaches the hub only over HTTP; never imports :mod:`vanban.exchange`.

Entry points for other apps: :func:`vanban.connector.services.enqueue_outgoing` (inside the
issuing transaction) and :func:`vanban.connector.services.send_status`.
"""

__all__: list[str] = []
