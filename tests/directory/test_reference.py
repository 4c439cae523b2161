"""Reference data seeded from directory/data/reference.json by the data migration."""

import pytest

from vanban.directory.models import DocumentType, Level, Role, SecrecyLevel, UrgencyLevel

pytestmark = pytest.mark.django_db


def test_the_29_administrative_types_of_decree_30_with_exact_abbreviations():
    admin = DocumentType.objects.filter(group="hanh-chinh")
    assert admin.count() == 29
    abbr = dict(admin.values_list("name", "abbreviation"))
    assert abbr["Chương trình"] == "CTr"
    assert abbr["Tờ trình"] == "TTr"
    assert abbr["Quy định"] == "QyĐ"
    assert abbr["Quyết định (cá biệt)"] == "QĐ"
    assert abbr["Công văn"] == "" and abbr["Thư công"] == ""


def test_exchange_catalogue_has_26_types_22_administrative():
    cat = DocumentType.objects.filter(in_exchange_catalogue=True)
    assert cat.count() == 26
    assert cat.filter(group="hanh-chinh").count() == 22
    assert not cat.filter(name="Biên bản").exists()


def test_normative_documents_still_need_paper_and_carry_the_year():
    for t in DocumentType.objects.filter(group="qppl"):
        assert t.paper_copy_required and t.year_in_number and t.edxml_type == 2


def test_no_secrecy_level_may_travel_electronically():
    assert list(SecrecyLevel.objects.values_list("name", flat=True)) == ["Mật", "Tối mật", "Tuyệt mật"]
    assert not SecrecyLevel.objects.filter(electronic_allowed=True).exists()


def test_urgency_levels_and_edxml_priority():
    assert list(UrgencyLevel.objects.values_list("name", "edxml_priority")) == [
        ("Khẩn", 1),
        ("Thượng khẩn", 2),
        ("Hỏa tốc", 3),
    ]


def test_levels_and_roles_are_rows_not_code():
    assert list(Level.objects.values_list("code", flat=True)) == ["trung-uong", "tinh", "huyen", "xa"]
    assert Role.objects.filter(code="quan-tri-tinh", name="Quản trị tỉnh").exists()


def test_reloading_reference_data_keeps_an_administrators_edit():
    from django.apps import apps

    from vanban.directory.reference import load_reference

    DocumentType.objects.filter(code="cong-van").update(paper_copy_required=True)
    counts = load_reference(lambda name: apps.get_model("directory", name))
    assert counts["document_types"] == 0
    assert DocumentType.objects.get(code="cong-van").paper_copy_required
