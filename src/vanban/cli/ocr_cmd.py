"""``vanban ocr IN... -o OUTDIR``: digitize scans into PDF/A with a text layer.

Each input ``NAME.ext`` gives ``OUTDIR/NAME.pdf`` (written to a temporary file, then moved),
with a progress bar per file and page and one summary line in Vietnamese per file. Several
files are digitized at once, the cores shared out between them. A file that cannot be
digitized gets one error line; the others are still processed, and the exit status is then
1 (2 when none of the inputs exists)."""

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
    from rich.progress import Progress

    from vanban.digitize import DigitizeOptions, DigitizeResult

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
    from concurrent.futures import ThreadPoolExecutor

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from vanban.digitize import DigitizeOptions

    outdir = Path(args.output)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"không tạo được thư mục {outdir}: {exc.strerror}") from exc
    cores = max(1, args.jobs)
    # several files: that many at once (a one-page file keeps one core busy), the cores shared out
    workers = min(cores, len(args.inputs))
    options = DigitizeOptions(
        jobs=max(1, cores // workers), seal_dropout=not args.no_seal_dropout, max_pages=max(1, args.max_pages)
    )
    seen: set[str] = set()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("trang"),
        TimeElapsedColumn(),
        transient=True,
        console=_console(),
    ) as bars:
        jobs = []
        for name in args.inputs:
            stem = Path(name).stem
            duplicate = stem in seen
            seen.add(stem)
            jobs.append((name, duplicate))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(lambda job: _one(bars, job[0], outdir, options, job[1]), jobs))
    if all(outcome == "ok" for outcome in outcomes):
        return 0
    return EXIT_INPUT if all(outcome == "missing" for outcome in outcomes) else EXIT_FAILED


def _one(bars: Progress, name: str, outdir: Path, options: DigitizeOptions, duplicate: bool) -> str:
    """Digitize one input into ``outdir``: ``"ok"``, ``"failed"`` or ``"missing"``."""
    from vanban.digitize import DigitizeError, digitize, write_atomically

    path = Path(name)
    target = outdir / f"{path.stem}.pdf"
    if not path.is_file():
        bars.console.print(f"Lỗi: {name}: không có tệp này hoặc không đọc được", markup=False, highlight=False)
        return "missing"
    if duplicate:
        bars.console.print(f"Lỗi: {name}: trùng tên tệp ra {target} với một tệp trước, bỏ qua", markup=False)
        return "failed"
    task = bars.add_task(path.name, total=None)
    try:
        result = digitize(
            path,
            filename=path.name,
            options=options,
            progress=lambda done, total: bars.update(task, completed=done, total=total),
        )
        write_atomically(target, result.pdf)
    except DigitizeError as exc:
        bars.console.print(f"Lỗi: {name}: {exc.message_vi} [{exc.code}]", markup=False, highlight=False)
        return "failed"
    finally:
        bars.remove_task(task)
    bars.console.print(summary_line(f"{name} → {target}", result), markup=False, highlight=False)
    return "ok"


def _console() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=True)
