"""Directory changes through the service functions: guards, messages, audit rows."""

import datetime as dt

import pytest

from vanban.audit.models import AuditEvent
from vanban.directory import services
from vanban.directory.errors import InvalidData, PermissionDenied
from vanban.directory.models import Agency, Level
from vanban.directory.queries import resolve_agency

pytestmark = pytest.mark.django_db


def _events():
    return list(AuditEvent.objects.order_by("seq").values_list("action", "object_label"))


def test_create_agency_writes_one_audit_event_with_the_new_state(personas):
    before = AuditEvent.objects.count()
    agency = services.create_agency(
        personas.khoa.user,
        code="000.00.05.H99",
        name="Sở Tài chính",
        short_name="STC",
        level=Level.objects.get(code="tinh"),
        parent=personas.province,
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor_username) == ("directory.agency.created", "khoa")
    assert event.after["code"] == "000.00.05.H99" and event.after["name"] == "Sở Tài chính"
    assert event.object_id == str(agency.pk)


def test_bad_code_is_refused_naming_the_wrong_part_and_nothing_is_stored(personas):
    count = Agency.objects.count()
    with pytest.raises(InvalidData) as exc:
        services.create_agency(
            personas.khoa.user, code="000.00.5.H99", name="Sở X", level=Level.objects.get(code="tinh")
        )
    assert "cấp 2" in exc.value.message_vi and "5" in exc.value.message_vi
    assert "level-2" in exc.value.message_en
    assert Agency.objects.count() == count


def test_duplicate_code_is_refused(personas):
    with pytest.raises(InvalidData) as exc:
        services.create_agency(None, code="000.00.02.H99", name="Trùng", level=personas.so_noi_vu.level)
    assert "đã được dùng" in exc.value.message_vi


def test_agency_admin_cannot_change_another_agency(personas):
    with pytest.raises(PermissionDenied) as exc:
        services.update_agency(personas.son.user, personas.so_noi_vu, name="Sở Nội vụ (sửa)")
    assert "không có quyền" in exc.value.message_vi
    personas.so_noi_vu.refresh_from_db()
    assert personas.so_noi_vu.name == "Sở Nội vụ"


def test_agency_admin_changes_own_agency_with_before_and_after(personas):
    services.update_agency(personas.son.user, personas.so_khcn, phone="0203 3835 555")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "directory.agency.updated"
    assert (event.before["phone"], event.after["phone"]) == ("", "0203 3835 555")


def test_outsider_and_clerk_cannot_change_the_directory(personas):
    for user in (personas.outsider, personas.lan.user):
        with pytest.raises(PermissionDenied):
            services.update_agency(user, personas.so_noi_vu, email="x@example.gov.vn")
        with pytest.raises(PermissionDenied):
            services.create_unit(user, personas.so_noi_vu, name="Phòng mới", suffix="PM")


def test_only_the_province_merges_agencies(personas):
    with pytest.raises(PermissionDenied):
        services.merge_agency(personas.son.user, personas.so_khcn, personas.so_noi_vu)


def test_merged_agency_keeps_its_code_and_lookups_lead_to_the_successor(personas):
    services.merge_agency(personas.khoa.user, personas.so_khcn, personas.so_noi_vu, on=dt.date(2025, 7, 1))
    resolution = resolve_agency("000.00.03.H99")
    assert resolution.requested.code == "000.00.03.H99"
    assert not resolution.requested.active
    assert resolution.current == personas.so_noi_vu
    assert resolution.redirected
    assert _events()[-1][0] == "directory.agency.merged"


def test_successors_are_followed_through_several_mergers(personas):
    services.merge_agency(None, personas.xa, personas.so_khcn)
    services.merge_agency(None, personas.so_khcn, personas.so_noi_vu)
    resolution = resolve_agency(personas.xa.code)
    assert [a.code for a in resolution.chain] == ["000.00.20.H99", "000.00.02.H99"]


def test_merge_into_a_closed_agency_is_refused(personas):
    services.merge_agency(None, personas.xa, personas.so_khcn)
    with pytest.raises(InvalidData) as exc:
        services.merge_agency(None, personas.so_noi_vu, personas.xa)
    assert "ngừng hoạt động" in exc.value.message_vi


def test_unit_suffix_is_unique_within_an_agency(personas):
    with pytest.raises(InvalidData):
        services.create_unit(None, personas.so_noi_vu, name="Văn phòng 2", suffix="VP")
    unit = services.create_unit(None, personas.so_khcn, name="Văn phòng Sở", suffix="VP")
    assert unit.suffix == "VP"


def test_person_unit_must_belong_to_the_agency(personas):
    with pytest.raises(InvalidData) as exc:
        services.create_person(
            None, username="x", password="p", full_name="X", agency=personas.so_khcn, unit=personas.lan.unit
        )
    assert "không thuộc" in exc.value.message_vi


def test_person_creation_is_audited_without_secrets(personas):
    event = AuditEvent.objects.filter(action="directory.person.created", object_label="Nguyễn Thị Lan").get()
    assert event.after["username"] == "lan"
    assert "password" not in event.after and "certificate_pem" not in event.after
