"""Background tasks of the registry (run by ``vanban worker``)."""

from django_tasks import task

from vanban.registry import sync


@task()
def apply_exchange_updates() -> dict:
    """Turn received packages into incoming documents; apply recipients' statuses and the
    outbox's fate to outgoing documents."""
    from vanban.registry.services.incoming import take_received_packages

    return {
        "incoming": take_received_packages(),
        "statuses": sync.apply_statuses(),
        "deliveries": sync.apply_outbox_states(),
    }


@task()
def refresh_hub_timelines() -> int:
    """Copy the hub's per-recipient timelines onto recently issued documents."""
    return sync.refresh_timelines()


@task()
def send_deadline_reminders() -> int:
    """Automatic follow-ups before and after incoming documents' deadlines."""
    from vanban.registry.services.followup import send_deadline_reminders as run

    return run()
