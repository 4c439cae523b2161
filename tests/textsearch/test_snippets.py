"""Snippets around the first match, and matches typed with the same diacritics."""

from vanban.textsearch import matched_keys, parse_query, snippet
from vanban.textsearch.snippets import Matcher


def test_the_snippet_marks_the_words_as_written_in_the_text():
    parts = snippet("Về việc sửa chữa Đường Lê Lợi, thành phố", parse_query('"duong le loi"').terms)
    assert [p for p, hit in parts if hit] == ["Đường Lê Lợi"]
    assert "".join(p for p, _ in parts) == "Về việc sửa chữa Đường Lê Lợi, thành phố"


def test_a_long_text_is_cut_around_the_first_match():
    text = "Căn cứ luật. " * 100 + "Quyết định khen thưởng tập thể." + " Nơi nhận." * 100
    parts = snippet(text, parse_query("khen thưởng").terms, width=120)
    joined = "".join(p for p, _ in parts)
    assert joined.startswith("… ") and joined.endswith(" …")
    assert [p for p, hit in parts if hit] == ["khen", "thưởng"]


def test_only_the_tones_as_typed_count_as_exact():
    terms = parse_query("quyết định").terms
    assert matched_keys("Quyết định số 12", terms) == 2
    assert matched_keys("quyết đình làng", terms) == 1


def test_the_matcher_counts_old_and_new_tone_placement_alike():
    m = Matcher(parse_query("Đông Hòa").terms)
    assert m.score("Ủy ban nhân dân xã Đông Hoà") == ({0, 1}, 2)
    assert m.score("xã Dong Hoa") == ({0, 1}, 0)


def test_the_snippet_finds_words_in_capitals_and_with_the_old_tone_placement():
    parts = snippet("QUYẾT ĐỊNH về xã Đông Hoà, huyện Phú Hòa", parse_query('"quyet dinh" "dong hoa"').terms)
    assert [p for p, hit in parts if hit] == ["QUYẾT ĐỊNH", "Đông Hoà"]
    m = Matcher(parse_query("Quyết định").terms)
    assert m.score("QUYẾT ĐỊNH số 5") == ({0, 1}, 2)


def test_a_word_is_found_whole_only_at_the_start_of_the_text_or_after_a_non_letter():
    m = Matcher(parse_query("án tuyển*").terms)
    assert m.score("Dự án") == ({0}, 1)
    assert m.score("án") == ({0}, 1)
    assert m.score("bán, quán; tuyểnx") == ({1}, 1)  # "án" inside a word is not the word
    assert m.score("Hán tuyển") == ({1}, 1)
    parts = snippet("(án) lán-án", parse_query("an").terms)
    assert [p for p, hit in parts if hit] == ["án", "án"]
