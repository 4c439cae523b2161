"""The monthly summary stays exact: every step of the flow engine marks the months it
changes and recounts them after the commit, a late step updates the month it belongs to,
and what the summary holds equals a direct count of the documents."""

import datetime as dt

import pytest

from vanban.registry.errors import TransitionRefused
from vanban.registry.models import IncomingDocument, IncomingStateChange
from vanban.registry.services import incoming
from vanban.reports import read, verify
from vanban.reports.models import MonthlyFigure, StaleMonth
from vanban.reports.months import LOCAL, current_month
from vanban.reports.summary import rebuild

pytestmark = pytest.mark.django_db

THIS = current_month()
LAST = (THIS - dt.timedelta(days=1)).replace(day=1)


def stored(agency, month) -> dict[str, int]:
    """What the summary table holds, read as is (no recount)."""
    return dict(MonthlyFigure.objects.filter(agency=agency, month=month).values_list("figure", "value"))


def in_last_month(doc, day: int, *actions: str) -> None:
    """Move the document's arrival and the history rows of ``actions`` into last month."""
    at = dt.datetime(LAST.year, LAST.month, day, 9, tzinfo=LOCAL)
    IncomingDocument.objects.filter(pk=doc.pk).update(arrived_at=at, registered_at=at)
    IncomingStateChange.objects.filter(document=doc, action__in=actions).update(at=at)
    rebuild([doc.agency_id], [LAST, THIS])


@pytest.fixture
def arrived(office, sample_pdf):
    return incoming.upload_paper(
        office.lan.user, sender_name="Sở Y tế", subject="V/v báo cáo", data=sample_pdf, name="ban-quet.pdf"
    )


@pytest.fixture
def assigned_last_month(office, arrived):
    doc = incoming.register(office.lan.user, arrived)
    doc = incoming.assign(office.minh.user, doc, incoming.AssignmentData(lead_person=office.tuan))
    IncomingDocument.objects.filter(pk=doc.pk).update(deadline=LAST + dt.timedelta(days=4))
    in_last_month(doc, 1, "receive", "register", "assign")
    return IncomingDocument.objects.get(pk=doc.pk)


def test_a_document_finished_the_next_month_counts_as_done_late_this_month(
    office, assigned_last_month, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = incoming.start(office.tuan.user, assigned_last_month)
        incoming.finish(office.tuan.user, doc, "Đã báo cáo")
    assert not StaleMonth.objects.exists()
    now = stored(office.so_noi_vu, THIS)
    assert (now.get("proc_done"), now.get("proc_done_late"), now.get("proc_overdue_open")) == (1, 1, None)


def test_a_document_finished_the_next_month_stays_overdue_at_the_end_of_its_month(
    office, assigned_last_month, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = incoming.start(office.tuan.user, assigned_last_month)
        incoming.finish(office.tuan.user, doc, "Đã báo cáo")
    before = stored(office.so_noi_vu, LAST)
    assert (before.get("proc_assigned"), before.get("proc_overdue_open"), before.get("proc_done")) == (1, 1, None)
    assert verify([office.so_noi_vu.pk], LAST) == verify([office.so_noi_vu.pk], THIS) == []


def test_a_document_refused_the_month_after_it_arrived_counts_refused_this_month(
    office, arrived, django_capture_on_commit_callbacks
):
    in_last_month(arrived, 28, "receive")
    with django_capture_on_commit_callbacks(execute=True):
        incoming.refuse(office.lan.user, arrived, "Gửi nhầm cơ quan")
    assert stored(office.so_noi_vu, THIS) == {"in_refused": 1}
    assert stored(office.so_noi_vu, LAST) == {"in_received": 1, "in_paper": 1}


def test_a_step_whose_recount_never_ran_is_recounted_before_a_report_reads(office, arrived):
    incoming.refuse(office.lan.user, arrived, "Gửi nhầm cơ quan")  # the commit callbacks do not run here
    assert StaleMonth.objects.filter(agency=office.so_noi_vu, month=THIS).exists()
    assert read([office.so_noi_vu.pk], THIS)["in_refused"] == 1
    assert not StaleMonth.objects.exists()


def test_a_refused_step_leaves_no_mark(office, arrived):
    incoming.refuse(office.lan.user, arrived, "Gửi nhầm cơ quan")
    marks = StaleMonth.objects.count()
    with pytest.raises(TransitionRefused):
        incoming.register(office.lan.user, arrived)  # a refused document cannot be registered
    assert StaleMonth.objects.count() == marks


def test_verify_finds_documents_written_outside_the_flow_engine(office, seed):
    rebuild([office.so_noi_vu.pk], [THIS])
    seed.arrived(office.so_noi_vu, dt.datetime.now(LOCAL))  # a bare row: no step, no mark
    assert verify([office.so_noi_vu.pk], THIS) == [
        (office.so_noi_vu.pk, "in_received", 0, 1),
        (office.so_noi_vu.pk, "in_hub", 0, 1),
    ]


def test_an_approved_extension_recounts_the_overdue_documents(office, arrived, django_capture_on_commit_callbacks):
    from vanban.registry.services import followup

    doc = incoming.register(office.lan.user, arrived)
    doc = incoming.assign(office.minh.user, doc, incoming.AssignmentData(lead_person=office.tuan))
    IncomingDocument.objects.filter(pk=doc.pk).update(deadline=THIS)  # due on the 1st: overdue at the month's end
    rebuild([doc.agency_id], [THIS])
    assert stored(office.so_noi_vu, THIS)["proc_overdue_open"] == 1
    ext = followup.request_extension(office.tuan.user, doc, THIS + dt.timedelta(days=45), "Chờ số liệu của các xã")
    with django_capture_on_commit_callbacks(execute=True):
        followup.decide_extension(office.minh.user, ext, approve=True)
    assert "proc_overdue_open" not in stored(office.so_noi_vu, THIS)


def test_a_step_marked_while_a_recount_counts_keeps_its_mark(office, monkeypatch):
    """The recount clears only the marks it saw before counting: a step committed during
    the count is counted again by its own recount."""
    from vanban.reports import summary

    real = summary.count_all

    def counting(ids, month):
        StaleMonth.objects.create(agency=office.so_noi_vu, month=month)  # another step, meanwhile
        return real(ids, month)

    StaleMonth.objects.create(agency=office.so_noi_vu, month=THIS)
    monkeypatch.setattr(summary, "count_all", counting)
    summary.recount(office.so_noi_vu.pk, THIS)
    assert StaleMonth.objects.filter(agency=office.so_noi_vu, month=THIS).count() == 1
