"""An agency's registers kept by its administrator: added, renamed, put out of use; guarded
and audited; numbers untouched."""

import pytest

from vanban.audit.models import AuditEvent
from vanban.registry import services
from vanban.registry.models import Register

pytestmark = pytest.mark.django_db


def test_create_and_update_a_register_are_audited(personas):
    register = services.create_register(personas.son.user, personas.so_khcn, name="Sổ công văn", kind="di")
    services.update_register(personas.son.user, register, name="Sổ công văn đi", active=False)
    register.refresh_from_db()
    assert (register.name, register.active) == ("Sổ công văn đi", False)
    assert list(
        AuditEvent.objects.filter(object_id=str(register.pk), action__startswith="registry.register")
        .order_by("seq")
        .values_list("action", "actor_username")
    ) == [("registry.register.created", "son"), ("registry.register.updated", "son")]


def test_another_agencys_admin_and_a_bad_kind_are_refused(personas):
    with pytest.raises(services.RegisterRefused) as exc:
        services.create_register(personas.son.user, personas.so_noi_vu, name="Sổ lạ", kind="di")
    assert exc.value.code == "register_not_yours"
    with pytest.raises(services.RegisterRefused) as exc:
        services.create_register(personas.son.user, personas.so_khcn, name="Sổ lạ", kind="xx")
    assert exc.value.code == "register_kind"
    assert not Register.objects.filter(name="Sổ lạ").exists()


def test_the_list_shows_this_years_last_number(office):
    register = Register.objects.get(agency=office.so_noi_vu, kind="di", secret=False)
    services.reserve_numbers(office.lan.user, register, 3, "Giữ số")
    rows = {r.register.name: r.last_number for r in services.agency_registers(office.so_noi_vu)}
    assert rows["Sổ văn bản đi"] == 3 and rows["Sổ văn bản đến"] == 0
