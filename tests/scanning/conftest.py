"""Scans generated for the digitizing app's tests (testkit.scans: Vietnamese administrative
pages laid out as Nghị định 30 says, "scanned" with noise), the real task worker, and a
consume folder in a temporary directory."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from testkit import scans

PASSWORD = "mat-khau-thu-nghiem-2026"
DPI = 300


TOP = 0.42  # the top of the first page: the header, number, date and subject (OCR ~1-2 s)


def _page(doc: scans.Doc, top: float = TOP):
    image = scans.scan(scans.document_page(doc, DPI), dpi=DPI, noise=8)
    return image.crop((0, 0, image.width, int(image.height * top)))


def page_jpeg(doc: scans.Doc) -> bytes:
    """The top of the document's first page, scanned in colour at 300 dpi (JPEG)."""
    return scans.to_bytes(_page(doc), "JPEG", DPI, quality=88)


def pages_tiff(docs: list[scans.Doc]) -> bytes:
    """A multi-page greyscale TIFF, as a sheet feeder gives it."""
    images = [_page(d, 0.25).convert("L") for d in docs]
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], dpi=(DPI, DPI), compression="tiff_lzw")
    return buf.getvalue()


def doc_of(code: str, secret: bool = False) -> scans.Doc:
    """One of the generated documents: the first of its type (the secret one on request)."""
    return next(d for d in scans.documents() if d.doc_type == code and bool(d.secrecy) == secret)


@pytest.fixture(scope="session")
def cong_van() -> scans.Doc:
    return doc_of("cong-van")


@pytest.fixture(scope="session")
def cong_van_scan(cong_van) -> bytes:
    return page_jpeg(cong_van)


@pytest.fixture(scope="session")
def searchable_pdf(cong_van_scan) -> bytes:
    """The công văn as a searchable PDF: what digitizing its scan gives (a real OCR run,
    once per session). Digitized again, it is not recognised again (fast): the tests of the
    clerk's steps use it."""
    from vanban.digitize import digitize

    return digitize(cong_van_scan, filename="cong-van.jpg").pdf


@pytest.fixture(scope="session")
def secret_pdf() -> bytes:
    """A PDF with a text layer whose first page carries the stamp MẬT on its own line."""
    from fpdf import FPDF

    doc = doc_of("cong-van", secret=True)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("serif", "", f"{scans.FONT_DIR}/LiberationSerif-Regular.ttf")
    pdf.set_font("serif", size=13)
    for line in [doc.superior, doc.agency, f"Số: {doc.number_notation}", doc.secrecy, *doc.subject, *doc.body]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def run_worker() -> None:
    """The database task backend's worker, as ``vanban worker --batch`` runs it: every
    waiting task, then return."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def login(client, username: str):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def upload(client):
    """Upload scans on the page as Lan (the clerk of Sở Nội vụ) and return the jobs."""

    def send(*files: tuple[str, bytes]):
        from vanban.scanning.models import ScanJob

        login(client, "lan")
        before = set(ScanJob.objects.values_list("pk", flat=True))
        handles = []
        for name, data in files:
            handle = io.BytesIO(data)
            handle.name = name
            handles.append(handle)
        response = client.post("/so-hoa/", {"files": handles}, follow=True)
        assert response.status_code == 200
        return list(ScanJob.objects.exclude(pk__in=before).order_by("pk"))

    return send


@pytest.fixture
def digitized(office, upload):
    """A finished job: the công văn scan uploaded and run by the worker."""

    def make(name: str, data: bytes):
        (job,) = upload((name, data))
        run_worker()
        job.refresh_from_db()
        return job

    return make


@pytest.fixture
def consume_dir(tmp_path, settings, personas) -> Path:
    """``VANBAN_CONSUME_DIR`` in a temporary folder, with Sở Nội vụ's folder made."""
    root = tmp_path / "consume"
    (root / personas.so_noi_vu.code).mkdir(parents=True)
    settings.VANBAN_CONSUME_DIR = str(root)
    return root


def drop(folder: Path, name: str, data: bytes, *, age: float = 60.0) -> Path:
    """A file the scanner finished writing ``age`` seconds ago."""
    path = folder / name
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return path
