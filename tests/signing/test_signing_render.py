"""Rendering: the signed page drawn by poppler (pdftoppm) shows the blue signature in its
box and the red seal over the left third of it, and nothing of either elsewhere."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image

from vanban.signing import SignatureBox, signature_boxes

DPI = 100
SCALE = DPI / 72.0


def render(pdftoppm: str, pdf: bytes, page: int, tmp_path: Path) -> Image.Image:
    src = tmp_path / "page.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        [
            pdftoppm,
            "-r",
            str(DPI),
            "-png",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-singlefile",
            str(src),
            str(tmp_path / "page"),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return Image.open(io.BytesIO((tmp_path / "page.png").read_bytes())).convert("RGB")


def _pixels(img: Image.Image) -> list[tuple[int, int, int]]:
    raw = img.tobytes()
    return list(zip(raw[0::3], raw[1::3], raw[2::3]))


def is_blue(p: tuple[int, int, int]) -> bool:
    r, g, b = p
    return b > 140 and r < 110 and g < 130 and b - r > 60


def is_red(p: tuple[int, int, int]) -> bool:
    r, g, b = p
    return r > 160 and g < 110 and b < 110 and r - g > 80


def pixels_in(img: Image.Image, box: SignatureBox, test) -> int:
    x1, x2 = int(box.x1 * SCALE), int(box.x2 * SCALE)
    y1, y2 = int(img.height - box.y2 * SCALE), int(img.height - box.y1 * SCALE)
    crop = img.crop((max(x1, 0), max(y1, 0), min(x2, img.width), min(y2, img.height)))
    return sum(1 for p in _pixels(crop) if test(p))


def test_signature_blue_and_seal_red_where_the_spec_puts_them(pdftoppm, sealed, sample, tmp_path) -> None:
    boxes = dict(signature_boxes(sealed))
    sig, seal = boxes["ChuKy1"], boxes["DauCoQuan1"]
    img = render(pdftoppm, sealed, sig.page, tmp_path)
    assert abs(img.width - 595 * SCALE) <= 1.5 and abs(img.height - 842 * SCALE) <= 1.5

    total_blue = sum(1 for p in _pixels(img) if is_blue(p))
    total_red = sum(1 for p in _pixels(img) if is_red(p))
    assert total_blue > 300 and total_red > 1000

    # every blue pixel is in the signature box, every red pixel in the seal box
    assert pixels_in(img, sig, is_blue) == total_blue
    assert pixels_in(img, seal, is_red) == total_red

    # the right two thirds of the signature carry blue ink and no red
    third = sig.width / 3
    right = SignatureBox(sig.page, sig.x1 + third + 2, sig.y1, sig.x2, sig.y2)
    assert pixels_in(img, right, is_blue) > 200
    assert pixels_in(img, right, is_red) == 0
    # the left third of the signature is under the seal (red there)
    left = SignatureBox(sig.page, sig.x1, sig.y1, sig.x1 + third, sig.y2)
    assert pixels_in(img, left, is_red) > 100
    # the seal extends to the left of the signature
    outside = SignatureBox(sig.page, seal.x1, seal.y1, sig.x1, seal.y2)
    assert pixels_in(img, outside, is_red) > 500

    # the signature sits between the position line and the name (signature block)
    assert sample.name_line_y < sig.y1 and sig.y2 < sample.position_line_y


def test_attachment_text_renders_black_top_right(pdftoppm, agency, tmp_path) -> None:
    from vanban.signing import KeyFileSigner, make_sample_pdf, sign_attachment

    doc = make_sample_pdf(title="PHỤ LỤC", header=False)
    out = sign_attachment(doc.pdf, KeyFileSigner(agency), "15/QĐ-UBND")
    ((_, box),) = signature_boxes(out)
    img = render(pdftoppm, out, 0, tmp_path)

    def dark(p: tuple[int, int, int]) -> bool:
        return max(p) < 90

    assert pixels_in(img, box, dark) > 100
    assert pixels_in(img, box, is_red) == 0 and pixels_in(img, box, is_blue) == 0
