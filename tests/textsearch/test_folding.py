from vanban.textsearch import fold, fold_query_terms


def test_fold_strips_tone_and_vowel_marks():
    assert fold("Quyết định") == "quyet dinh"
    assert fold("Thượng khẩn, Hỏa tốc") == "thuong khan, hoa toc"


def test_fold_maps_d_with_stroke_which_unicode_does_not_decompose():
    assert fold("Đường Đông Đô") == "duong dong do"
    assert fold("đ") == "d"


def test_fold_is_the_same_for_composed_and_decomposed_input():
    import unicodedata

    text = "Ủy ban nhân dân tỉnh"
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_query_terms_are_folded_and_unique():
    assert fold_query_terms("  Sở  NỘI vụ sở ") == ["so", "noi", "vu"]
