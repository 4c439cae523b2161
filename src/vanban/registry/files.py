"""Receiving uploaded files: PDFs are checked and counted; DOCX/ODT are converted to PDF
with LibreOffice (headless) when it is installed. Everything is stored content-addressed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from vanban.pdfguard import PdfLimits, PdfRefused, check_pdf
from vanban.registry.errors import FileNotKept, InvalidDocument
from vanban.registry.models import StoredFile
from vanban.storage import FileNotStored, put_bytes

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
CONVERTIBLE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
}


def store(data: bytes, name: str, content_type: str) -> StoredFile:
    """Write the bytes, then the row that names them (never a row without its file); a
    write that fails (disk full) is a :class:`FileNotKept` the pages show as it says."""
    try:
        sha256 = put_bytes(data)
    except FileNotStored as exc:
        raise FileNotKept(exc.message_vi, exc.message_en, code=exc.code) from exc
    return StoredFile.objects.create(sha256=sha256, name=name[:255], content_type=content_type, size=len(data))


def pdf_limits() -> PdfLimits:
    """The PDF limits of this site (``settings.VANBAN_PDF_LIMITS``, from the environment)."""
    from django.conf import settings

    return PdfLimits.from_mapping(getattr(settings, "VANBAN_PDF_LIMITS", None))


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF; refuses what is not a readable PDF, or one that
    :func:`vanban.pdfguard.check_pdf` refuses (a decompression bomb, too deep, encrypted, ...),
    with its Vietnamese message and its code."""
    try:
        return check_pdf(data, pdf_limits()).pages
    except PdfRefused as exc:
        raise InvalidDocument(exc.message_vi, exc.message_en, code=exc.code, details=exc.details) from exc


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(data: bytes, name: str) -> bytes:
    """Convert a word-processing file to PDF with LibreOffice headless."""
    binary = libreoffice()
    if binary is None:
        raise InvalidDocument(
            "Máy chủ chưa cài LibreOffice nên không chuyển được tệp Word sang PDF; hãy tải lên tệp PDF.",
            "LibreOffice is not installed: upload a PDF.",
            code="no_converter",
        )
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="vanban-convert-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        try:
            subprocess.run(
                [
                    binary,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise InvalidDocument(
                "Không chuyển được tệp sang PDF.", "Conversion to PDF failed.", code="conversion_failed"
            ) from exc
        out = Path(tmp) / "input.pdf"
        if not out.exists():
            raise InvalidDocument(
                "Không chuyển được tệp sang PDF.", "Conversion to PDF failed.", code="conversion_failed"
            )
        return out.read_bytes()


def accept_main_file(data: bytes, name: str) -> tuple[StoredFile, StoredFile | None, int]:
    """(PDF stored, original stored when converted, page count) for an uploaded main file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidDocument("Tệp quá lớn (tối đa 50 MB).", "File too large (50 MB max).", code="too_large")
    if not data:
        raise InvalidDocument("Tệp trống.", "Empty file.", code="empty_file")
    suffix = Path(name).suffix.lower()
    original = None
    if suffix in CONVERTIBLE:
        original = (data, name, CONVERTIBLE[suffix])
        data = to_pdf(data, name)
        name = Path(name).with_suffix(".pdf").name
    pages = pdf_page_count(data)  # refused before anything is stored: nothing left behind
    source = store(*original) if original else None
    return store(data, name, "application/pdf"), source, pages


def accept_attachment(data: bytes, name: str) -> StoredFile:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidDocument("Tệp đính kèm quá lớn (tối đa 50 MB).", "Attachment too large.", code="too_large")
    pdf_page_count(data)
    return store(data, name, "application/pdf")
