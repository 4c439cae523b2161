"""Searching the registry's documents: folding, ranking, the exact notation, and who sees
what (the registry's own visibility rules)."""

import pytest

from vanban.search import Filters, search
from vanban.textsearch import QueryError

pytestmark = pytest.mark.django_db


def titles(results):
    return [h.title for h in results.hits]


def test_a_clerk_finds_a_document_typing_without_diacritics(office, paper):
    paper("Về việc sửa chữa Đường Lê Lợi")
    paper("Về việc tổ chức hội nghị")
    assert titles(search(office.lan, "duong le loi")) == ["Về việc sửa chữa Đường Lê Lợi"]


def test_what_was_typed_with_diacritics_ranks_above_a_folded_match(office, paper):
    paper("Quyết định về việc trùng tu quyết đình làng")  # has "quyết định" too: rank it by key
    paper("Thông báo quyết đình tu sửa")  # folded to "quyet dinh" as well
    paper("Quyết định khen thưởng")
    results = search(office.lan, "quyết định")
    assert len(results.hits) == 3
    assert results.hits[-1].title == "Thông báo quyết đình tu sửa"


def test_old_and_new_tone_placement_find_and_rank_alike(office, paper):
    paper("Ủy ban nhân dân xã Đông Hoà")
    new = search(office.lan, "Đông Hòa")
    old = search(office.lan, "Đông Hoà")
    assert titles(new) == titles(old) == ["Ủy ban nhân dân xã Đông Hoà"]
    assert new.hits[0].score == old.hits[0].score


def test_a_notation_typed_exactly_finds_that_document_first(office, paper):
    paper("Công văn của UBND về việc khác, nhắc 13/UBND-VP1 trong trích yếu")
    paper("Về việc giao chỉ tiêu biên chế", sender="Ủy ban nhân dân tỉnh", number="13", notation="UBND-VP1")
    paper("Về việc giao chỉ tiêu năm sau", sender="Ủy ban nhân dân tỉnh", number="14", notation="UBND-VP1")
    results = search(office.lan, "13/UBND-VP1")
    assert results.hits[0].label == "13/UBND-VP1"
    assert titles(search(office.lan, "so:13/UBND-VP1")) == ["Về việc giao chỉ tiêu biên chế"]


def test_a_phrase_needs_its_words_in_order(office, paper):
    paper("Nghị quyết của Hội đồng nhân dân tỉnh")
    paper("Quyết nghị về việc tăng cường")
    assert titles(search(office.lan, '"nghị quyết"')) == ["Nghị quyết của Hội đồng nhân dân tỉnh"]


def test_a_prefix_and_an_exclusion(office, paper):
    paper("Kế hoạch tuyển dụng công chức")
    paper("Kế hoạch tuyển sinh lớp bồi dưỡng")
    paper("Kế hoạch thi đua")
    assert sorted(titles(search(office.lan, "tuyen*"))) == [
        "Kế hoạch tuyển dụng công chức",
        "Kế hoạch tuyển sinh lớp bồi dưỡng",
    ]
    assert titles(search(office.lan, "kế hoạch -tuyển")) == ["Kế hoạch thi đua"]


def test_the_sender_field_and_a_filter(office, paper):
    paper("Về việc báo cáo số liệu", sender="Sở Tài chính")
    paper("Về việc báo cáo số liệu quý", sender="Sở Xây dựng")
    assert titles(search(office.lan, "bao cao gui:xay")) == ["Về việc báo cáo số liệu quý"]
    assert titles(search(office.lan, "bao cao", Filters(party="tài chính"))) == ["Về việc báo cáo số liệu"]


def test_the_snippet_marks_the_words_found_in_the_subject(office, paper):
    paper("Về việc sửa chữa Đường Lê Lợi")
    hit = search(office.lan, "duong").hits[0]
    assert ("Đường", True) in hit.title_parts


def test_the_text_of_the_pdf_is_searchable(office, paper):
    paper("Về việc không liên quan")
    # the sample PDF's text layer names its agency and signer
    assert titles(search(office.lan, "tran quang minh")) == ["Về việc không liên quan"]


def test_an_outsider_and_a_person_of_another_agency_find_nothing(office, paper):
    paper("Về việc sửa chữa Đường Lê Lợi")
    assert search(office.lan, "duong").hits
    assert search(office.hoa, "duong").hits == []
    assert search(getattr(office.outsider, "person", None), "duong").hits == []


def test_an_officer_finds_only_the_incoming_documents_assigned_to_them(office, paper):
    from vanban.registry.services import incoming

    mine = paper("Về việc rà soát hồ sơ công chức")
    paper("Về việc rà soát hồ sơ viên chức")
    incoming.register(office.lan.user, mine)
    incoming.assign(office.minh.user, mine, incoming.AssignmentData(lead_person=office.tuan))
    from vanban.search import process_queue

    process_queue()
    assert titles(search(office.tuan, "ra soat ho so")) == ["Về việc rà soát hồ sơ công chức"]
    assert len(search(office.minh, "ra soat ho so").hits) == 2


def test_a_query_with_only_exclusions_is_refused_in_vietnamese(office):
    with pytest.raises(QueryError) as exc:
        search(office.lan, '-"dự thảo"')
    assert "ít nhất một từ" in exc.value.message_vi


def test_the_type_and_year_fields(office, paper):
    import datetime as dt

    paper("Về việc khen thưởng tập thể", type_code="quyet-dinh", issued_on=dt.date(2025, 3, 1))
    paper("Về việc khen thưởng cá nhân", type_code="cong-van", issued_on=dt.date(2025, 3, 1))
    paper("Về việc khen thưởng năm trước", type_code="quyet-dinh", issued_on=dt.date(2024, 3, 1))
    assert titles(search(office.lan, "khen thưởng loai:QĐ nam:2025")) == ["Về việc khen thưởng tập thể"]


def test_a_document_indexed_again_is_found_by_its_new_words_only(office, paper):
    from vanban.registry.models import IncomingDocument
    from vanban.search import enqueue, process_queue

    doc = paper("Về việc sửa chữa Đường Lê Lợi")
    IncomingDocument.objects.filter(pk=doc.pk).update(subject="Về việc tu bổ cầu Long Biên")
    enqueue("den", doc.pk)
    process_queue()
    assert search(office.lan, '"le loi"').hits == []
    assert titles(search(office.lan, "long bien")) == ["Về việc tu bổ cầu Long Biên"]


def test_the_newest_matches_are_the_same_whether_found_in_the_first_window_or_beyond(office, paper):
    from vanban.search.backends import PostgresBackend

    for i in range(9):
        paper(f"Kế hoạch {i} tuyển dụng viên chức" if i % 2 else f"Báo cáo {i} thi đua")
    everything = titles(search(office.lan, "tuyển dụng"))
    assert len(everything) == 4
    # on PostgreSQL, the newest entries are checked a window at a time, then a slice of older
    # ones sized from the window's rate is asked to the GIN index, then the rest: a window of
    # one to three entries, and slices too small to hold what is missing, find the same
    # documents, in the same order
    window, margin = PostgresBackend.WINDOW, PostgresBackend.MARGIN
    try:
        for PostgresBackend.WINDOW, PostgresBackend.MARGIN in [(2, 2.0), (1, 0.001), (2, 0.001), (3, 0.01)]:
            assert titles(search(office.lan, "tuyển dụng")) == everything
    finally:
        PostgresBackend.WINDOW, PostgresBackend.MARGIN = window, margin


def test_the_type_year_and_filters_find_the_same_documents_whatever_the_window(office, paper):
    import datetime as dt

    from vanban.search.backends import PostgresBackend

    for i in range(4):
        paper(f"Về việc khen thưởng tập thể {i}", type_code="quyet-dinh", issued_on=dt.date(2024, 3, 1 + i))
    for i in range(4):  # newer, of other types or years: what the window sees first
        paper(f"Về việc khen thưởng cá nhân {i}", type_code="cong-van", issued_on=dt.date(2025, 3, 1 + i))
        paper(f"Về việc khen thưởng năm nay {i}", type_code="quyet-dinh", issued_on=dt.date(2025, 4, 1 + i))
    expected = sorted(f"Về việc khen thưởng tập thể {i}" for i in range(4))
    # on PostgreSQL the window is the agency's newest entries, the filters checked in it
    window, margin = PostgresBackend.WINDOW, PostgresBackend.MARGIN
    try:
        for PostgresBackend.WINDOW, PostgresBackend.MARGIN in [(300, 2.0), (2, 2.0), (3, 0.01), (9, 0.001)]:
            assert sorted(titles(search(office.lan, "khen thưởng loai:QĐ nam:2024"))) == expected
            found = search(office.lan, "khen thuong", Filters(type_slug="cong-van", date_to=dt.date(2025, 3, 2)))
            assert sorted(titles(found)) == ["Về việc khen thưởng cá nhân 0", "Về việc khen thưởng cá nhân 1"]
    finally:
        PostgresBackend.WINDOW, PostgresBackend.MARGIN = window, margin


def test_the_words_asked_to_the_index_alone_find_the_same_documents(office, paper):
    from django.db import connection

    from vanban.search import backends
    from vanban.search.backends import PostgresBackend
    from vanban.textsearch import parse_query

    for i in range(9):
        paper(f"Kế hoạch {i} tuyển dụng viên chức" if i % 2 else f"Báo cáo {i} thi đua viên chức")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")  # the words' frequencies the index is asked by
    backends._STATS.clear()
    queries = ["tuyển dụng viên chức", '"viên chức"', "viên chức -báo", "tuyển* viên chức"]
    everything = {q: titles(search(office.lan, q)) for q in queries}
    assert len(everything["tuyển dụng viên chức"]) == 4
    assert len(everything['"viên chức"']) == 9
    assert everything["viên chức -báo"] == everything["tuyển* viên chức"] == everything["tuyển dụng viên chức"]
    # past the newest entries (a window of one), on PostgreSQL the GIN index is asked for
    # the rarest words only (one, when a row's check is made cheap), the whole query
    # checked on the rows it gives: the same documents, in the same order
    saved = PostgresBackend.WINDOW, PostgresBackend.SLICE, PostgresBackend.ROW_COST
    try:
        for PostgresBackend.ROW_COST in (200, 0.001):
            PostgresBackend.WINDOW = PostgresBackend.SLICE = 1
            if connection.vendor == "postgresql":
                assert PostgresBackend()._gin_expression(parse_query('"viên chức"'), office.lan.agency_id)
            for q in queries:
                assert titles(search(office.lan, q)) == everything[q], q
    finally:
        PostgresBackend.WINDOW, PostgresBackend.SLICE, PostgresBackend.ROW_COST = saved
        backends._STATS.clear()
