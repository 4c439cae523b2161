"""Background tasks of digitizing (run by ``vanban worker`` and the demo's worker thread)."""

from django_tasks import task

from vanban.scanning import consume, services

QUEUE = "so-hoa"
"""Digitizing's own queue (``vanban worker --queue so-hoa`` runs a worker for it alone)."""


@task(queue_name=QUEUE)
def digitize_scan(job_id: int) -> str:
    """OCR one scan job to PDF/A, its progress saved page by page."""
    return services.run(job_id)


@task()
def watch_consume_folders() -> int:
    """Take the files the scanners dropped into the agencies' consume folders; queue again
    the jobs whose task was lost (queued for more than a minute and never started)."""
    return len(consume.sweep()) + services.requeue_lost()
