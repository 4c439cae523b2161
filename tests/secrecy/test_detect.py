"""Secrecy marks on arriving documents: the stamp in the subject, an extension element
under OtherInfo, the stamp alone on the first page of a PDF; ordinary words are not marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban import edxml, secrecy
from vanban.signing import make_sample_pdf


@pytest.mark.parametrize(
    "subject, level",
    [
        ("Kế hoạch phòng thủ dân sự năm 2027 (MẬT)", "mat"),
        ("TỐI MẬT - Phương án bảo vệ mục tiêu", "toi-mat"),
        ("V/v TUYỆT MẬT", "tuyet-mat"),
    ],
)
def test_the_stamp_word_in_the_subject_is_a_mark(subject, level):
    found = secrecy.in_text(subject, "trích yếu")
    assert found is not None and found.level == level


@pytest.mark.parametrize(
    "subject",
    [
        "V/v bảo mật thông tin cá nhân",
        "V/V BẢO MẬT THÔNG TIN CÁ NHÂN",
        "Hướng dẫn đổi MẬT KHẨU hộp thư công vụ",
        "V/v triển khai Luật Bảo vệ BÍ MẬT NHÀ NƯỚC",
        "Mật độ dân số năm 2026",
    ],
)
def test_ordinary_words_are_not_marks(subject):
    assert secrecy.in_text(subject, "trích yếu") is None


SAMPLE = "edxml-samples/edoc-integrator/edoc_new.edxml"  # in the interop folder


def _sample_with_other_info(interop: Path, element: str) -> edxml.Envelope:
    raw = (interop / SAMPLE).read_text(encoding="utf-8")
    head, sep, tail = raw.partition("</edXML:OtherInfo>")
    assert sep, "the sample has an OtherInfo element"
    return edxml.parse((head + element + sep + tail).encode("utf-8"))


def test_an_extension_element_under_other_info_is_a_mark(interop: Path):
    env = _sample_with_other_info(interop, "<edXML:SecurityLevel>Tối mật</edXML:SecurityLevel>")
    assert env.other_info.extensions["SecurityLevel"] == "Tối mật"
    found = secrecy.in_envelope(env)
    assert found is not None and (found.level, found.where) == ("toi-mat", "thẻ OtherInfo/SecurityLevel")


def test_an_extension_element_saying_not_secret_is_not_a_mark(interop: Path):
    env = _sample_with_other_info(interop, "<edXML:SecurityLevel>0</edXML:SecurityLevel>")
    assert secrecy.in_envelope(env) is None


def test_the_real_samples_carry_no_mark(interop: Path):
    folder = interop / "edxml-samples"
    envelopes = 0
    for path in folder.rglob("*.edxml"):
        try:
            pkg = edxml.parse(path.read_bytes())
        except edxml.EdxmlError:  # the one malformed sample (tests/edxml covers it)
            continue
        if isinstance(pkg, edxml.Envelope):
            envelopes += 1
            assert secrecy.in_envelope(pkg) is None, path.name
    assert envelopes >= 6


def test_the_stamp_alone_on_the_first_pdf_page_is_a_mark():
    found = secrecy.in_pdf(make_sample_pdf(extra_lines=("TỐI MẬT",)).pdf)
    assert found is not None and (found.level, found.where) == ("toi-mat", "trang 1 của tệp PDF")


def test_a_pdf_mentioning_secrecy_in_a_sentence_is_not_marked():
    pdf = make_sample_pdf(extra_lines=("Đề nghị các đơn vị bảo mật thông tin theo quy định.",)).pdf
    assert secrecy.in_pdf(pdf) is None


def test_an_unreadable_pdf_gives_no_finding():
    assert secrecy.in_pdf(b"%PDF-1.7 not really") is None


def test_the_message_names_the_level_and_asks_for_paper():
    found = secrecy.in_text("Báo cáo (MẬT)", "trích yếu")
    assert "“Mật”" in found.message_vi() and "bản giấy" in found.message_vi()
    assert "'Mật'" in found.message_en() and "paper" in found.message_en()


def test_a_hostile_pdf_gives_no_finding_and_no_crash():
    """A decompression bomb carrying the stamp is not read at all (whoever took it refuses it)."""
    from testkit import hostile

    stamped = make_sample_pdf(extra_lines=("MẬT",)).pdf
    assert secrecy.in_pdf(stamped) is not None  # the stamp is found where the PDF is readable
    for case in hostile.pdfs(stamped):
        assert secrecy.in_pdf(case.data) is None, case.name
