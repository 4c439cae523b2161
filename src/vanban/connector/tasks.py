"""Background work of the connector (django-tasks): send the outbox, pull the inboxes.

All are idempotent: the hub accepts a package once, the inbox stores a document once."""

from __future__ import annotations

import logging

from django_tasks import task

from vanban.connector import inbox, outbox
from vanban.connector.accounts import active_accounts

logger = logging.getLogger(__name__)


@task()
def send_outbox_item(item_id: int) -> str:
    return outbox.send_item(item_id)


@task()
def flush_outbox() -> int:
    """Send the due items (new, or waiting for their next attempt after a failure); an
    agency whose hub does not answer gets one try this round (:func:`outbox.send_due`)."""
    return outbox.send_due()


@task()
def pull_inbox() -> dict:
    totals = {"received": 0, "duplicates": 0, "statuses": 0, "errors": 0}
    for account in active_accounts():
        result = inbox.pull(account)
        totals["received"] += result.received
        totals["duplicates"] += result.duplicates
        totals["statuses"] += result.statuses
        totals["errors"] += len(result.errors)
        for err in result.errors:
            logger.warning("pull %s: %s", account.agency.code, err)
    return totals
