"""The index is fed from a durable queue: the row written with the document survives a
crash before any worker ran, and a fresh process indexes it."""

import json
import subprocess
import sys

import pytest

from testkit import hub as testing

CREATE_AND_CRASH = """
import os
from vanban.directory import services
from vanban.directory.models import Level
from vanban.registry.services import incoming
from vanban.registry.setup import ensure_registers
from vanban.signing import make_sample_pdf

agency = services.create_agency(None, code="000.00.02.H99", name="Sở Nội vụ", short_name="SNV",
                                level=Level.objects.get(code="tinh"))
ensure_registers(agency)
clerk = services.create_person(None, username="lan", password="mat-khau-thu-nghiem-2026",
                               full_name="Nguyễn Thị Lan", agency=agency, roles=["van-thu"])
incoming.upload_paper(clerk.user, sender_name="Sở Giao thông vận tải",
                      subject="Về việc sửa chữa Đường Lê Lợi", data=make_sample_pdf().pdf, name="scan.pdf")
os._exit(9)  # the process dies right after the commit: no worker ever ran here
"""

WORKER = """
from vanban.search.models import SearchEntry, SearchQueue
from vanban.search.tasks import process_search_queue
before = (SearchQueue.objects.count(), SearchEntry.objects.count())
done = process_search_queue.call()
print(before, done, (SearchQueue.objects.count(), SearchEntry.objects.count()))
"""


def shell(node, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "django", "shell", "--settings=vanban.settings", "-c", code],
        env=node.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db  # the database pass this test belongs to; it runs its own database
def test_a_document_committed_before_a_crash_is_indexed_by_a_fresh_worker(nodes):
    node = nodes("office", "office")
    node.migrate()
    crashed = shell(node, CREATE_AND_CRASH)
    assert crashed.returncode == 9, crashed.stderr
    # a fresh process: the document was queued, not indexed; its worker task indexes it
    assert testing.django_shell(node, WORKER) == "(1, 0) 1 (0, 1)"
    hits = [json.loads(line) for line in node.cli("search", "duong le loi", "--json").splitlines()]
    assert [(h["subject"], h["agency"]) for h in hits] == [("Về việc sửa chữa Đường Lê Lợi", "000.00.02.H99")]
