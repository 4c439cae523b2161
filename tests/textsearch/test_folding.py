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


def test_old_and_new_tone_placement_give_the_same_mark_key():
    from vanban.textsearch import mark_key

    assert mark_key("hoà") == mark_key("hòa") == mark_key("Hoà")
    assert mark_key("thuỷ") == mark_key("thủy")


def test_the_mark_key_tells_a_tone_from_another():
    from vanban.textsearch import mark_key

    assert mark_key("định") != mark_key("đình")
    assert mark_key("Đường") != mark_key("đương")
    assert fold("định") == fold("đình")


def test_aligned_folding_keeps_each_character_in_its_place():
    from vanban.textsearch import fold_aligned

    nfc, folded = fold_aligned("Nghị quyết của HĐND tỉnh")
    assert len(nfc) == len(folded)
    assert folded == "nghi quyet cua hdnd tinh"


def test_a_notation_splits_into_its_words():
    from vanban.textsearch import words

    assert words("13/UBND-VP1") == ["13", "ubnd", "vp1"]


def test_text_with_other_scripts_and_signs_folds_the_vietnamese_and_keeps_the_rest():
    # a sign, Cyrillic and German beside Vietnamese: the letters of other scripts are kept
    assert fold("Sở Nội vụ · Đà Lạt") == "so noi vu · da lat"
    assert fold("Bản dịch: Москва, Straße") == "ban dich: москва, strasse"
    assert fold("TỜ TRÌNH SỐ 12/TTr-SNV") == "to trinh so 12/ttr-snv"
