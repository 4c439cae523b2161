"""The OCRmyPDF plugin of the digitizing library (loaded by module name in every worker).

Two hooks: ``filter_ocr_image`` drops the red seal and the blue signature from the image the
OCR engine reads (:mod:`vanban.digitize.dropout`) and cleans it (:mod:`vanban.digitize.clean`),
and ``get_ocr_engine`` gives Tesseract's
engine with one addition: after each page it writes the page's text and mean word
confidence (from the hOCR ``x_wconf`` values) as ``pages/NNNNNN.json`` beside the input file,
where :mod:`vanban.digitize.ocr` collects them (the workers are separate processes, so files
are the simplest channel, and progress is counted from them). The run's settings are read
from ``digitize.json`` in the same folder."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins import tesseract_ocr
from PIL import Image

from vanban.digitize.clean import clean_page
from vanban.digitize.dropout import drop_marks

SETTINGS = "digitize.json"
PAGES = "pages"

_WCONF = re.compile(r"x_wconf (\d+)")


def run_folder(options: Any) -> Path:
    """The folder of the run: where the input, the settings and the page results are."""
    return Path(str(options.input_file)).parent


@cache
def _settings(folder: str) -> dict[str, Any]:
    path = Path(folder) / SETTINGS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@hookimpl
def filter_ocr_image(page: Any, image: Image.Image) -> Image.Image:
    settings = _settings(str(run_folder(page.options)))
    if settings.get("seal_dropout", True):
        image = drop_marks(image)
    if settings.get("clean", True):
        image = clean_page(image if image.mode == "L" else image.convert("L")) if image.mode != "1" else image
    result: Image.Image = tesseract_ocr.filter_ocr_image(page=page, image=image)
    return result


def page_result(hocr: str, text: str) -> dict[str, Any]:
    """The page's text and mean word confidence 0..1 from Tesseract's hOCR."""
    confidences = [int(v) for v in _WCONF.findall(hocr)]
    return {"text": text, "confidence": (sum(confidences) / len(confidences) / 100) if confidences else 0.0}


class _Engine(tesseract_ocr.TesseractOcrEngine):
    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        tesseract_ocr.TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        number = int(Path(input_file).name.split("_", 1)[0])
        folder = run_folder(options) / PAGES
        folder.mkdir(exist_ok=True)
        result = page_result(
            Path(output_hocr).read_text(encoding="utf-8", errors="replace"),
            Path(output_text).read_text(encoding="utf-8", errors="replace") if Path(output_text).exists() else "",
        )
        tmp = folder / f"{number:06d}.tmp"
        tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / f"{number:06d}.json")


@hookimpl
def get_ocr_engine(options: Any) -> tesseract_ocr.TesseractOcrEngine:
    return _Engine()
