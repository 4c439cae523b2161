"""The query language: words, phrases, prefixes, exclusions and fields, and what it refuses."""

import pytest

from vanban.textsearch import QueryError, parse_query


def kinds(q):
    return [(t.kind, " ".join(t.folded)) for t in q.terms]


def test_words_are_folded_and_remember_they_were_typed_with_diacritics():
    q = parse_query("Quyết định")
    assert kinds(q) == [("word", "quyet"), ("word", "dinh")]
    assert all(t.marked for t in q.terms)
    assert not any(t.marked for t in parse_query("quyet dinh").terms)


def test_a_quoted_phrase_and_a_prefix():
    q = parse_query('"Nghị quyết" tuyển*')
    assert kinds(q) == [("phrase", "nghi quyet"), ("prefix", "tuyen")]


def test_an_unbalanced_quote_runs_to_the_end():
    assert kinds(parse_query('báo cáo "Sở Nội vụ')) == [("word", "bao"), ("word", "cao"), ("phrase", "so noi vu")]


def test_exclusions_of_a_word_and_of_a_phrase():
    q = parse_query('kế hoạch -tuyển -"dự thảo"')
    assert [" ".join(t.folded) for t in q.excluded] == ["tuyen", "du thao"]


def test_fields_for_type_sender_notation_and_year():
    q = parse_query('loai:QĐ gui:"Sở Tài chính" so:13/UBND-VP1 nam:2026')
    assert (q.type, q.sender, q.notation, q.year) == ("QĐ", "so tai chinh", "13/ubnd-vp1", 2026)
    assert q.terms == []


def test_a_notation_typed_as_a_word_is_also_looked_up_exactly():
    q = parse_query("13/UBND-VP1")
    assert q.notations == ["13/ubnd-vp1"]
    assert kinds(q) == [("phrase", "13 ubnd vp1")]


def test_an_unknown_field_is_searched_as_words():
    assert kinds(parse_query("UBND:abc")) == [("phrase", "ubnd abc")]


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("", "empty_query", "ít nhất một từ"),
        ('-"dự thảo"', "empty_query", "ít nhất một từ"),
        ("báo cáo nam:26", "bad_year", "bốn chữ số"),
        ("t*", "short_prefix", "quá ngắn"),
        ("so:", "empty_field", "cần một giá trị"),
    ],
)
def test_what_cannot_be_used_is_refused_with_a_vietnamese_message(text, code, words):
    with pytest.raises(QueryError) as exc:
        parse_query(text)
    assert exc.value.code == code
    assert words in exc.value.message_vi
