"""``digitize``: a scan (or a PDF) in, the archival PDF/A with its text and fields out."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from vanban.digitize.errors import DigitizeError
from vanban.digitize.fields import extract_fields
from vanban.digitize.intake import Intake, examine, pdf_text_pages
from vanban.digitize.model import DigitizeOptions, DigitizeResult, PageResult
from vanban.digitize.ocr import OcrRun, run_ocr
from vanban.digitize.orient import page_turns, poorly_read, turn_pages
from vanban.digitize.pdfa import is_pdfa
from vanban.digitize.secrecy import find_secrecy
from vanban.digitize.straighten import straighten_pdf

__all__ = ["digitize", "write_atomically"]

_STAMP_DPI = 150


def digitize(
    source: bytes | Path,
    *,
    filename: str = "",
    options: DigitizeOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DigitizeResult:
    """Digitize ``source`` (the bytes of a scan, or a path to one): PNG, JPEG, TIFF
    (multi-page too) or PDF, told apart by their content, never by ``filename`` (which
    becomes the PDF/A's title when given). ``progress(pages_done, pages_total)`` is called, in the calling
    thread, as pages finish. A PDF whose every page has text is not recognised again.
    Raises :class:`DigitizeError` for what cannot be digitized; nothing is left behind."""
    options = options or DigitizeOptions()
    data = _read(source, options)
    intake = examine(data, options)
    if intake.has_text:
        texts = pdf_text_pages(intake.pdf)
        pages = [PageResult(i + 1, t, 1.0) for i, t in enumerate(texts)]
        pdf = data
        ocr_done = False
        image_stamp = None
        message = "Tệp PDF đã có lớp chữ nên không nhận dạng chữ (OCR) lại; chữ được lấy từ lớp chữ sẵn có."
        if progress:
            progress(intake.page_count, intake.page_count)
    else:
        with ThreadPoolExecutor(1) as pool:
            stamp = pool.submit(_stamp_on_first_page, intake.pdf)  # looked for while the OCR runs
            run = _recognise(intake, options, progress, filename)
            image_stamp = stamp.result()
        texts = pdf_text_pages(run.pdf) if any(p is None for p in run.pages) else []
        pages = [
            PageResult(i + 1, p[0], p[1]) if p is not None else PageResult(i + 1, texts[i], 1.0)
            for i, p in enumerate(run.pages)
        ]
        pdf = run.pdf
        ocr_done = True
        mean = sum(p.confidence for p in pages) / len(pages)
        message = f"Đã nhận dạng chữ (OCR) {len(pages)} trang, độ tin cậy trung bình {mean:.0%}."
        if any(intake.pages_with_text):
            message += " Các trang đã có lớp chữ được giữ nguyên."
    text = "\n\f".join(p.text for p in pages)
    secrecy = find_secrecy(text, stamp=image_stamp if ocr_done else None)
    return DigitizeResult(
        pdf=pdf,
        original=data,
        original_media_type=intake.media_type,
        page_count=intake.page_count,
        pages=pages,
        ocr_done=ocr_done,
        message_vi=message,
        text=text,
        secrecy=secrecy,
        fields=extract_fields(pages[0].text if pages else ""),
        pdfa_ok=is_pdfa(pdf),
    )


def _recognise(
    intake: Intake, options: DigitizeOptions, progress: Callable[[int, int], None] | None, title: str
) -> OcrRun:
    """OCR the scan: leaning pages straightened first; pages that read poorly checked for being
    upside down or on their side, and when some were, turned and the document read again."""
    pdf = intake.pdf
    deskew = False
    if options.deskew:
        straight = straighten_pdf(pdf, intake.pages_with_text, jobs=options.jobs)
        pdf, deskew = straight.pdf, bool(straight.unmeasured)

    def read(source: bytes) -> OcrRun:
        skip_text = any(intake.pages_with_text)
        return run_ocr(source, intake.page_count, options, progress, skip_text=skip_text, title=title, deskew=deskew)

    run = read(pdf)
    if options.rotate:
        poor = poorly_read(run.pages)
        turns = page_turns(pdf, poor, options.page_timeout) if poor else {}
        if turns:
            run = read(turn_pages(pdf, turns))
    return run


def _read(source: bytes | Path, options: DigitizeOptions) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    path = Path(source)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DigitizeError("unreadable", f"Không đọc được tệp {path.name}.", f"Cannot read {path}: {exc}") from exc


def _stamp_on_first_page(pdf: bytes) -> str | None:
    """The secrecy stamp printed in red on the first page (the OCR does not see it: the red
    dropout removes it), or None."""
    from vanban.digitize.stamp import stamp_in_image

    image = _first_page_image(pdf)
    return stamp_in_image(image) if image is not None else None


def _first_page_image(pdf: bytes) -> Image.Image | None:
    """The first page rendered at 150 dpi in colour, for the red stamp search."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        if not len(doc):
            return None
        page = doc[0]
        image: Image.Image = page.render(scale=_STAMP_DPI / 72).to_pil()
        image.info["dpi"] = (_STAMP_DPI, _STAMP_DPI)
        page.close()
        return image
    finally:
        doc.close()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then move it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
