"""Cleaning the image the OCR engine reads: dust and scanner borders away, letters kept."""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw

from testkit import scans
from vanban.digitize.clean import clean_page


def _dark(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(image.crop(box).point(lambda v: 255 if v < 128 else 0).histogram()[255:])


def _page() -> Image.Image:
    image, _lines, _middles = scans.text_page(300, ["Kế hoạch số 125/KH-UBND về chuyển đổi số, ịạợ"] * 12)
    return scans.scan(image, dpi=300).convert("L")


def test_dust_in_the_margins_is_whitened():
    page = _page()
    draw = ImageDraw.Draw(page)
    rng = random.Random(7)
    margin = (0, page.height - 600, page.width, page.height - 100)  # below the text
    spots = [(x, y) for x in range(20, page.width - 20, 40) for y in range(margin[1] + 20, margin[3] - 20, 40)]
    for x, y in rng.sample(spots, 400):  # dust: specks of one to three pixels, apart from each other
        draw.line([(x, y), (x + rng.randrange(3), y)], fill=0)
    assert _dark(page, margin) >= 400
    assert _dark(clean_page(page), margin) == 0


def test_letters_and_their_diacritics_are_kept():
    page = _page()
    cleaned = clean_page(page)
    box = ImageChops.invert(page).point(lambda v: 255 if v > 128 else 0).getbbox()  # the text
    assert box is not None and _dark(page, box) > 10_000
    assert _dark(cleaned, box) >= 0.99 * _dark(page, box)


def test_a_dark_scanner_border_is_whitened():
    page = _page()
    ImageDraw.Draw(page).rectangle((0, 0, page.width, 60), fill=15)
    ImageDraw.Draw(page).rectangle((0, 0, 45, page.height), fill=15)
    cleaned = clean_page(page)
    assert _dark(cleaned, (0, 0, page.width, 60)) == 0
    assert _dark(cleaned, (0, 0, 45, page.height)) == 0


def test_a_blank_page_is_left_as_it_is():
    blank = Image.new("L", (800, 1100), 245)
    assert clean_page(blank).tobytes() == blank.tobytes()
