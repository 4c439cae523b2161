"""Read the register fields from the recognised text of an administrative document.

Nghị định 30/2020 fixes the layout (Phụ lục I): the agency top left (the superior agency
above the issuing one), the national heading top right, ``Số: 13/UBND-VP1`` under the
agency, place and date under the heading (``Hà Nội, ngày 05 tháng 3 năm 2026``), then the
document type name in capitals with the trích yếu under it, or, for a công văn, ``V/v ...``
under the number. The rules are data (``data/fields.json``) matched on folded text
(:mod:`vanban.digitize.textfold`), so OCR that drops diacritics or reads ``S6:`` for ``Số:``
still matches, and each value is taken from the original text at the same place."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from vanban.digitize.model import Field, Fields
from vanban.digitize.textfold import fold

__all__ = ["extract_fields", "rules"]


@cache
def rules() -> dict[str, Any]:
    """The field rules (``data/fields.json``)."""
    text = resources.files("vanban.digitize").joinpath("data/fields.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    r = rules()
    return {
        "label": re.compile(r"(?<![A-Z0-9])" + r["number_label"]),
        "number": re.compile(r["number"]),
        "date": re.compile(r["date"]),
        "vv": re.compile(r"^\s*" + r["subject_prefix_cong_van"]),
        "heading": re.compile(
            "|".join([*(re.escape(h) for h in r["national_heading"]), *r["national_heading_fragments"]])
        ),
    }


_PLACE_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # what OCR puts around a place name


@dataclass
class _Line:
    text: str  # NFC, whitespace collapsed
    folded: str

    @property
    def blank(self) -> bool:
        return not any(ch.isalnum() for ch in self.text)

    @property
    def capitals(self) -> bool:
        letters = [ch for ch in self.text if ch.isalpha()]
        return bool(letters) and not any(ch.islower() for ch in letters)


def _lines(text: str) -> list[_Line]:
    text = unicodedata.normalize("NFC", text)
    for wrong, right in rules()["ocr_confusions"].items():
        text = text.replace(wrong, right)
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        out.append(_Line(line, fold(line)))
    return out


def _conf(key: str) -> float:
    return float(rules()["confidence"][key])


def extract_fields(text: str) -> Fields:
    """The fields found in ``text`` (a page or a document's recognised text), each a
    :class:`Field` with a confidence; a field not found has value None."""
    lines = _lines(text)
    values: dict[str, Field] = {}
    number_at = _number(lines, values)
    date_at = _date(lines, values, number_at)
    top = min(i for i in (number_at, date_at, len(lines)) if i is not None)
    _agency(lines[:top], values)
    body_from = max(i for i in (number_at, date_at, -1) if i is not None) + 1
    _type_and_subject(lines, body_from, number_at, values)
    return Fields(**values)


def _number(lines: list[_Line], values: dict[str, Field]) -> int | None:
    p = _patterns()
    for index, line in enumerate(lines):
        label = p["label"].search(line.folded)
        if not label:
            continue
        at_start = not any(ch.isalnum() for ch in line.text[: label.start()])
        if not at_start and not any(ch in ":;" for ch in line.text[label.start() : label.end()]):
            continue  # "... theo Kế hoạch số 125/KH-UBND": a number quoted in a sentence
        found = p["number"].match(line.text, label.end())
        if not found:
            continue
        number, notation = found.group(1), re.sub(r"\s+", "", found.group(2)).rstrip("-/")
        exact = line.text[label.start() : label.start() + 2] == "Số" and "/" in found.group(0)
        conf = _conf("exact" if exact else "folded")
        values["number"] = Field(int(number), conf)
        values["notation"] = Field(notation, conf)
        values["number_notation"] = Field(f"{number}/{notation}", conf)
        values["_number_end"] = Field((index, found.end()))
        return index
    return None


def _date(lines: list[_Line], values: dict[str, Field], number_at: int | None) -> int | None:
    p = _patterns()
    for index, line in enumerate(lines):
        found = p["date"].search(line.folded)
        if not found:
            continue
        after_place = line.folded[: found.start()].rstrip().endswith((",", "."))
        near_number = number_at is not None and number_at - 1 <= index <= number_at + 2
        if not (after_place or near_number):
            continue  # "... ngày 12 tháng 01 năm 2026 của ...": a date quoted in a sentence
        day, month, year = (int(g) for g in found.groups())
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        exact = all(word in line.text for word in ("ngày", "tháng", "năm"))
        values["date"] = Field(date, _conf("exact" if exact else "folded"))
        start = 0
        end_of_number = values.get("_number_end")
        if end_of_number is not None and end_of_number.value[0] == index:
            start = end_of_number.value[1]
        place = line.text[start : found.start()]
        heading = p["heading"].search(fold(place))
        if heading:  # "... VIỆT NAM Hà Nội": keep what follows the heading
            place = place[heading.end() :]
        place = _PLACE_EDGES.sub("", place)
        if place:
            values["place"] = Field(place, _conf("exact" if exact else "folded"))
        return index
    return None


def _strip_heading(line: _Line) -> str:
    found = _patterns()["heading"].search(line.folded)
    return line.text[: found.start()].strip(" -|") if found else line.text


def _agency(lines: list[_Line], values: dict[str, Field]) -> None:
    r = rules()
    skip = set(r["not_agency_lines"])
    names = []
    for line in lines:
        text = _strip_heading(line)
        if not text or not any(ch.isalpha() for ch in text):
            continue
        bare = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
        if bare in skip or not _Line(text, fold(text)).capitals:
            continue
        names.append(text)
    if not names:
        return
    name = names[-1]
    if len(names) >= 2:
        cont = r["agency_continuation"]
        first, second = fold(names[-2]), fold(names[-1]) + " "
        paired = first.endswith(tuple(cont["first_line_ends"])) and second.startswith(tuple(cont["second_line_starts"]))
        if (
            paired
            or second.startswith(tuple(cont["second_line_always_continues"]))
            or first.endswith(tuple(cont["first_line_always_continues"]))
        ):
            name = f"{names[-2]} {names[-1]}"
    values["agency"] = Field(name, _conf("exact" if len(names) <= 3 else "folded"))


def _heading_code(line: _Line) -> str | None:
    if not line.capitals:
        return None
    bare = " ".join(re.sub(r"[^\w\s]", " ", line.folded).split())
    for entry in rules()["doc_types"]:
        if bare == entry["heading"]:
            return str(entry["code"])
    return None


def _subject_lines(lines: list[_Line], start: int) -> list[str]:
    ends, later_ends = tuple(rules()["subject_ends"]), tuple(rules()["subject_ends_after_first_line"])
    out: list[str] = []
    for line in lines[start:]:
        if line.blank:
            if out:
                break
            continue
        if line.folded.startswith(ends) or (out and (line.capitals or line.folded.startswith(later_ends))):
            break
        if _patterns()["date"].search(line.folded):
            break
        out.append(line.text)
        if len(out) >= 4:
            break
    return out


def _type_and_subject(lines: list[_Line], body_from: int, number_at: int | None, values: dict[str, Field]) -> None:
    r = rules()
    code = None
    for index in range(body_from, min(len(lines), body_from + 15)):
        code = _heading_code(lines[index])
        if code:
            subject = _subject_lines(lines, index + 1)
            if subject:
                values["subject"] = Field(" ".join(subject), _conf("exact"))
            break
    if code is None:
        start = number_at + 1 if number_at is not None else body_from
        for index in range(start, min(len(lines), start + 6)):
            found = _patterns()["vv"].match(lines[index].folded)
            if found:
                code = "cong-van"
                rest = lines[index].text[found.end() :]
                more = _subject_lines(lines, index + 1) if rest else []
                values["subject"] = Field(" ".join(["V/v " + rest.strip(), *more]).strip(), _conf("exact"))
                break
    notation = values.get("notation")
    if code is None and notation is not None:
        code = _code_from_notation(str(notation.value))
        if code:
            values["doc_type"] = Field(code, _conf("inferred"))
    elif code is not None:
        values["doc_type"] = Field(code, _conf("exact"))
    if code is not None and notation is not None and re.match(r"\d{4}/", str(notation.value)):
        mapped = r["qppl_when_year_in_number"].get(code)
        if mapped:
            values["doc_type"] = Field(mapped, values["doc_type"].confidence)
    if "doc_type" in values:
        name = r["doc_type_names"].get(values["doc_type"].value)
        values["doc_type_name"] = Field(name, values["doc_type"].confidence)
    values.pop("_number_end", None)


def _code_from_notation(notation: str) -> str | None:
    groups = notation.split("/")[-1].split("-")
    code = rules()["abbreviations"].get(groups[0])
    return str(code) if code else ("cong-van" if len(groups) >= 2 else None)
