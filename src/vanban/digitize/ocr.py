"""Run OCRmyPDF on a checked PDF, in a private temporary folder, with our plugin.

OCRmyPDF runs as its own process (``python -m ocrmypdf``) in a new process group, so the
overall ``timeout`` can end it and every worker it started at once; the calling thread
meanwhile reports progress (pages done, counted from the plugin's page files). The output
is read back only when OCRmyPDF finished without error, and the folder is removed either
way: nothing half-made is left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vanban.digitize.errors import DigitizeError
from vanban.digitize.model import DigitizeOptions

__all__ = ["OcrRun", "run_ocr", "ocrmypdf_command"]

PLUGIN = "vanban.digitize.ocr_plugin"
_POLL = 0.2
# OCRmyPDF's exit codes (ocrmypdf.exceptions.ExitCode) that say the input was at fault
_INPUT_FILE, _ENCRYPTED = 2, 8


@dataclass(frozen=True)
class OcrRun:
    """The PDF/A made, each page's text and confidence (in page order; None for a page that
    was not recognised because it already had text)."""

    pdf: bytes
    pages: list[tuple[str, float] | None]


def ocrmypdf_command(
    source: Path, output: Path, options: DigitizeOptions, *, skip_text: bool, title: str = "", deskew: bool = False
) -> list[str]:
    """The OCRmyPDF command line for ``options`` (our plugin included); ``title`` goes to the
    PDF/A's metadata. Straightening, turning and cleaning are this library's own
    (:mod:`~vanban.digitize.straighten`, :mod:`~vanban.digitize.orient`, the plugin's
    cleaning): ``deskew`` asks OCRmyPDF's slower ``--deskew`` for pages they cannot measure."""
    command = [sys.executable, "-m", "ocrmypdf", "--quiet", "-l", options.language, "--output-type", "pdfa-2"]
    command += ["--jobs", str(max(1, options.jobs)), "--plugin", PLUGIN]
    command += ["--tesseract-timeout", str(options.page_timeout)]
    command += ["--max-image-mpixels", str(options.max_pixels * 4 / 1_000_000)]
    command += ["--deskew"] * deskew
    command += ["--skip-text"] * skip_text
    command += ["--title", title] if title else []
    return [*command, str(source), str(output)]


# what OCRmyPDF writes as a page's text when Tesseract gave up on it (timed out, or found
# nothing it could read): never a page's text
SKIPPED_PAGE = "[skipped page]"


def run_ocr(
    pdf: bytes,
    page_count: int,
    options: DigitizeOptions,
    progress: Callable[[int, int], None] | None = None,
    *,
    skip_text: bool = False,
    title: str = "",
    deskew: bool = False,
) -> OcrRun:
    """OCR ``pdf`` into a PDF/A-2b; ``skip_text`` keeps pages that already have text.

    A page Tesseract gave up on (it timed out on a busy machine, or the page is blank) is
    recognised once more in a second run; what it still gives up on is a page with no text
    and confidence 0, never OCRmyPDF's placeholder."""
    run = _run_once(pdf, page_count, options, progress, skip_text=skip_text, title=title, deskew=deskew)
    if any(page is not None and page[0].strip() == SKIPPED_PAGE for page in run.pages):
        run = _run_once(pdf, page_count, options, progress, skip_text=skip_text, title=title, deskew=deskew)
    pages = [("", 0.0) if page is not None and page[0].strip() == SKIPPED_PAGE else page for page in run.pages]
    return OcrRun(run.pdf, pages)


def _run_once(
    pdf: bytes,
    page_count: int,
    options: DigitizeOptions,
    progress: Callable[[int, int], None] | None,
    *,
    skip_text: bool,
    title: str,
    deskew: bool,
) -> OcrRun:
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        source, output = folder / "input.pdf", folder / "output.pdf"
        source.write_bytes(pdf)
        (folder / "digitize.json").write_text(
            json.dumps({"seal_dropout": options.seal_dropout, "clean": options.clean}), encoding="utf-8"
        )
        log = (folder / "ocrmypdf.log").open("wb")
        process = subprocess.Popen(
            ocrmypdf_command(source, output, options, skip_text=skip_text, title=title, deskew=deskew),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: ended all at once on timeout
        )
        try:
            _wait(process, folder, page_count, options, progress)
        finally:
            log.close()
            if process.poll() is None:
                _end(process)
        if process.returncode != 0 or not output.exists():
            raise _ocr_error(process.returncode, (folder / "ocrmypdf.log").read_text(errors="replace")[-2000:])
        pages: list[tuple[str, float] | None] = []
        for number in range(1, page_count + 1):
            path = folder / "pages" / f"{number:06d}.json"
            if path.exists():
                data = json.loads(path.read_text(encoding="utf-8"))
                pages.append((data["text"], float(data["confidence"])))
            else:
                pages.append(None)
        if progress:
            progress(page_count, page_count)
        return OcrRun(output.read_bytes(), pages)


def _wait(
    process: subprocess.Popen[bytes],
    folder: Path,
    page_count: int,
    options: DigitizeOptions,
    progress: Callable[[int, int], None] | None,
) -> None:
    started = time.monotonic()
    done = -1
    while True:
        try:
            process.wait(_POLL)
            return
        except subprocess.TimeoutExpired:
            pass
        if progress:
            finished = len(list((folder / "pages").glob("*.json"))) if (folder / "pages").exists() else 0
            if finished != done:
                done = finished
                progress(min(finished, page_count), page_count)
        if time.monotonic() - started > options.timeout:
            _end(process)
            seconds = f"{options.timeout:g}".replace(".", ",")  # Vietnamese decimal comma
            raise DigitizeError(
                "timeout",
                f"Nhận dạng chữ (OCR) quá {seconds} giây nên đã dừng; tệp chưa được số hóa, "
                "hãy thử lại với tệp ít trang hơn.",
                f"OCR took longer than {options.timeout} s and was stopped.",
                retryable=True,
            )


def _end(process: subprocess.Popen[bytes]) -> None:
    """End OCRmyPDF and every worker of its process group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _ocr_error(code: int | None, log: str) -> DigitizeError:
    if code == _ENCRYPTED:
        return DigitizeError("encrypted_pdf", "Tệp PDF được mã hóa nên không số hóa được.", log)
    if code == _INPUT_FILE:
        return DigitizeError(
            "not_image_or_pdf", "Không đọc được nội dung tệp để nhận dạng chữ: tệp hỏng hoặc không hỗ trợ.", log
        )
    return DigitizeError(
        "ocr_failed",
        "Nhận dạng chữ (OCR) thất bại; tệp chưa được số hóa, hãy thử lại hoặc quét lại.",
        f"OCRmyPDF exited with {code}: {log}",
    )
