"""Find a secrecy mark in an edXML envelope's header or in a PDF's first page."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from vanban.pdfguard import PdfRefused, check_pdf


@dataclass(frozen=True)
class Finding:
    """A secrecy mark: the level (code and name), where it was seen and what was seen."""

    level: str
    level_name: str
    where: str
    evidence: str

    def message_vi(self) -> str:
        return (
            f"Văn bản có dấu chỉ độ mật “{self.level_name}” ({self.where}): văn bản mật không được "
            "gửi, nhận qua mạng; đề nghị gửi bản giấy theo quy định bảo vệ bí mật nhà nước."
        )

    def message_en(self) -> str:
        return (
            f"The document carries the secrecy mark '{self.level_name}' ({self.where}); secret "
            "documents must not travel electronically, send it on paper."
        )


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath("marks.json").read_text(encoding="utf-8"))
    return data


def levels() -> list[dict[str, str]]:
    """The secrecy levels, most secret first (code, name, stamp)."""
    return list(_data()["levels"])


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@cache
def _stamp_pattern() -> re.Pattern[str]:
    stamps = sorted((lvl["stamp"] for lvl in levels()), key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(" + "|".join(re.escape(s) for s in stamps) + r")(?![^\W\d_])")


def _level_of(stamp: str) -> dict[str, str]:
    return next(lvl for lvl in levels() if lvl["stamp"] == stamp)


def _finding(stamp: str, where: str, evidence: str) -> Finding:
    lvl = _level_of(stamp)
    return Finding(lvl["code"], lvl["name"], where, evidence[:120])


def in_text(text: str, where: str) -> Finding | None:
    """The stamp word in upper case, standing alone (not part of "BẢO MẬT", "MẬT KHẨU" ...)."""
    text = _norm(text)
    for phrase in _data()["subject_words_not_a_mark"]:
        text = text.replace(phrase, " ")
    found = _stamp_pattern().search(text)
    return _finding(found.group(1), where, text) if found else None


def _value_level(value: str) -> dict[str, str] | None:
    v = _norm(value)
    if v.casefold() in {x.casefold() for x in _data()["not_secret_values"]}:
        return None
    for lvl in levels():
        if v.casefold() in (lvl["stamp"].casefold(), lvl["code"], lvl["name"].casefold()):
            return lvl
    if v.isdigit():  # a numeric level: 1 Mật, 2 Tối mật, 3 Tuyệt mật
        ordered = list(reversed(levels()))
        return ordered[min(int(v), len(ordered)) - 1]
    return levels()[-1]  # marked with something we do not know: treat as at least Mật


def in_envelope(envelope: Any) -> Finding | None:
    """A mark in the envelope's header: an extension element under OtherInfo, or the stamp
    word alone in the subject (``Subject``, ``Content``)."""
    other = getattr(envelope, "other_info", None)
    for name in _data()["extension_elements"]:
        value = (getattr(other, "extensions", None) or {}).get(name)
        if value is not None:
            lvl = _value_level(value)
            if lvl is not None:
                return Finding(lvl["code"], lvl["name"], f"thẻ OtherInfo/{name}", value[:120])
    for label, text in (("trích yếu", envelope.subject), ("nội dung", getattr(envelope, "content", None))):
        if text:
            found = in_text(text, label)
            if found:
                return found
    return None


def in_pdf(data: bytes, pages: int | None = None) -> Finding | None:
    """The stamp alone on a line of the first page(s) of a PDF (the dấu chỉ độ mật).
    A PDF that cannot be read, or that :func:`vanban.pdfguard.check_pdf` refuses (a
    decompression bomb, ...), gives no finding: whoever took it refuses it with the reason."""
    import pypdfium2 as pdfium

    try:
        check_pdf(data)
        pdf = pdfium.PdfDocument(data)
    except (PdfRefused, pdfium.PdfiumError):
        return None
    try:
        for index in range(min(len(pdf), pages or _data()["pdf_pages"])):
            try:
                page = pdf[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                return None
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            for line in text.splitlines():
                line = _norm(line)
                for lvl in levels():
                    if line == lvl["stamp"]:
                        return Finding(lvl["code"], lvl["name"], f"trang {index + 1} của tệp PDF", line)
    finally:
        pdf.close()
    return None
