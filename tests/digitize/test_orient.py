"""Pages scanned upside down or on their side: found among the pages that read poorly, by
Tesseract's orientation model, and turned by their ``/Rotate`` (the image untouched)."""

from __future__ import annotations

import io

import img2pdf
import pikepdf
import pytest

from testkit import scans
from vanban.digitize.orient import page_turns, poorly_read, turn_pages


@pytest.fixture(scope="module")
def pdf() -> bytes:
    page = scans.signed_page(200, "light").image
    upright = scans.scan(page, dpi=200, noise=8)
    images = [upright, upright.rotate(180), upright.rotate(90, expand=True)]  # the last: on its left side
    return bytes(img2pdf.convert([scans.to_bytes(im, "JPEG", 200, 85) for im in images]))


def test_only_pages_with_text_read_with_low_confidence_are_checked():
    pages = [("Kế hoạch", 0.93), ("ʞǝ ɥoɐɔɥ", 0.46), ("", 0.0), None, ("Báo cáo", 0.69)]
    assert poorly_read(pages) == [2, 5]


@pytest.mark.slow
def test_upside_down_and_sideways_pages_are_found_and_upright_ones_left_out(pdf):
    assert page_turns(pdf, [1, 2, 3], timeout=600) == {2: 180, 3: 90}


def test_pages_are_turned_by_their_rotate_entry_and_keep_their_image(pdf):
    turned = turn_pages(pdf, {2: 180, 3: 90})
    with pikepdf.open(io.BytesIO(turned)) as after, pikepdf.open(io.BytesIO(pdf)) as before:
        assert [int(p.obj.get("/Rotate", 0)) for p in after.pages] == [0, 180, 90]
        for a, b in zip(after.pages, before.pages, strict=True):
            image_a = next(iter(a.obj.Resources.XObject.values()))
            image_b = next(iter(b.obj.Resources.XObject.values()))
            assert image_a.read_raw_bytes() == image_b.read_raw_bytes()
