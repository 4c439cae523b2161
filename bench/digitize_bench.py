"""Benchmark: pages per minute of vanban.digitize (intake checks, red-seal and blue-signature
dropout, per-page confidence, fields, secrecy) against OCRmyPDF on the same pages in the same
run, interleaved round by round. Two baselines: bare ``ocrmypdf -l vie`` (what the issue
names) and ``ocrmypdf -l vie --deskew --rotate-pages --clean --output-type pdfa`` (OCRmyPDF's
own straightening, turning and cleaning, which vanban.digitize replaces by its own: a lean
measured on a small copy and turned by the page's transformation, orientation asked only of
pages that read poorly, cleaning in the OCR image filter). The pages lean 0.5°, under the
1° vanban straightens (see ``vanban.digitize.straighten.MIN_ANGLE``); ``--lean 2`` makes them
lean enough to be turned.
Goal: at least 0.9 of OCRmyPDF's pages per minute. Prints the figures; asserts nothing.

    .venv/bin/python bench/digitize_bench.py [--pages 4] [--rounds 2] [--jobs 2] [--lean 0.5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # testkit

import img2pdf  # noqa: E402

from testkit import scans  # noqa: E402
from vanban.digitize import DigitizeOptions, digitize  # noqa: E402


def _pages(count: int, lean: float = 0.5) -> bytes:
    """``count`` 200-dpi colour JPEG pages, alternating a dense seal and a light one, in a PDF."""
    images = []
    for k in range(count):
        page = scans.signed_page(200, "dense" if k % 2 == 0 else "light")
        images.append(scans.to_bytes(scans.scan(page.image, dpi=200, skew=lean, noise=8), "JPEG", 200, 80))
    return bytes(img2pdf.convert(images))


def _bare(pdf: Path, out: Path, jobs: int, same_work: bool) -> float:
    """The ``ocrmypdf`` command, as vanban.digitize runs it (its own process)."""
    extra = ["--deskew", "--rotate-pages", "--clean", "--output-type", "pdfa-2"] if same_work else []
    started = time.perf_counter()
    command = [sys.executable, "-m", "ocrmypdf", "-q", "-l", "vie", "--jobs", str(jobs), *extra, str(pdf), str(out)]
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def _ours(data: bytes, jobs: int) -> float:
    started = time.perf_counter()
    digitize(data, options=DigitizeOptions(jobs=jobs))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--lean", type=float, default=0.5, help="degrees the scanned pages lean")
    args = parser.parse_args()
    data = _pages(args.pages, args.lean)
    times: dict[str, list[float]] = {"vanban.digitize": [], "ocrmypdf -l vie": [], "ocrmypdf, same preprocessing": []}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        for _ in range(args.rounds):
            times["ocrmypdf -l vie"].append(_bare(source, Path(tmp) / "bare.pdf", args.jobs, same_work=False))
            times["vanban.digitize"].append(_ours(data, args.jobs))
            times["ocrmypdf, same preprocessing"].append(_bare(source, Path(tmp) / "same.pdf", args.jobs, True))
    rate = {name: args.pages / statistics.median(values) * 60 for name, values in times.items()}
    print(
        f"{args.pages} pages (200-dpi colour JPEG, red seal + blue signature, leaning {args.lean:g}°), "
        f"{args.rounds} rounds, jobs={args.jobs}"
    )
    for name, value in rate.items():
        print(f"  {name:30s} {value:6.1f} pages/min (median of {times[name]})")
    ours = rate["vanban.digitize"]
    print(f"ratio vanban.digitize / ocrmypdf -l vie:              {ours / rate['ocrmypdf -l vie']:.2f} (goal >= 0.9)")
    print(f"ratio vanban.digitize / ocrmypdf same preprocessing:  {ours / rate['ocrmypdf, same preprocessing']:.2f}")


if __name__ == "__main__":
    main()
