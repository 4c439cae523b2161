"""Who sees which dossiers: the people of the agency see its list with counts by state and
a search box; another agency's people and an outsider see none."""

import pytest

from vanban import records
from vanban.records.errors import DossierRefused

pytestmark = pytest.mark.django_db


def test_the_agency_sees_its_list_with_the_counts_by_state(archive):
    page = records.dossier_page(archive.tuan.user, archive.year)
    assert [d.notation for d in page.dossiers] == ["01.TCCB", "02.TH"]
    assert page.counts == {"dang-mo": 2, "da-dong": 0, "da-nop-luu": 0, "da-huy": 0}


def test_the_search_box_finds_words_without_accents_and_codes(archive):
    assert [d.notation for d in records.dossier_page(archive.lan.user, archive.year, "chuyen doi so").dossiers] == [
        "02.TH"
    ]
    assert [d.notation for d in records.dossier_page(archive.lan.user, archive.year, "01.TCCB").dossiers] == ["01.TCCB"]


@pytest.mark.parametrize("who", ["hoa", "son", "khoa", "outsider"])
def test_another_agency_and_an_outsider_see_no_dossier(archive, who):
    person = getattr(archive, who)
    user = getattr(person, "user", person)
    assert records.dossier_page(user, archive.year).dossiers == []
    with pytest.raises(DossierRefused) as exc:
        records.get_dossier(user, archive.personnel.pk)
    assert exc.value.code == "not_found"
