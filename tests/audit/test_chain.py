"""The audit log: every directory change writes a chained event; tampering is found.

The log is one chain per agency (and one for the hub, one for the rest): the personas'
agencies each have theirs, so a number in these tests is a number in one agency's chain."""

import pytest
from django.db import connection, transaction

from vanban.audit import AuditAction, agency_chain, record, verify_chain
from vanban.audit.models import AuditEvent
from vanban.cli import main

pytestmark = pytest.mark.django_db

SNV = agency_chain("000.00.02.H99")  # Sở Nội vụ: the agency, two units, three people


def _raw(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _chain(key=SNV):
    return AuditEvent.objects.filter(chain=key)


def test_chain_of_directory_changes_verifies(personas):
    report = verify_chain()
    assert report.ok
    assert report.events == AuditEvent.objects.count() > 10


def test_events_link_each_to_the_previous_hash(personas):
    events = list(_chain().order_by("chain_seq"))
    assert len(events) >= 6
    assert [e.chain_seq for e in events] == list(range(1, len(events) + 1))
    for prev, cur in zip(events, events[1:]):
        assert cur.prev_hash == prev.hash


def test_changed_event_content_is_reported_at_that_event(personas):
    victim = _chain().get(chain_seq=3)
    _raw("UPDATE audit_auditevent SET object_label = %s WHERE id = %s", ["giả mạo", victim.pk])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 3
    assert "bị thay đổi" in report.reason_vi


def test_removed_middle_event_is_reported(personas):
    _raw("DELETE FROM audit_auditevent WHERE chain = %s AND chain_seq = 5", [SNV])
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 5)


def test_removed_last_event_is_reported_through_the_chain_head(personas):
    last = _chain().order_by("-chain_seq").first()
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == last.chain_seq


def test_events_cannot_be_edited_or_deleted_through_the_orm(personas):
    event = AuditEvent.objects.first()
    event.object_label = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).update(object_label="x")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_outside_a_transaction_is_refused():
    from vanban.audit.services import PendingEvent, record_many

    with pytest.raises(RuntimeError):
        record_many(None, [PendingEvent(AuditAction.AGENCY_CREATED)])
    assert AuditEvent.objects.count() == 0


def test_cli_audit_verify_exit_codes(personas, capsys):
    assert main(["audit", "verify"]) == 0
    assert "toàn vẹn" in capsys.readouterr().out
    _raw(
        "UPDATE audit_auditevent SET action = %s WHERE chain = %s AND chain_seq = 2", ["directory.agency.deleted", SNV]
    )
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "sự kiện số 2" in out and "event 2" in out


def _delete_event_4():
    _raw("DELETE FROM audit_auditevent WHERE chain = %s AND chain_seq = 4", [SNV])


def _swap_events_4_and_5():
    first, second = _chain().filter(chain_seq__in=[4, 5]).order_by("chain_seq")
    _raw("UPDATE audit_auditevent SET chain_seq = -1 WHERE id = %s", [first.pk])
    _raw("UPDATE audit_auditevent SET chain_seq = 4 WHERE id = %s", [second.pk])
    _raw("UPDATE audit_auditevent SET chain_seq = 5 WHERE id = %s", [first.pk])


@pytest.mark.parametrize("tamper", [_delete_event_4, _swap_events_4_and_5], ids=["deleted", "reordered"])
def test_cli_audit_verify_finds_a_deleted_or_reordered_event(personas, capsys, tamper):
    tamper()
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"({SNV}): bị phá vỡ tại sự kiện số 4" in out and "Nhật ký bị phá vỡ: 1/" in out


def test_record_names_actor_and_object(personas):
    with transaction.atomic():
        event = record(
            personas.khoa.user,
            AuditAction.AGENCY_UPDATED,
            personas.so_noi_vu,
            before={"name": "A"},
            after={"name": "B"},
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_username == "khoa"
    assert stored.object_type == "directory.agency"
    assert stored.object_label.startswith("Sở Nội vụ")
    assert (stored.before, stored.after) == ({"name": "A"}, {"name": "B"})
    assert stored.chain == SNV  # the agency's chain, not the acting province admin's


def test_an_event_hashed_by_the_database_verifies_like_one_hashed_here(personas):
    """On PostgreSQL one event is numbered and hashed in SQL; on both databases what is
    stored is what verification recomputes, Vietnamese text and empty values included."""
    from vanban.audit.chain import digest_of

    with transaction.atomic():
        first = record(
            personas.khoa.user,
            AuditAction.AGENCY_UPDATED,
            personas.so_noi_vu,
            before=None,
            after={"tên": "Sở Nội vụ tỉnh Thử Nghiệm", "số": 13, "cờ": [True, None]},
        )
    with transaction.atomic():
        second = record(
            None,
            AuditAction.AGENCY_UPDATED,
            object_type="directory.agency",
            object_id="42",
            object_label="Ủy ban nhân dân xã Đắk Lắk — “trích yếu”",
            chain=SNV,
        )
    stored = list(AuditEvent.objects.filter(pk__in=[first.pk, second.pk]).order_by("seq"))
    assert [e.seq for e in stored] == [first.seq, first.seq + 1]
    assert [e.chain_seq for e in stored] == [first.chain_seq, first.chain_seq + 1]
    assert stored[1].prev_hash == stored[0].hash == first.hash
    assert all(digest_of(e) == e.hash for e in stored)
    assert verify_chain().ok
