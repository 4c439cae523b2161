"""The head of a unit (trưởng đơn vị): a role given through the directory's services, which
makes its holder the head of their own unit only."""

import pytest

from vanban.audit.models import AuditEvent
from vanban.directory import services
from vanban.directory.queries import UNIT_HEAD, is_unit_head, unit_heads

pytestmark = pytest.mark.django_db


def test_the_agency_administrator_makes_a_person_head_of_their_unit(personas):
    hoa = services.set_roles(personas.son.user, personas.hoa, ["chuyen-vien", UNIT_HEAD])
    assert list(unit_heads(hoa.unit_id)) == [hoa] and is_unit_head(hoa, hoa.unit_id)
    event = AuditEvent.objects.filter(action="directory.person.updated").latest("pk")
    assert event.actor_id == personas.son.user_id


def test_a_head_heads_no_other_unit(personas):
    services.set_roles(None, personas.tuan, ["chuyen-vien", UNIT_HEAD])
    other = services.create_unit(None, personas.so_noi_vu, name="Phòng Tổ chức", suffix="TC")
    assert not is_unit_head(personas.tuan, other.pk) and not unit_heads(other.pk).exists()


def test_a_closed_account_heads_nothing(personas):
    services.set_roles(None, personas.tuan, ["chuyen-vien", UNIT_HEAD])
    services.set_active(None, personas.tuan, False)
    assert not unit_heads(personas.tuan.unit_id).exists()
