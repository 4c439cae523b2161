"""Background task of the fixity app (run by ``vanban worker``): check the next batch."""

from django_tasks import task


@task()
def check_fixity() -> int:
    """Check one batch of stored files; the number of problems found."""
    from vanban.fixity.services import check_batch

    return len(check_batch().findings)
