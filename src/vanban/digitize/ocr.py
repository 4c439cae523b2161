"""Run OCRmyPDF on a checked PDF in a private temporary folder, with our plugin.

The run happens in a worker thread while the calling thread reports progress (pages done,
counted from the plugin's page files) and enforces the overall timeout; the output is read
back only when OCRmyPDF finished without error, so nothing half-made leaves the folder."""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vanban.digitize.errors import DigitizeError
from vanban.digitize.model import DigitizeOptions

__all__ = ["OcrRun", "run_ocr"]

PLUGIN = "vanban.digitize.ocr_plugin"
_POLL = 0.2


@dataclass(frozen=True)
class OcrRun:
    """The PDF/A made, each page's text and confidence (in page order; None for a page that
    was not recognised because it already had text)."""

    pdf: bytes
    pages: list[tuple[str, float] | None]


def run_ocr(
    pdf: bytes,
    page_count: int,
    options: DigitizeOptions,
    progress: Callable[[int, int], None] | None = None,
    *,
    skip_text: bool = False,
) -> OcrRun:
    """OCR ``pdf`` into a PDF/A-2b; ``skip_text`` keeps pages that already have text."""
    import ocrmypdf

    logging.getLogger("ocrmypdf").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:
        folder = Path(tmp)
        source, output, sidecar = folder / "input.pdf", folder / "output.pdf", folder / "sidecar.txt"
        source.write_bytes(pdf)
        (folder / "digitize.json").write_text(json.dumps({"seal_dropout": options.seal_dropout}), encoding="utf-8")
        failure: list[BaseException] = []

        def work() -> None:
            try:
                ocrmypdf.ocr(
                    source,
                    output,
                    language=[options.language],
                    deskew=options.deskew,
                    rotate_pages=options.rotate,
                    clean=options.clean,
                    jobs=max(1, options.jobs),
                    output_type="pdfa-2",
                    sidecar=sidecar,
                    mode="skip" if skip_text else None,
                    progress_bar=False,
                    tesseract_timeout=options.page_timeout,
                    max_image_mpixels=options.max_pixels / 1_000_000 * 4,
                    plugins=[PLUGIN],
                )
            except BaseException as exc:  # reported in the calling thread
                failure.append(exc)

        thread = threading.Thread(target=work, name="vanban-ocr", daemon=True)
        started = time.monotonic()
        thread.start()
        done = -1
        while thread.is_alive():
            thread.join(_POLL)
            finished = len(list((folder / "pages").glob("*.json"))) if (folder / "pages").exists() else 0
            if progress and finished != done:
                done = finished
                progress(min(finished, page_count), page_count)
            if time.monotonic() - started > options.timeout:
                raise DigitizeError(
                    "timeout",
                    f"Nhận dạng chữ (OCR) quá {int(options.timeout)} giây nên đã dừng; hãy thử lại với tệp ít trang hơn.",
                    f"OCR took longer than {options.timeout} s.",
                    retryable=True,
                )
        if failure:
            raise _ocr_error(failure[0])
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


def _ocr_error(exc: BaseException) -> DigitizeError:
    if isinstance(exc, DigitizeError):
        return exc
    import ocrmypdf.exceptions as ox

    if isinstance(exc, ox.EncryptedPdfError):
        return DigitizeError("encrypted_pdf", "Tệp PDF được mã hóa nên không số hóa được.", str(exc))
    if isinstance(exc, ox.InputFileError | ox.UnsupportedImageFormatError):
        return DigitizeError(
            "not_image_or_pdf", "Không đọc được nội dung tệp để nhận dạng chữ: tệp hỏng hoặc không hỗ trợ.", str(exc)
        )
    return DigitizeError(
        "ocr_failed",
        "Nhận dạng chữ (OCR) thất bại; tệp chưa được số hóa, hãy thử lại hoặc quét lại.",
        f"OCR failed: {type(exc).__name__}: {exc}",
        retryable=isinstance(exc, OSError),
    )
