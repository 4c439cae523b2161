"""The secrecy stamp (dấu chỉ độ mật) on a scanned page.

In the recognised text, the stamp is a line holding only the stamp words (``MẬT``,
``TỐI MẬT``, ``TUYỆT MẬT``, often read inside a frame as ``| MẬT |``), in capitals: the word
*mật* inside a sentence ("bí mật nhà nước", "Mật khẩu") is not a stamp. The levels and their
stamps are :func:`vanban.secrecy.levels` (the same data the registry uses).

In the image, the stamp is a red rectangle holding red capitals: the seal dropout removes it
from what the OCR engine reads, so :mod:`vanban.digitize.stamp` reads the red ink alone."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from vanban.digitize.textfold import fold
from vanban.secrecy import levels

__all__ = ["find_secrecy", "stamp_of_words", "stamp_in_lines"]

_FRAME = re.compile(r"[^\w\s]|_")


def stamp_of_words(line: str) -> str | None:
    """The stamp (``"TỐI MẬT"``) if ``line`` holds only a stamp's words, else None."""
    line = unicodedata.normalize("NFC", line)
    bare = " ".join(_FRAME.sub(" ", line).split())
    if not bare or any(ch.islower() for ch in bare):
        return None
    folded = fold(bare)
    for level in levels():  # most secret first: "TỐI MẬT" before "MẬT"
        if folded == fold(level["stamp"]):
            return level["stamp"]
    return None


def stamp_in_lines(lines: list[str]) -> str | None:
    """The most secret stamp among ``lines``: a line that is only a stamp's words, or two
    consecutive non-empty lines that together are (sparse OCR gives ``TỐI`` and ``MẬT`` apart)."""
    words = [line for line in lines if line.strip()]
    found = [stamp for stamp in map(stamp_of_words, words) if stamp]
    found += [stamp for a, b in zip(words, words[1:]) if (stamp := stamp_of_words(f"{a} {b}")) and " " in stamp]
    return _most_secret(found)


def _most_secret(found: list[str]) -> str | None:
    if not found:
        return None
    order = [level["stamp"] for level in levels()]
    return min(found, key=order.index)


def find_secrecy(text: str, image: Any = None, *, stamp: str | None = None) -> str | None:
    """``"MẬT"`` / ``"TỐI MẬT"`` / ``"TUYỆT MẬT"`` when the text (or the page image, a PIL
    image, if given) carries a secrecy stamp; None otherwise. ``stamp`` is one already found
    in the page image. The most secret one found wins."""
    found = [stamp for stamp in map(stamp_of_words, text.splitlines()) if stamp]
    found += [stamp] if stamp else []
    if image is not None:
        from vanban.digitize.stamp import stamp_in_image

        in_image = stamp_in_image(image)
        if in_image:
            found.append(in_image)
    return _most_secret(found)
