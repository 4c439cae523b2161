"""The secrecy stamp on a scanned page: the stamp words alone, not "mật" in a sentence;
and a red stamp, which the seal dropout hides from the OCR, found in the image."""

from __future__ import annotations

import pytest

from testkit import scans
from vanban.digitize import find_secrecy


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Số: 04/SNV-CCVC\nMẬT\nV/v tuyển dụng", "MẬT"),
        ("Số: 04/SNV-CCVC\n| TỐI MẬT |\n", "TỐI MẬT"),
        ("[TUYỆT MẬT]\nQUYẾT ĐỊNH", "TUYỆT MẬT"),
        ("Số: 04\nTOI MAT\n", "TỐI MẬT"),  # diacritics lost by the OCR
    ],
)
def test_a_stamp_standing_alone_marks_the_document(text, level):
    assert find_secrecy(text) == level


@pytest.mark.parametrize(
    "text",
    [
        "Ba là, tuyệt đối không gửi văn bản có nội dung bí mật nhà nước qua mạng;",
        "Mật khẩu truy cập hệ thống do Văn phòng cấp.",
        "BẢO VỆ BÍ MẬT NHÀ NƯỚC",
        "Mật",  # not in capitals: a word, not a stamp
    ],
)
def test_the_word_mat_inside_a_sentence_is_not_a_stamp(text):
    assert find_secrecy(text) is None


def test_the_most_secret_stamp_wins():
    assert find_secrecy("MẬT\n...\nTUYỆT MẬT") == "TUYỆT MẬT"


@pytest.mark.slow
def test_a_red_stamp_in_the_image_is_found():
    doc = next(d for d in scans.documents() if d.secrecy)
    image = scans.document_page(doc, 150)
    image.info["dpi"] = (150, 150)
    assert find_secrecy("", image) == "MẬT"


@pytest.mark.slow
def test_a_red_seal_alone_is_not_a_secrecy_stamp():
    image = scans.signed_page(150, "dense").image
    image.info["dpi"] = (150, 150)
    assert find_secrecy("", image) is None
