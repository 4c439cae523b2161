"""The flow engine's direct statements (:mod:`vanban.fastsql`): the rows they read, write
and lock are the ones the ORM would."""

import os
import threading

import pytest
from django.db import OperationalError, connections, transaction

from vanban import fastsql
from vanban.directory.models import DocumentType
from vanban.registry.models import OutgoingDocument, StateChange

pytestmark = pytest.mark.django_db

RELATED = ("agency", "document_type", "unit", "secrecy")


@pytest.fixture
def document(office):
    return OutgoingDocument.objects.create(
        agency=office.so_noi_vu,
        unit=office.tuan.unit,
        drafter=office.tuan,
        document_type=DocumentType.objects.get(code="cong-van"),
        subject="Về việc tuyển dụng công chức năm 2026",
        signer=office.minh,
    )


def test_a_locked_read_gives_the_row_and_its_related_rows_as_the_orm_does(document, django_assert_num_queries):
    expected = OutgoingDocument.objects.select_related(*RELATED).get(pk=document.pk)
    with transaction.atomic():
        got = fastsql.select_locked(OutgoingDocument, document.pk, RELATED)
    fields = [f.attname for f in OutgoingDocument._meta.concrete_fields]
    assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
    with django_assert_num_queries(0):  # loaded with the row; an empty foreign key is None
        assert (got.agency.name, got.document_type.code, got.unit.name) == (
            "Sở Nội vụ",
            "cong-van",
            expected.unit.name,
        )
        assert got.secrecy is None
    assert got.created_at == expected.created_at and got.created_at.tzinfo is not None


def test_a_locked_read_of_a_missing_row_raises_does_not_exist(document):
    with transaction.atomic(), pytest.raises(OutgoingDocument.DoesNotExist):
        fastsql.select_locked(OutgoingDocument, document.pk + 1000, RELATED)


def test_an_insert_sets_the_key_and_the_automatic_time(document):
    row = StateChange(document=document, action="submit", old_state="du-thao", new_state="cho-duyet", actor_name="A")
    fastsql.insert(row)
    stored = StateChange.objects.get(pk=row.pk)
    assert (stored.action, stored.new_state, stored.actor_name) == ("submit", "cho-duyet", "A")
    assert stored.at is not None and row.at == stored.at


def test_an_update_writes_only_the_fields_it_names(document):
    before = OutgoingDocument.objects.get(pk=document.pk).updated_at
    document.subject = "Không được ghi"
    document.state = "cho-duyet"
    fastsql.update_fields(document, ["state", "updated_at"])
    stored = OutgoingDocument.objects.get(pk=document.pk)
    assert (stored.state, stored.subject) == ("cho-duyet", "Về việc tuyển dụng công chức năm 2026")
    assert stored.updated_at > before


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="set DATABASE_URL=postgresql://... to run on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locked_read_holds_the_row_until_the_transaction_ends(document):
    outcome = []

    def try_lock():
        try:
            with transaction.atomic():
                OutgoingDocument.objects.select_for_update(nowait=True).get(pk=document.pk)
            outcome.append("locked")
        except OperationalError:
            outcome.append("busy")
        finally:
            connections.close_all()

    with transaction.atomic():
        fastsql.select_locked(OutgoingDocument, document.pk, RELATED)
        thread = threading.Thread(target=try_lock)
        thread.start()
        thread.join(10)
    thread = threading.Thread(target=try_lock)
    thread.start()
    thread.join(10)
    assert outcome == ["busy", "locked"]
