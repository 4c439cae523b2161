"""The text layer of a real PDF, bounded; what is not a PDF gives no text."""

from vanban.signing import make_sample_pdf
from vanban.textsearch import fold, pdf_text


def test_the_text_layer_of_a_pdf_is_read():
    text = pdf_text(make_sample_pdf(title="QUYẾT ĐỊNH", signer_name="Trần Quang Minh").pdf)
    assert "tran quang minh" in fold(text)


def test_the_text_read_is_bounded():
    assert len(pdf_text(make_sample_pdf().pdf, max_chars=40)) <= 40


def test_what_is_not_a_pdf_gives_no_text():
    assert pdf_text(b"not a pdf at all") == ""


def test_hostile_pdfs_give_no_text_and_never_reach_pdfium_inflated():
    from testkit import hostile

    for case in hostile.pdfs(make_sample_pdf().pdf):
        assert pdf_text(case.data) == "", case.name
