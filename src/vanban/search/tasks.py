"""Background task of the search app (run by ``vanban worker``): index what the queue holds."""

from django_tasks import task


@task()
def process_search_queue() -> int:
    from vanban.search.indexer import process_queue

    return process_queue()
