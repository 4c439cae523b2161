"""A page Tesseract gives up on (it ran out of time on a busy machine) is tried once more,
and what is still not read has no text and confidence 0, never OCRmyPDF's placeholder
"[skipped page]" as the page's text."""

from testkit import scans
from vanban.digitize import DigitizeOptions, digitize


def test_a_page_tesseract_gave_up_on_has_no_placeholder_text():
    page = scans.scan(scans.signed_page(200, "light").image, dpi=200, skew=0, noise=0)
    data = scans.to_bytes(page, "JPEG", 200, 80)
    result = digitize(data, filename="cong-van.jpg", options=DigitizeOptions(jobs=1, page_timeout=0.01))
    assert result.page_count == 1
    assert "skipped page" not in result.text
    assert result.pages[0].text == "" and result.pages[0].confidence == 0.0
