"""A person's changes through the directory's services: unit, position, e-mail and roles
changed, the account closed and opened, a new password; each guarded (the person's agency's
administrator or the province's) and audited; an administrator keeps their own role and account."""

import pytest
from django.contrib.auth import authenticate

from vanban.audit.models import AuditEvent
from vanban.directory import services
from vanban.directory.errors import InvalidData, PermissionDenied
from vanban.directory.models import Person

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def _events(person):
    return list(
        AuditEvent.objects.filter(object_id=str(person.pk), action__startswith="directory.person")
        .order_by("seq")
        .values_list("action", "actor_username")
    )


def test_update_person_changes_the_fields_and_roles_in_one_audited_step(personas):
    hoa, son = personas.hoa, personas.son
    services.update_person(son.user, hoa, position="Trưởng phòng", email="hoa@skhcn.example.vn", roles=["lanh-dao"])
    hoa = Person.objects.get(pk=hoa.pk)
    assert (hoa.position, hoa.user.email) == ("Trưởng phòng", "hoa@skhcn.example.vn")
    assert hoa.has_role("lanh-dao") and not hoa.has_role("chuyen-vien")
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_username) == ("directory.person.updated", "son")
    assert event.before["position"] == "Chuyên viên" and event.after["position"] == "Trưởng phòng"
    assert event.after["email"] == "hoa@skhcn.example.vn"


def test_another_agencys_admin_is_refused_and_nothing_changes(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.update_person(personas.son.user, personas.tuan, position="Giám đốc")
    with pytest.raises(PermissionDenied):
        services.set_active(personas.son.user, personas.tuan, False)
    with pytest.raises(PermissionDenied):
        services.set_password(personas.hoa.user, personas.tuan, "mat-khau-moi-2026")  # not an administrator
    assert AuditEvent.objects.count() == before
    tuan = Person.objects.get(pk=personas.tuan.pk)
    assert tuan.position == "Chuyên viên" and tuan.user.is_active


def test_a_unit_of_another_agency_is_refused(personas):
    with pytest.raises(InvalidData) as exc:
        services.update_person(personas.son.user, personas.hoa, unit=personas.tuan.unit)
    assert exc.value.code == "unit_agency_mismatch"


def test_unknown_role_and_bad_email_are_refused(personas):
    with pytest.raises(InvalidData) as exc:
        services.set_roles(personas.son.user, personas.hoa, ["khong-co"])
    assert exc.value.code == "unknown_role"
    with pytest.raises(InvalidData) as exc:
        services.update_person(personas.son.user, personas.hoa, email="khong-phai-thu")
    assert exc.value.code == "invalid_email"
    assert Person.objects.get(pk=personas.hoa.pk).has_role("chuyen-vien")


def test_a_closed_account_is_refused_at_sign_in_and_opened_again(personas):
    son, hoa = personas.son, personas.hoa
    services.set_active(son.user, hoa, False)
    assert authenticate(username="hoa", password=PASSWORD) is None
    services.set_active(son.user, hoa, True)
    assert authenticate(username="hoa", password=PASSWORD) is not None
    assert _events(hoa)[-2:] == [("directory.person.updated", "son")] * 2


def test_the_admin_keeps_their_own_account_and_role(personas):
    son = personas.son
    with pytest.raises(InvalidData) as exc:
        services.set_active(son.user, son, False)
    assert exc.value.code == "own_account" and "chính mình" in exc.value.message_vi
    with pytest.raises(InvalidData) as exc:
        services.set_roles(son.user, son, ["chuyen-vien"])
    assert exc.value.code == "own_admin_role"
    assert Person.objects.get(pk=son.pk).has_role("quan-tri-co-quan")
    services.set_roles(son.user, son, ["quan-tri-co-quan", "van-thu"])  # adding to their own is fine
    assert Person.objects.get(pk=son.pk).has_role("van-thu")


def test_only_the_province_grants_the_provincial_role(personas):
    with pytest.raises(PermissionDenied) as exc:
        services.set_roles(personas.son.user, personas.hoa, ["quan-tri-tinh"])
    assert exc.value.code == "province_role_reserved"
    services.set_roles(personas.khoa.user, personas.hoa, ["quan-tri-tinh"])
    assert Person.objects.get(pk=personas.hoa.pk).has_role("quan-tri-tinh")


def test_set_password_replaces_the_password_and_the_audit_row_holds_none(personas):
    services.set_password(personas.khoa.user, personas.tuan, "mat-khau-moi-2026")
    assert authenticate(username="tuan", password="mat-khau-moi-2026") is not None
    assert authenticate(username="tuan", password=PASSWORD) is None
    event = AuditEvent.objects.order_by("-seq").first()
    assert "mat-khau-moi-2026" not in str(event.before) + str(event.after)
    with pytest.raises(InvalidData) as exc:
        services.set_password(personas.khoa.user, personas.tuan, "ngan")
    assert exc.value.code == "password_too_short"
