"""``vanban ocr IN... -o OUTDIR``: digitize scans into PDF/A with a text layer.

Each input ``NAME.ext`` gives ``OUTDIR/NAME.pdf`` (written to a temporary file, then moved),
with a progress bar per file and page and one summary line in Vietnamese per file. A file
that cannot be digitized gets one error line; the others are still processed, and the exit
status is then 1 (2 when no input could be read at all)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vanban.cli import EXIT_FAILED, EXIT_INPUT, CommandError

__all__ = ["register", "summary_line"]

if TYPE_CHECKING:  # subscripting it fails at run time on Python 3.11
    from rich.console import Console

    from vanban.digitize import DigitizeResult

    _Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

_FIELD_LABELS = {
    "agency": "cơ quan",
    "number_notation": "số, ký hiệu",
    "place": "nơi ban hành",
    "date": "ngày",
    "doc_type": "loại văn bản",
    "subject": "trích yếu",
}


def register(subparsers: _Subparsers) -> None:
    p = subparsers.add_parser(
        "ocr",
        help="digitize scans (PDF, TIFF, PNG, JPEG) into PDF/A with a Vietnamese text layer",
        description=(
            "Digitize scans into PDF/A-2b with a text layer (OCRmyPDF, Tesseract 'vie'): pages "
            "deskewed, turned upright and cleaned; red seals and blue signatures dropped from what "
            "the OCR engine reads. Each IN named NAME.ext gives OUTDIR/NAME.pdf. A PDF that already "
            "has text is copied as it is."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="IN")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the PDF/A files")
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="pages recognised at once (default: all cores)"
    )
    p.add_argument("--no-seal-dropout", action="store_true", help="do not drop red seals and blue signatures")
    p.add_argument("--max-pages", type=int, default=500, help="refuse files with more pages (default 500)")
    p.set_defaults(func=_ocr)


def summary_line(name: str, result: DigitizeResult) -> str:
    """One Vietnamese line: pages, mean confidence, whether OCR ran, secrecy, fields found."""
    parts = [f"{result.page_count} trang"]
    if result.ocr_done:
        parts.append(f"đã nhận dạng chữ, độ tin cậy {round(result.confidence * 100)}%")
    else:
        parts.append("đã có lớp chữ, không nhận dạng lại")
    parts.append(f"độ mật: {result.secrecy}" if result.secrecy else "không có dấu mật")
    found = []
    fields = result.fields
    for key, label in _FIELD_LABELS.items():
        field = getattr(fields, key)
        if not field.found:
            continue
        if key == "date":
            found.append(f"{label} {field.value:%d/%m/%Y}")
        elif key == "number_notation":
            found.append(f"{label} {field.value}")
        elif key == "doc_type":
            found.append(f"{label} {fields.doc_type_name.value or field.value}")
        else:
            found.append(label)
    parts.append("trường đọc được: " + (", ".join(found) if found else "không có"))
    if not result.pdfa_ok and result.ocr_done:
        parts.append("CẢNH BÁO: tệp ra không khai báo PDF/A-2b")
    return f"{name}: " + "; ".join(parts)


def _ocr(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from vanban.digitize import DigitizeError, DigitizeOptions, digitize, write_atomically

    outdir = Path(args.output)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"không tạo được thư mục {outdir}: {exc.strerror}") from exc
    options = DigitizeOptions(
        jobs=max(1, args.jobs), seal_dropout=not args.no_seal_dropout, max_pages=max(1, args.max_pages)
    )
    failed = unreadable = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("trang"),
        TimeElapsedColumn(),
        transient=True,
        console=_console(),
    ) as bars:
        for name in args.inputs:
            path = Path(name)
            if not path.is_file():
                bars.console.print(f"Lỗi: {name}: không có tệp này hoặc không đọc được", style=None, markup=False)
                failed += 1
                unreadable += 1
                continue
            task = bars.add_task(path.name, total=None)

            def progress(done: int, total: int, task: TaskID = task) -> None:
                bars.update(task, completed=done, total=total)

            target = outdir / f"{path.stem}.pdf"
            try:
                result = digitize(path, filename=path.name, options=options, progress=progress)
                write_atomically(target, result.pdf)
            except DigitizeError as exc:
                bars.console.print(f"Lỗi: {name}: {exc.message_vi} [{exc.code}]", markup=False, highlight=False)
                failed += 1
                continue
            finally:
                bars.remove_task(task)
            bars.console.print(summary_line(f"{name} → {target}", result), markup=False, highlight=False)
    if failed:
        return EXIT_INPUT if unreadable == len(args.inputs) else EXIT_FAILED
    return 0


def _console() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=True)
