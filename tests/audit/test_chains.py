"""Audit chains per agency: each agency's events on its own chain, the hub's on the hub's,
the rest on the system chain; each chain verifies on its own, and a broken one blames no
other."""

import json
import os

import pytest
from django.db import connection, transaction

from vanban.audit import HUB_CHAIN, SYSTEM_CHAIN, AuditAction, agency_chain, chain_keys, record, verify_chain
from vanban.audit.models import AuditChainHead, AuditEvent
from vanban.audit.services import PendingEvent, record_many
from vanban.cli import main

pytestmark = pytest.mark.django_db

PROVINCE, SNV, SKHCN, XA = (agency_chain(f"000.00.{n}.H99") for n in ("00", "02", "03", "20"))


def _raw(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _actions(key):
    return list(AuditEvent.objects.filter(chain=key).order_by("chain_seq").values_list("action", "object_label"))


def test_each_agency_has_its_chain_with_its_agency_units_and_people(personas):
    assert set(chain_keys()) >= {PROVINCE, SNV, SKHCN, XA}
    snv = _actions(SNV)
    assert snv[0] == ("directory.agency.created", "Sở Nội vụ (000.00.02.H99)")
    assert [a for a, _ in snv].count("directory.unit.created") == 2
    assert {label for a, label in snv if a == "directory.person.created"} == {
        "Nguyễn Thị Lan",
        "Trần Quang Minh",
        "Vũ Anh Tuấn",
    }
    assert {label for a, label in _actions(SKHCN) if a == "directory.person.created"} == {"Lê Thị Hoa", "Phạm Văn Sơn"}
    report = verify_chain()
    assert report.ok and {r.chain for r in report.chains} >= {PROVINCE, SNV, SKHCN, XA}
    assert sum(r.events for r in report.chains) == report.events == AuditEvent.objects.count()
    for r in report.chains:  # each chain numbered 1..N
        numbers = list(
            AuditEvent.objects.filter(chain=r.chain).order_by("chain_seq").values_list("chain_seq", flat=True)
        )
        assert numbers == list(range(1, r.events + 1))
        assert AuditChainHead.objects.get(chain=r.chain).seq == r.events


def test_chain_follows_the_object_then_the_actor_then_system(personas):
    from vanban.directory.models import DocumentType

    cong_van = DocumentType.objects.get(code="cong-van")
    with transaction.atomic():
        by_clerk = record(personas.lan.user, AuditAction.REFERENCE_UPDATED, cong_van)  # no agency: the actor's
        by_nobody = record(None, AuditAction.REFERENCE_UPDATED, cong_van)
        unit = record(None, AuditAction.UNIT_UPDATED, personas.hoa.unit)  # a unit: its agency's
        person = record(personas.khoa.user, AuditAction.PERSON_UPDATED, personas.hoa)
        explicit = record(None, AuditAction.REFERENCE_UPDATED, cong_van, chain=XA)
        gone = record(  # an object that no longer exists: the actor's agency
            personas.son.user, AuditAction.UNIT_DELETED, object_type="directory.unit", object_id="999999"
        )
    assert (by_clerk.chain, by_nobody.chain, unit.chain, person.chain) == (SNV, SYSTEM_CHAIN, SKHCN, SKHCN)
    assert (explicit.chain, gone.chain) == (XA, SKHCN)
    assert verify_chain().ok


def test_hub_events_always_go_on_the_hub_chain(personas):
    with transaction.atomic():
        accepted = record(
            personas.khoa.user,
            AuditAction.HUB_PACKAGE_ACCEPTED,
            object_type="exchange.package",
            object_id="5f0c",
            object_label="envelope 000.00.02.H99",
        )
        routing = record(None, AuditAction.HUB_ROUTING_CHANGED, object_type="exchange.servedpattern")
    assert accepted.chain == routing.chain == HUB_CHAIN
    assert (accepted.chain_seq, routing.chain_seq) == (1, 2)
    with pytest.raises(ValueError), transaction.atomic():
        record(None, AuditAction.HUB_PACKAGE_ACCEPTED, object_type="exchange.package", object_id="1", chain=SNV)
    assert verify_chain(HUB_CHAIN).ok


def test_events_written_together_go_each_to_its_chain_in_order(personas):
    """A directory import writes events of many agencies at once, naming objects by type
    and id: each lands on its agency's chain; the whole log keeps their order."""
    events = [
        PendingEvent(AuditAction.AGENCY_UPDATED, "directory.agency", str(personas.so_khcn.pk), "SKHCN"),
        PendingEvent(AuditAction.UNIT_UPDATED, "directory.unit", str(personas.lan.unit.pk), "VP"),
        PendingEvent(AuditAction.AGENCY_UPDATED, "directory.agency", str(personas.xa.pk), "Xã"),
        PendingEvent(AuditAction.DIRECTORY_IMPORTED, "directory.import", "", "danh-ba.xlsx"),
    ]
    with transaction.atomic():
        rows = record_many(personas.khoa.user, events)
    assert [r.chain for r in rows] == [SKHCN, SNV, XA, PROVINCE]  # the import itself: the province admin's agency
    stored = list(AuditEvent.objects.filter(pk__in=[r.pk for r in rows]).order_by("seq"))
    assert [e.object_label for e in stored] == ["SKHCN", "VP", "Xã", "danh-ba.xlsx"]
    assert verify_chain().ok


def test_a_tampered_chain_blames_no_other(personas, capsys):
    victim = AuditEvent.objects.get(chain=SKHCN, chain_seq=2)
    _raw("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"name": "giả"}', victim.pk])
    report = verify_chain()
    assert not report.ok
    assert [(r.chain, r.broken_seq) for r in report.broken] == [(SKHCN, 2)]
    assert all(r.ok for r in report.chains if r.chain != SKHCN)
    assert verify_chain(SNV).ok and not verify_chain(SKHCN).ok
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "Chuỗi của cơ quan 000.00.03.H99 (agency:000.00.03.H99): bị phá vỡ tại sự kiện số 2" in out
    assert "Chuỗi của cơ quan 000.00.02.H99 (agency:000.00.02.H99): toàn vẹn" in out
    assert main(["audit", "verify", "--chain", SNV]) == 0
    assert main(["audit", "verify", "--chain", "000.00.03.H99"]) == 1  # the agency code alone
    assert main(["audit", "verify", "--chain", "agency:000.00.99.H99"]) == 2
    assert "Không có chuỗi của cơ quan 000.00.99.H99" in capsys.readouterr().out


def test_reordered_events_are_found(personas):
    first, second = AuditEvent.objects.filter(chain=SNV, chain_seq__in=[2, 3]).order_by("chain_seq")
    _raw("UPDATE audit_auditevent SET chain_seq = -1 WHERE id = %s", [first.pk])
    _raw("UPDATE audit_auditevent SET chain_seq = 2 WHERE id = %s", [second.pk])
    _raw("UPDATE audit_auditevent SET chain_seq = 3 WHERE id = %s", [first.pk])
    report = verify_chain(SNV)
    assert (report.ok, report.broken_seq) == (False, 2)
    assert verify_chain(SKHCN).ok


def test_an_event_moved_to_another_chain_is_found(personas):
    """The chain's key is part of what the hash covers: an event renumbered into another
    agency's chain does not match there, and leaves a hole where it was."""
    last = AuditEvent.objects.filter(chain=SNV).order_by("-chain_seq").first()
    head = AuditChainHead.objects.get(chain=SKHCN)
    _raw(
        "UPDATE audit_auditevent SET chain = %s, chain_seq = %s, prev_hash = %s WHERE id = %s",
        [SKHCN, head.seq + 1, head.last_hash, last.pk],
    )
    _raw("UPDATE audit_auditchainhead SET seq = seq + 1 WHERE chain = %s", [SKHCN])
    report = verify_chain()
    broken = {r.chain: r for r in report.broken}
    assert set(broken) == {SNV, SKHCN}
    assert "bị thay đổi" in broken[SKHCN].reason_vi and broken[SKHCN].broken_seq == head.seq + 1
    assert "bị xóa" in broken[SNV].reason_vi


def test_events_added_behind_the_head_are_found(personas):
    last = AuditEvent.objects.filter(chain=SNV).order_by("-chain_seq").first()
    _raw("UPDATE audit_auditchainhead SET seq = seq - 1 WHERE chain = %s", [SNV])
    report = verify_chain(SNV)
    assert (report.ok, report.broken_seq) == (False, last.chain_seq)


def test_a_removed_head_is_found(personas):
    _raw("DELETE FROM audit_auditchainhead WHERE chain = %s", [XA])
    report = verify_chain()
    assert [r.chain for r in report.broken] == [XA]
    assert "không có đầu chuỗi" in report.broken[0].reason_vi


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="set DATABASE_URL=postgresql://... to run on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_waits_only_for_its_own_chain(personas):
    """While one transaction holds Sở Nội vụ's chain (its event written, not committed),
    another agency's event is written at once; one more on Sở Nội vụ's chain must wait."""
    import threading

    from django.db import OperationalError, connections

    outcome = {}

    def write(agency, key):
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL lock_timeout = '2s'")
                record(None, AuditAction.AGENCY_UPDATED, agency)
            outcome[key] = "written"
        except OperationalError:
            outcome[key] = "waited"
        finally:
            connections.close_all()

    with transaction.atomic():
        record(None, AuditAction.AGENCY_UPDATED, personas.so_noi_vu)
        for agency, key in ((personas.so_khcn, "other agency"), (personas.so_noi_vu, "same agency")):
            thread = threading.Thread(target=write, args=(agency, key))
            thread.start()
            thread.join(20)
    assert outcome == {"other agency": "written", "same agency": "waited"}
    assert verify_chain().ok


def _legacy_digest(prev_hash, **content):
    """How events were hashed when the log was one chain (no chain key in the content)."""
    import hashlib

    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_log_written_before_chains_migrates_onto_the_system_chain():
    """A database of the single chain (as the demo made) migrates: its events become the
    system chain, verify as they are, and new events go on after them."""
    import datetime as dt

    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0004_lean_indexes")])
    try:
        at = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
        prev = "0" * 64
        with connection.cursor() as cur:
            cur.execute("DELETE FROM audit_auditevent")
            for seq in (1, 2, 3):
                after = {"tên": f"Sở {seq}"}
                digest = _legacy_digest(
                    prev,
                    seq=seq,
                    at="2026-11-20T08:30:00.000000Z",
                    actor_id=None,
                    actor="hệ thống",
                    action="directory.agency.created",
                    object_type="directory.agency",
                    object_id=str(seq),
                    object_label=f"Sở {seq}",
                    before=None,
                    after=after,
                )
                cur.execute(
                    "INSERT INTO audit_auditevent (seq, at, actor_id, actor_username, action, object_type, object_id,"
                    " object_label, before, after, prev_hash, hash) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, NULL,"
                    " %s, %s, %s)",
                    [
                        seq,
                        connection.ops.adapt_datetimefield_value(at),
                        "hệ thống",
                        "directory.agency.created",
                        "directory.agency",
                        str(seq),
                        f"Sở {seq}",
                        json.dumps(after, ensure_ascii=False),
                        prev,
                        digest,
                    ],
                )
                prev = digest
            cur.execute("UPDATE audit_auditchainhead SET seq = 3, last_hash = %s WHERE id = 1", [prev])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    report = verify_chain()
    assert report.ok and [(r.chain, r.events) for r in report.chains] == [(SYSTEM_CHAIN, 3)]
    with transaction.atomic():
        new = record(None, AuditAction.REFERENCE_UPDATED, object_type="directory.level", object_label="cấp tỉnh")
        other = record(None, AuditAction.REFERENCE_UPDATED, chain=agency_chain("000.00.02.H99"))
    assert (new.chain, new.chain_seq, new.prev_hash, new.seq) == (SYSTEM_CHAIN, 4, prev, 4)
    assert (other.chain, other.chain_seq, other.seq) == (agency_chain("000.00.02.H99"), 1, 5)
    assert verify_chain().ok
