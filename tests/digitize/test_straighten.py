"""Straightening leaning scans: the lean measured on generated pages, leaning pages drawn
straight in the PDF with their image untouched, straight pages left as they were."""

from __future__ import annotations

import io

import img2pdf
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from testkit import scans
from vanban.digitize.straighten import skew_correction, straighten_pdf


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return scans.signed_page(200, "light").image


def _pdf(*images: Image.Image) -> bytes:
    return bytes(img2pdf.convert([scans.to_bytes(im, "JPEG", 200, 85) for im in images]))


def _image_streams(pdf: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [bytes(next(iter(p.obj.Resources.XObject.values())).read_raw_bytes()) for p in doc.pages]


def _rendered(pdf: bytes, index: int = 0) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = doc[index].render(scale=150 / 72, grayscale=True).to_pil()
        return image
    finally:
        doc.close()


@pytest.mark.parametrize("lean", [-3.7, -1.3, 0.0, 2.0, 4.2])
def test_the_lean_of_a_scanned_page_is_measured_to_a_tenth_of_a_degree(page, lean):
    assert skew_correction(scans.scan(page, dpi=200, skew=lean, noise=8)) == pytest.approx(-lean, abs=0.15)


def test_a_page_lying_on_its_side_is_measured_by_its_columns(page):
    side = scans.scan(page, dpi=200, skew=1.5, noise=8).rotate(90, expand=True)
    assert skew_correction(side) == pytest.approx(-1.5, abs=0.15)


def test_a_blank_page_does_not_lean():
    assert skew_correction(Image.new("L", (1654, 2339), 250)) == 0.0


def test_a_leaning_page_is_drawn_straight_and_its_image_is_kept_byte_for_byte(page):
    source = _pdf(scans.scan(page, dpi=200, skew=2.0, noise=8), scans.scan(page, dpi=200, noise=8))
    result = straighten_pdf(source, jobs=2)
    assert result.turned[0] == pytest.approx(-2.0, abs=0.15)
    assert result.turned[1] == 0.0 and result.unmeasured == ()
    assert _image_streams(result.pdf) == _image_streams(source)
    assert skew_correction(_rendered(result.pdf, 0)) == pytest.approx(0.0, abs=0.15)


def test_a_page_leaning_less_than_a_degree_is_left_as_scanned(page):
    source = _pdf(scans.scan(page, dpi=200, skew=0.5, noise=8))
    result = straighten_pdf(source)
    assert result.pdf == source and result.turned == (0.0,)


def test_pages_with_text_already_are_not_measured(page):
    source = _pdf(scans.scan(page, dpi=200, skew=2.0, noise=8))
    result = straighten_pdf(source, (True,))
    assert result.pdf == source and result.unmeasured == ()


def test_a_page_drawn_from_two_images_is_reported_unmeasured_for_ocrmypdf(page):
    base = pikepdf.open(io.BytesIO(_pdf(scans.scan(page, dpi=200, skew=2.0, noise=8))))
    resources = base.pages[0].obj.Resources.XObject
    name, image = next(iter(resources.items()))
    resources["/Im2"] = image
    out = io.BytesIO()
    base.save(out)
    result = straighten_pdf(out.getvalue())
    assert result.unmeasured == (1,) and result.turned == (0.0,)
