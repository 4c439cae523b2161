"""``vanban search reindex`` and ``vanban search QUERY`` in the process: the rebuild finds
every document again, with its progress shown; the CLI prints hits as JSON."""

import json

import pytest

from vanban.cli import main
from vanban.search import search

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_the_index_with_a_progress_bar(office, paper, capsys):
    from vanban.search.models import SearchEntry

    paper("Về việc sửa chữa Đường Lê Lợi")
    paper("Về việc tổ chức hội nghị", process=False)  # still queued
    SearchEntry.objects.all().delete()  # an index lost; the FTS rows left behind are cleared too
    assert main(["search", "reindex"]) == 0
    out = capsys.readouterr()
    assert "2/2 văn bản" in out.err
    assert "Đã đánh chỉ mục lại 2 văn bản." in out.out
    assert [h.title for h in search(office.lan, '"hoi nghi"').hits] == ["Về việc tổ chức hội nghị"]
    assert len(search(office.lan, "ve viec").hits) == 2


def test_the_cli_prints_one_json_object_per_hit(office, paper, capsys):
    paper("Về việc giao chỉ tiêu biên chế", number="13", notation="UBND-VP1")
    assert main(["search", "so:13/UBND-VP1", "--agency", office.so_noi_vu.code, "--json"]) == 0
    (hit,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (hit["agency"], hit["number_notation"], hit["subject"]) == (
        office.so_noi_vu.code,
        "13/UBND-VP1",
        "Về việc giao chỉ tiêu biên chế",
    )
    assert set(hit) >= {"id", "agency", "number_notation", "subject", "date", "score"}


def test_the_cli_finds_nothing_in_another_agency(office, paper, capsys):
    paper("Về việc giao chỉ tiêu biên chế")
    assert main(["search", "bien che", "--agency", office.so_khcn.code]) == 0
    assert capsys.readouterr().out.strip() == "0 kết quả."
